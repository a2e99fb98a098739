"""Cross-validated choice of the query-adaptive fusion weights (issue 9).

For each of 5 folds of the judged queries, the (cue, plain) lexical weights
that maximise nDCG@10 on the other folds are applied to the held-out fold;
the held-out scores are averaged. Compared, in the same run, with the fixed
weight 0.5.

    .venv/bin/python bench/cv_fusion_weights.py --data-dir bench/out/quality-var
"""

from __future__ import annotations

import argparse
import itertools
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

GRID = [0.3, 0.4, 0.5, 0.6, 0.7]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--data-dir", type=Path, required=True)
    args = p.parse_args()
    os.chdir(ROOT)
    kb = KnowledgeBase(Settings(data_dir=args.data_dir, _env_file=None))
    retr = kb.retriever
    rows = {r[0]: {"source": r[2], "text": r[1]} for r in kb.store.con.execute(
        "SELECT c.id, c.text, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
    queries = [q for q in load_queries(ROOT / "bench" / "queries.jsonl") if q["relevant"]]
    table: dict[tuple[float, float], list[float]] = {}
    for cue, plain in itertools.product(GRID, GRID):
        retr.config.lexical_weight_cues, retr.config.lexical_weight_plain = cue, plain
        table[(cue, plain)] = [
            score(q, [rows[h.chunk_id] for h in retr.rank(
                q["query"], kb.resolve_filters(q.get("filters") or {}), K).hits[:K]])[0]
            for q in queries
        ]
    folds = [list(range(i, len(queries), 5)) for i in range(5)]
    held_out: list[float] = []
    chosen = []
    for fold in folds:
        train = [i for i in range(len(queries)) if i not in fold]
        best = max(table, key=lambda w: statistics.fmean(table[w][i] for i in train))
        chosen.append(best)
        held_out.extend(table[best][i] for i in fold)
    fixed = table[(0.5, 0.5)]
    print(f"{len(queries)} answerable queries, 5 folds")
    print(f"fixed weight 0.5: nDCG@10 {statistics.fmean(fixed):.3f}")
    print(f"adaptive, cross-validated: nDCG@10 {statistics.fmean(held_out):.3f} (weights per fold: {chosen})")
    best_all = max(table, key=lambda w: statistics.fmean(table[w]))
    print(f"best on all queries (in-sample): {best_all} → {statistics.fmean(table[best_all]):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

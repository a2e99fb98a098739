"""Fusion of the lexical and dense rankings into one.

Two methods: reciprocal-rank fusion, and min-max-normalised weighted fusion,
the default (the better of the two on the judged queries and PIAF).
"""

from __future__ import annotations

from collections.abc import Sequence


def _minmax(hits: Sequence[tuple[int, float]]) -> dict[int, float]:
    if not hits:
        return {}
    scores = [s for _, s in hits]
    lo, hi = min(scores), max(scores)
    span = hi - lo
    if span <= 1e-12:
        return {cid: 1.0 for cid, _ in hits}
    return {cid: (s - lo) / span for cid, s in hits}


def weighted_fusion(
    lexical: Sequence[tuple[int, float]], dense: Sequence[tuple[int, float]], lexical_weight: float,
) -> list[tuple[int, float]]:
    """Min-max normalise each list, then add them with weights; a missing score counts as the list's lowest (0)."""
    lex = _minmax(lexical)
    den = _minmax(dense)
    fused: dict[int, float] = {}
    for cid in lex.keys() | den.keys():
        fused[cid] = lexical_weight * lex.get(cid, 0.0) + (1.0 - lexical_weight) * den.get(cid, 0.0)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def rrf_fusion(
    lexical: Sequence[tuple[int, float]], dense: Sequence[tuple[int, float]], k: int = 60
) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: each list adds 1 / (k + rank)."""
    fused: dict[int, float] = {}
    for hits in (lexical, dense):
        for rank, (cid, _) in enumerate(hits, start=1):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def fuse(
    method: str,
    lexical: Sequence[tuple[int, float]],
    dense: Sequence[tuple[int, float]],
    lexical_weight: float = 0.5,
    rrf_k: int = 60,
) -> list[tuple[int, float]]:
    if method == "lexical":
        return list(lexical)
    if method == "dense":
        return list(dense)
    if method == "rrf":
        return rrf_fusion(lexical, dense, rrf_k)
    return weighted_fusion(lexical, dense, lexical_weight)

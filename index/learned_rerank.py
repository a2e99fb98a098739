"""Learned re-ranking of the first fused candidates: a linear score over signals `rank` already has.

The fusion adds two normalised scores with one weight; it cannot tell a passage that holds every query term
under a heading naming the subject from one that merely shares a rare word. A linear model over a handful of
per-candidate signals, fitted on judged queries (bench/learned_rerank.py, pairwise logistic regression), can.
Only numpy is needed at query time: the model is its weight vector (SHIPPED below, as Python constants so that
an installed package needs no data file).
Candidates beyond `depth` keep their fused order; the re-ordered head takes the head's fused scores in
decreasing order, so scores stay monotonic along the list.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# One column per feature, in this order (bench/learned_rerank.py's docstring says why each).
FEATURES = (
    "dense",  # cosine of the query with the passage's stored vector
    "bm25",  # lexical score over the query's best (0: not a lexical candidate)
    "fused",  # the fusion's score
    "lexical_rank",  # log(1 + rank) in the lexical list (absent: one past its end)
    "dense_rank",  # log(1 + rank) in the dense list (absent: one past its end)
    "coverage",  # idf-weighted share of the query's terms in the passage
    "heading_coverage",  # the same share in the document title and the section heading
    "document_dense",  # best cosine among the dense candidates of the passage's document (itself included)
    "position",  # log(1 + the passage's position in its document)
)


@dataclass(frozen=True, slots=True)
class RerankModel:
    """Weights over FEATURES (empty: re-ranking off) and how many fused candidates they re-order."""

    weights: tuple[float, ...] = ()
    depth: int = 20

    @property
    def enabled(self) -> bool:
        return bool(self.weights) and self.depth > 1

    def __post_init__(self) -> None:
        if self.weights and len(self.weights) != len(FEATURES):
            raise ValueError(f"{len(self.weights)} weights for {len(FEATURES)} features")


# Trained on the answerable tuning queries of bench/queries.jsonl + PIAF-dev by bench/learned_rerank.py (its
# « shipped » model; raw features, one weight per FEATURES). Off by default (ACV_LEARNED_RERANK): it did not pass
# its rule (docs/BENCHMARKS.md, « Learned re-ranking of the fused candidates »).
SHIPPED = RerankModel((
    -8.070967,
    0.400702,
    3.135834,
    -0.010279,
    0.213286,
    2.932083,
    2.324314,
    102.487289,
    0.12632,
), 20)


def load_model(path: Path) -> RerankModel:
    """A model written by bench/learned_rerank.py --model-out: {"features", "weights", "depth"}."""
    data = json.loads(path.read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: features {data['features']} are not {list(FEATURES)}")
    return RerankModel(tuple(float(w) for w in data["weights"]), int(data["depth"]))


@dataclass(slots=True)
class CandidateSignals:
    """What the retriever read for the head of the fused list (chunk id keyed)."""

    cosine: Mapping[int, float]
    coverage: Mapping[int, float]
    heading_coverage: Mapping[int, float]
    position: Mapping[int, int]
    document: Mapping[int, str]  # for the head and the dense candidates


def feature_matrix(head: Sequence[tuple[int, float]], lexical: Sequence[tuple[int, float]],
                   dense: Sequence[tuple[int, float]], signals: CandidateSignals) -> np.ndarray:
    """One row of FEATURES per candidate of `head` (the first fused candidates, in order)."""
    lex_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}
    den_rank = {cid: r for r, (cid, _) in enumerate(dense, start=1)}
    top_lex = lexical[0][1] if lexical and lexical[0][1] > 0 else 1.0
    lex_score = dict(lexical)
    doc_best: dict[str, float] = {}
    for cid, cos in [*dense, *signals.cosine.items()]:
        doc = signals.document.get(cid)
        if doc is not None:
            doc_best[doc] = max(doc_best.get(doc, -1.0), cos)
    rows = []
    for cid, fused in head:
        cos = signals.cosine.get(cid, 0.0)
        doc = signals.document.get(cid)
        rows.append((
            cos,
            lex_score.get(cid, 0.0) / top_lex,
            fused,
            math.log1p(lex_rank.get(cid, len(lexical) + 1)),
            math.log1p(den_rank.get(cid, len(dense) + 1)),
            signals.coverage.get(cid, 0.0),
            signals.heading_coverage.get(cid, 0.0),
            doc_best.get(doc, cos) if doc is not None else cos,
            math.log1p(signals.position.get(cid, 0)),
        ))
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def reorder(fused: list[tuple[int, float]], features: np.ndarray, model: RerankModel) -> list[tuple[int, float]]:
    """The head re-ordered by the model's score (ties keep the fused order), the tail as it was."""
    n = features.shape[0]
    if n < 2 or not model.enabled:
        return fused
    learned = features @ np.asarray(model.weights, dtype=np.float64)
    order = sorted(range(n), key=lambda i: (-learned[i], i))
    scores = sorted((s for _, s in fused[:n]), reverse=True)
    return [(fused[i][0], s) for i, s in zip(order, scores)] + fused[n:]

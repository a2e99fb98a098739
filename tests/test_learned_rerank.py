"""Learned re-ranking (index/learned_rerank.py): the features, the re-ordering, and the hook in `rank` on a tiny
fixed index (fake embedder), with the exact orders it must give and the same query with it off."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.learned_rerank import FEATURES, SHIPPED, CandidateSignals, RerankModel, feature_matrix, load_model, reorder
from tests._tiny_index import load_documents, names, rank_with

DOCS = {
    "habitat": "Réhabilitation de l'habitat ancien du centre : les propriétaires reçoivent des aides de l'Anah "
               "pour rénover les logements dégradés.",
    "fonc1": "Denormandie, Denormandie et encore Denormandie : le nom Denormandie revient dans cette brève note.",
    "fonc2": "Le dispositif Denormandie offre une réduction d'impôt aux investisseurs qui rénovent un logement "
             "ancien dans une commune du programme, sous conditions de travaux et de loyers plafonnés, pour une "
             "durée de six, neuf ou douze ans.",
}


def only(feature: str, weight: float = 1.0, depth: int = 20) -> RerankModel:
    return RerankModel(tuple(weight if f == feature else 0.0 for f in FEATURES), depth)


def test_feature_matrix_reads_each_signal() -> None:
    head = [(1, 0.9), (2, 0.5), (3, 0.2)]
    lexical = [(2, 8.0), (1, 4.0)]
    dense = [(3, 0.8), (1, 0.7), (4, 0.85)]
    signals = CandidateSignals(cosine={1: 0.7, 2: 0.6, 3: 0.8}, coverage={1: 0.5, 2: 1.0},
                               heading_coverage={2: 0.25}, position={1: 0, 2: 3, 3: 1},
                               document={1: "a", 2: "b", 3: "c", 4: "b"})
    x = feature_matrix(head, lexical, dense, signals)
    assert x.shape == (3, len(FEATURES))
    expected = [
        [0.7, 0.5, 0.9, math.log(3), math.log(3), 0.5, 0.0, 0.7, 0.0],
        # not a dense candidate: its dense rank is one past the list; its document's other passage (4) is closer
        [0.6, 1.0, 0.5, math.log(2), math.log(5), 1.0, 0.25, 0.85, math.log(4)],
        # not a lexical candidate: BM25 0, lexical rank one past the list
        [0.8, 0.0, 0.2, math.log(4), math.log(2), 0.0, 0.0, 0.8, math.log(2)],
    ]
    assert np.allclose(x, expected)


def test_reorder_moves_the_head_only_and_keeps_scores_decreasing() -> None:
    fused = [(10, 0.9), (11, 0.8), (12, 0.7), (13, 0.1)]
    x = np.zeros((3, len(FEATURES)))
    x[:, FEATURES.index("coverage")] = [0.2, 0.9, 0.2]  # 11 holds the query; 10 and 12 tie and keep their order
    assert reorder(fused, x, only("coverage")) == [(11, 0.9), (10, 0.8), (12, 0.7), (13, 0.1)]
    assert reorder(fused, x, RerankModel()) == fused  # no weights: off
    assert reorder(fused, x, only("coverage", 0.0)) == fused  # all weights zero: the fused order


def test_model_must_match_the_features(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        RerankModel((1.0, 2.0))
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"features": list(FEATURES), "weights": [0.5] * len(FEATURES), "depth": 7}))
    assert load_model(path) == RerankModel((0.5,) * len(FEATURES), 7)
    path.write_text(json.dumps({"features": ["dense"], "weights": [1.0], "depth": 7}))
    with pytest.raises(ValueError):
        load_model(path)


def test_shipped_model_is_complete_and_off_by_default() -> None:
    from acv.settings import Settings

    assert SHIPPED.enabled and len(SHIPPED.weights) == len(FEATURES) and SHIPPED.depth == 20
    assert Settings(_env_file=None).learned_rerank is False


@pytest.fixture
def tiny(kb) -> Iterator[Any]:
    yield load_documents(kb, DOCS)


def test_rank_reorders_the_fused_head_by_the_model(tiny) -> None:
    query = dict(method="lexical", expand_themes=False, coverage_scaling=False)
    # BM25 alone prefers the short note repeating one rare word.
    assert names(tiny, rank_with(tiny, "Denormandie logement", **query)) == ["fonc1", "fonc2", "habitat"]
    # A model reading only the idf share of the query each passage holds puts the passage with both words first;
    # the two others hold one word of equal idf each and keep their fused order.
    on = rank_with(tiny, "Denormandie logement", rerank=only("coverage"), **query)
    assert names(tiny, on) == ["fonc2", "fonc1", "habitat"]
    assert [h.score for h in on.hits] == sorted((h.score for h in on.hits), reverse=True)
    # Depth 2 re-orders the first two only; zero weights change nothing.
    assert names(tiny, rank_with(tiny, "Denormandie logement", rerank=only("coverage", depth=2), **query)) == [
        "fonc2", "fonc1", "habitat"]
    assert names(tiny, rank_with(tiny, "Denormandie logement", rerank=only("coverage", 0.0), **query)) == [
        "fonc1", "fonc2", "habitat"]
    # A negative BM25 weight reverses the lexical order: the re-ranking reads the product's own scores.
    assert names(tiny, rank_with(tiny, "Denormandie logement", rerank=only("bm25", -1.0), **query)) == [
        "habitat", "fonc2", "fonc1"]

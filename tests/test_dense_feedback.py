"""Dense pseudo-relevance feedback, the paraphrase weight and distinct documents first (issue 16).

The pure functions with exact values, then each technique through `HybridRetriever.rank` on a tiny
fixed index (fake embedder) with the exact order it produces, on and off.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from index.dense_feedback import FeedbackConfig, feedback_ids, refined_dense, rocchio
from index.fusion import CoverageWeight, weight_for_coverage
from index.grouping import distinct_documents_first
from tests._tiny_index import load_documents, names, rank_with

# -- pure functions -------------------------------------------------------------------------------


def test_rocchio_moves_the_query_towards_the_mean_of_the_feedback_vectors() -> None:
    q = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    fb = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    moved = rocchio(q, fb, beta=2.0)  # q + 2 × (0, .5, .5) = (1, 1, 1)
    assert moved.dtype == np.float32
    np.testing.assert_allclose(moved, np.full(3, 1 / np.sqrt(3)), rtol=1e-6)
    # nothing to feed back, or β = 0: the query itself
    np.testing.assert_array_equal(rocchio(q, np.zeros((0, 3), dtype=np.float32), 1.0), q)
    np.testing.assert_array_equal(rocchio(q, fb, 0.0), q)


def test_contrastive_rocchio_subtracts_the_neighbourhood_mean() -> None:
    q = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    fb = np.array([[1.0, 1.0, 0.0]], dtype=np.float32)
    neighbourhood = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]], dtype=np.float32)
    # q + (1, 1, 0) − (1, 0, 0) = (1, 1, 0): the shared first component is not pushed further
    np.testing.assert_allclose(rocchio(q, fb, 1.0, neighbourhood, 1.0), [2 ** -0.5, 2 ** -0.5, 0.0], rtol=1e-6)
    np.testing.assert_allclose(rocchio(q, fb, 1.0), np.array([2.0, 1.0, 0.0]) / np.sqrt(5), rtol=1e-6)


def test_feedback_ids_are_the_first_distinct_ids() -> None:
    assert feedback_ids([(7, 0.9), (7, 0.8), (3, 0.7), (5, 0.6)], 2) == [7, 3]
    assert feedback_ids([(4, 1.0)], 3) == [4]
    assert feedback_ids([], 3) == []


def test_refined_dense_reads_the_first_hits_and_searches_once_more() -> None:
    vectors = {1: [0.0, 1.0], 2: [1.0, 0.0], 3: [0.6, 0.8]}
    read: list[list[int]] = []
    searched: list[np.ndarray] = []

    def vectors_for(ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        read.append(ids)
        return np.array(ids), np.array([vectors[i] for i in ids], dtype=np.float32)

    def search(v: np.ndarray) -> list[tuple[int, float]]:
        searched.append(v)
        return [(2, 0.5)]

    q = np.array([1.0, 0.0], dtype=np.float32)
    first = [(1, 0.9), (3, 0.8), (2, 0.1)]
    assert refined_dense(q, first, first, vectors_for, search, FeedbackConfig(0)) is None  # off
    assert read == [] and searched == []
    assert refined_dense(q, first, first, vectors_for, search, FeedbackConfig(1, 1.0, "dense")) == [(2, 0.5)]
    assert read == [[1]]
    np.testing.assert_allclose(searched[0], [2 ** -0.5, 2 ** -0.5], rtol=1e-6)  # (1, 0) + (0, 1)
    refined_dense(q, first, first, vectors_for, search, FeedbackConfig(1, 1.0, "dense", gamma=1.0, neighbourhood=2))
    assert read[1:] == [[1], [1, 3]]  # the feedback hit, then the neighbourhood


def test_weight_for_coverage_step_and_linear() -> None:
    assert weight_for_coverage(0.5, 0.1, CoverageWeight()) == 0.5  # off
    step = CoverageWeight(0.3, 0.2)
    assert weight_for_coverage(0.5, 0.29, step) == 0.2
    assert weight_for_coverage(0.5, 0.3, step) == 0.5
    linear = CoverageWeight(0.4, 0.1, "linear")
    assert weight_for_coverage(0.5, 0.2, linear) == pytest.approx(0.25)  # 0.5 × 0.2 / 0.4
    assert weight_for_coverage(0.5, 0.0, linear) == pytest.approx(0.1)  # never under the floor
    assert weight_for_coverage(0.5, 0.4, linear) == 0.5


def test_distinct_documents_first_holds_back_second_passages_then_lets_them_back_in_order() -> None:
    hits = [SimpleNamespace(chunk_id=c) for c in (1, 2, 3, 4, 5, 6)]
    doc_of = {1: "a", 2: "a", 3: "b", 4: "a", 5: "c", 6: "b"}
    order = [h.chunk_id for h in distinct_documents_first(hits, 2, doc_of)]
    assert order == [1, 3, 2, 4, 5, 6]  # a, b first; then the rest in the fused order
    assert [h.chunk_id for h in distinct_documents_first(hits, 3, doc_of)] == [1, 3, 5, 2, 4, 6]
    # fewer documents than places: every passage still comes back, nothing dropped
    assert [h.chunk_id for h in distinct_documents_first(hits, 5, doc_of)] == [1, 3, 5, 2, 4, 6]
    assert [h.chunk_id for h in distinct_documents_first(hits, 0, doc_of)] == [1, 2, 3, 4, 5, 6]
    # documents looked up for the first four hits only: the unknown rest keeps its order behind them
    assert [h.chunk_id for h in distinct_documents_first(hits, 3, {1: "a", 2: "a", 3: "b", 4: "a"})] == \
        [1, 3, 2, 4, 5, 6]


# -- through rank, on a tiny index --------------------------------------------------------------------

DOCS = {
    "tram": "Le tramway relie la gare au centre ; les voyageurs descendent sur le parvis rénové.",
    "parvis": "Le parvis de la gare accueille les voyageurs : abris vélos, quais rénovés et billetterie.",
    "musee": "Le musée du tramway expose d'anciennes voitures et des affiches.",
    "halle": "La halle du marché couvert est rénovée pour les producteurs locaux.",
    "ecole": "Une école de musique s'installe dans l'ancienne caserne du centre.",
}


# One document in two passages (each block over the chunker's minimum): « long » has a tramway passage and a
# station passage.
LONG = [" ".join(["Le tramway relie la gare au centre-ville et dessert le quartier nord chaque jour."] * 12),
        " ".join(["La gare routière accueille les cars régionaux et un parking pour les vélos."] * 12)]


@pytest.fixture
def tiny(kb) -> Iterator[Any]:
    yield load_documents(kb, DOCS, {"long": LONG})


def test_settings_reach_the_retriever(kb) -> None:
    cfg = kb.retriever.config
    assert cfg.feedback == FeedbackConfig(0, 1.0, "dense", 1.0, 20)
    assert cfg.feedback.enabled is False
    assert cfg.low_coverage == CoverageWeight(0.0, 0.2)
    assert cfg.distinct_first == 5


def test_dense_feedback_brings_up_what_the_first_hit_is_about(tiny) -> None:
    # « parvis » shares no word with the query, but « gare », « voyageurs », « parvis » with the first hit.
    off = rank_with(tiny, "tramway centre", method="dense", distinct_first=0)
    assert names(tiny, off) == ["tram", "long", "ecole", "musee", "long", "halle", "parvis"]
    plain = rank_with(tiny, "tramway centre", method="dense", distinct_first=0, feedback=FeedbackConfig(1, 1.0, "dense"))
    assert names(tiny, plain) == ["tram", "long", "parvis", "ecole", "musee", "halle", "long"]
    contrastive = rank_with(tiny, "tramway centre", method="dense", distinct_first=0,
                        feedback=FeedbackConfig(1, 1.0, "dense", 1.0, 20))
    assert names(tiny, contrastive) == ["tram", "long", "musee", "parvis", "ecole", "halle", "long"]
    # the « nothing relevant » bar still reads the first dense search
    assert contrastive.best_dense == pytest.approx(off.best_dense)


def test_dense_feedback_in_the_weighted_fusion(tiny) -> None:
    off = rank_with(tiny, "tramway centre")
    on = rank_with(tiny, "tramway centre", feedback=FeedbackConfig(1, 1.0, "dense"))
    assert names(tiny, off) == ["long", "tram", "musee", "ecole", "parvis", "halle", "long"]
    assert names(tiny, on) == ["tram", "long", "parvis", "musee", "ecole", "halle", "long"]


def test_low_coverage_query_leans_on_the_dense_side(tiny) -> None:
    # the best passage holds 0.23 of the query's idf (« quais », « tram »…): under 0.3, BM25 weighs 0
    base = rank_with(tiny, "quais pour prendre le tram")
    assert base.coverage == pytest.approx(0.232, abs=1e-3)
    assert names(tiny, base) == ["parvis", "long", "tram", "halle", "musee", "ecole", "long"]
    low = rank_with(tiny, "quais pour prendre le tram", low_coverage=CoverageWeight(0.3, 0.0))
    assert low.diagnostics["lexical_weight"] == 0.0
    assert names(tiny, low) == ["parvis", "tram", "musee", "halle", "ecole", "long", "long"]
    above = rank_with(tiny, "quais pour prendre le tram", low_coverage=CoverageWeight(0.2, 0.0))
    assert above.diagnostics["lexical_weight"] == 0.5
    assert names(tiny, above) == names(tiny, base)


def test_first_places_come_from_distinct_documents(tiny) -> None:
    # « gare »: both passages of « long » lead the fused list; the second waits for five other documents
    on = rank_with(tiny, "gare")
    assert names(tiny, on) == ["long", "tram", "parvis", "musee", "halle", "long", "ecole"]
    off = rank_with(tiny, "gare", distinct_first=0)
    assert names(tiny, off) == ["long", "long", "tram", "parvis", "musee", "halle", "ecole"]
    two = rank_with(tiny, "gare", distinct_first=2)
    assert names(tiny, two) == ["long", "tram", "long", "parvis", "musee", "halle", "ecole"]

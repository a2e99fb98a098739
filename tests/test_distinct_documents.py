"""Distinct documents first: the pure function with exact values, then through `HybridRetriever.rank` on a
tiny fixed index (fake embedder) with the exact order it produces, on and off.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from index.grouping import distinct_documents_first
from tests._tiny_index import load_documents, names, rank_with


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
    assert kb.retriever.config.distinct_first == 5


def test_plain_rankings_of_the_tiny_index(tiny) -> None:
    assert names(tiny, rank_with(tiny, "tramway centre", method="dense", distinct_first=0)) == [
        "tram", "long", "ecole", "musee", "long", "halle", "parvis"]
    assert names(tiny, rank_with(tiny, "tramway centre")) == ["long", "tram", "musee", "ecole", "parvis", "halle",
                                                              "long"]
    base = rank_with(tiny, "quais pour prendre le tram")
    assert base.coverage == pytest.approx(0.232, abs=1e-3)
    assert base.diagnostics["lexical_weight"] == 0.5
    assert names(tiny, base) == ["parvis", "long", "tram", "halle", "musee", "ecole", "long"]


def test_first_places_come_from_distinct_documents(tiny) -> None:
    # « gare »: both passages of « long » lead the fused list; the second waits for five other documents
    on = rank_with(tiny, "gare")
    assert names(tiny, on) == ["long", "tram", "parvis", "musee", "halle", "long", "ecole"]
    off = rank_with(tiny, "gare", distinct_first=0)
    assert names(tiny, off) == ["long", "long", "tram", "parvis", "musee", "halle", "ecole"]
    two = rank_with(tiny, "gare", distinct_first=2)
    assert names(tiny, two) == ["long", "tram", "long", "parvis", "musee", "halle", "ecole"]

"""A lexical search restricted to chunk ids gives the same hits and scores whichever query form restricts it."""

from __future__ import annotations

from typing import Any

import pytest

import index.lexical_tantivy as lexical_tantivy
from tests._tiny_index import load_documents

DOCS = {f"d{i}": f"Rénovation de la halle numéro {i} ; commerce et marché couvert du centre-ville. " * (1 + i % 3)
        for i in range(12)}
DOCS["autre"] = "Une piste cyclable relie la gare au centre-ville."


@pytest.fixture
def tiny(kb) -> Any:
    return load_documents(kb, DOCS)


def test_union_and_term_set_restrictions_agree(tiny, monkeypatch) -> None:
    lex = tiny.retriever.lexical
    ids = lex.ids()
    some = ids[::2]
    terms = {"hall": 1.0, "march": 1.0, "vill": 0.5}
    as_union = lex.search_weighted(terms, 50, allowed=None, within=some)
    as_union_allowed = lex.search_weighted(terms, 50, allowed=some)
    monkeypatch.setattr(lexical_tantivy, "UNION_UP_TO", 0)  # every restriction as a term-set query
    as_term_set = lex.search_weighted(terms, 50, allowed=None, within=some)
    as_term_set_allowed = lex.search_weighted(terms, 50, allowed=some)
    assert [c for c, _ in as_union] == [c for c, _ in as_term_set]
    assert [s for _, s in as_union] == [s for _, s in as_term_set]
    assert as_union_allowed == as_term_set_allowed == as_union
    assert len(ids) == 13  # one chunk per document, and every chunk holds « vill »
    assert sorted(c for c, _ in as_union) == some
    assert lex.search_weighted(terms, 50, within=[]) == []

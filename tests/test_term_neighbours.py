"""Corpus-vocabulary neighbours (index/term_neighbours.py): the vocabulary built from fixed texts, the nearest
entries for fixed vectors, the cache of entry vectors, and the hook in `rank` on a tiny index, with exact
expected terms and orders, and the same query with it off."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest

from index.analysis import get_analyzer
from index.embedders.fake import FakeEmbedder
from index.term_neighbours import Entry, NeighbourConfig, TermNeighbours, build_entries, cached_vectors, query_units
from tests._tiny_index import load_documents, names, rank_with

TEXTS = [
    "Le coworking ouvre ses portes : un coworking de vingt postes.",
    "Les logements vacants du centre et la vacance résidentielle.",
    "Un coworking associatif près des logements vacants.",
]


def test_vocabulary_keeps_frequent_terms_with_their_most_frequent_word() -> None:
    a = get_analyzer()
    dfs = {"coworking": 2, "log": 2, "vac": 2, "vacanc": 1, "residentiel": 1, "port": 1}
    entries = build_entries(TEXTS, a, dfs, min_df=2)
    # Each kept term as its most frequent word; ordered by chunk frequency (all 2 here), then by text.
    assert entries == [Entry("coworking", ("coworking",)), Entry("logements", ("log",)), Entry("vacants", ("vac",))]
    # With word pairs: « logements vacants » is in two texts, « coworking ouvre » in one only.
    pairs = build_entries(TEXTS, a, dfs, min_df=2, bigrams=True)
    assert pairs == [entries[0], entries[1], Entry("logements vacants", ("log", "vac")), entries[2]]
    assert build_entries(TEXTS, a, dfs, min_df=2, max_entries=1) == [Entry("coworking", ("coworking",))]


def test_query_units_are_content_words_and_adjacent_pairs() -> None:
    assert query_units("un endroit pour travailler à plusieurs", get_analyzer()) == [
        "endroit", "travailler", "plusieurs", "endroit travailler", "travailler plusieurs"]


def test_neighbours_threshold_limit_and_typed_terms() -> None:
    entries = [Entry("tiers", ("tier",)), Entry("coworking", ("coworking",)), Entry("atelier", ("atelier",)),
               Entry("logements vides", ("logement", "vid"))]
    vectors = np.eye(4, dtype=np.float32)
    nb = TermNeighbours(entries, vectors)
    query = np.array([0.2, 0.9, 0.5, 0.95], dtype=np.float32)
    cfg = NeighbourConfig("query", min_similarity=0.4, max_terms=2, weight=0.3)
    # Best first: the pair (0.95; « logement » typed, « vid » added), then coworking (0.9); atelier is the third.
    assert nb.neighbours(query, {"logement"}, cfg) == {"vid": 0.3, "coworking": 0.3}
    # An entry whose terms are all typed does not use up a place.
    assert nb.neighbours(query, {"logement", "vid"}, cfg) == {"coworking": 0.3, "atelier": 0.3}
    assert nb.neighbours(query, set(), NeighbourConfig("query", min_similarity=0.92, max_terms=5, weight=0.2)) == {
        "logement": 0.2, "vid": 0.2}
    # Several query vectors (words mode): each entry counts for its best cosine with any of them.
    words = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.95, 0.0]], dtype=np.float32)
    assert nb.neighbours(words, set(), NeighbourConfig("words", 0.9, 5, 0.2)) == {"tier": 0.2, "atelier": 0.2}


def test_config_spec_round_trips_and_off_is_disabled() -> None:
    cfg = NeighbourConfig.from_spec("words:0.95:6:0.2:words")
    assert cfg == NeighbourConfig("words", 0.95, 6, 0.2) and cfg.spec == "words:0.95:6:0.2:words" and cfg.enabled
    assert not NeighbourConfig().enabled and NeighbourConfig.from_spec("off") == NeighbourConfig()
    with pytest.raises(ValueError):
        NeighbourConfig.from_spec("dense:0.9:3:0.2:words")


def test_entry_vectors_are_cached_in_the_store(kb) -> None:
    emb = FakeEmbedder(64)
    first = cached_vectors(emb, kb.store, ["coworking", "tiers lieu"])
    calls: list[Sequence[str]] = []

    class Counting(FakeEmbedder):
        def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
            calls.append(list(texts))
            return super().embed_passages(texts)

    again = cached_vectors(Counting(64), kb.store, ["tiers lieu", "coworking", "atelier"])
    assert calls == [["atelier"]]  # the two others come from the store
    assert np.array_equal(again[:2], first[::-1])


class Synonyms(FakeEmbedder):
    """The fake embedder reading « coworking » as « tiers lieu »: a paraphrase the lexical side cannot see."""

    def _vector(self, text: str) -> np.ndarray:
        return super()._vector(text.lower().replace("coworking", "tiers lieu"))


DOCS = {
    "cowork1": "Le coworking de la gare accueille des indépendants et des associations chaque semaine.",
    "cowork2": "Un coworking rural a ouvert dans l'ancienne poste, avec une salle de réunion.",
    "voirie": "Le tiers des rues du centre sera refait, au lieu de la seule place du marché.",
}


@pytest.fixture
def tiny(settings) -> Iterator[Any]:
    from service import KnowledgeBase

    base = KnowledgeBase(settings, embedder=Synonyms(64))
    yield load_documents(base, DOCS)
    base.close()


def test_rank_adds_the_corpus_word_near_the_query(tiny) -> None:
    lexical = dict(method="lexical", expand_themes=False)
    # BM25 alone: only the passage holding the typed words.
    off = rank_with(tiny, "tiers lieu", **lexical)
    assert names(tiny, off) == ["voirie"] and off.diagnostics["expansion_terms"] == 0.0
    # Words mode: the pair « tiers lieu » has the vector of the vocabulary entry « coworking » (in two passages),
    # which is added at boost 0.2: the two coworking passages follow the passage holding the typed words.
    words = rank_with(tiny, "tiers lieu", neighbours=NeighbourConfig("words", 0.99, 3, 0.2), **lexical)
    assert names(tiny, words) == ["voirie", "cowork1", "cowork2"] and words.diagnostics["expansion_terms"] == 1.0
    assert names(tiny, rank_with(tiny, "tiers lieu", neighbours=NeighbourConfig("words", 1.01, 3, 0.2),
                                 **lexical)) == ["voirie"]  # a threshold above the cosine adds nothing
    # Query mode reads the query's vector, computed only when the dense side runs: nothing in BM25 alone…
    assert names(tiny, rank_with(tiny, "tiers lieu", neighbours=NeighbourConfig("query", 0.99, 3, 0.2),
                                 **lexical)) == ["voirie"]
    # …and in the fusion the coworking passages, found by the dense side anyway, now have a BM25 score too.
    fused = dict(expand_themes=False)
    off_fused = rank_with(tiny, "tiers lieu", **fused)
    before = {n: h.lexical for n, h in zip(names(tiny, off_fused), off_fused.hits)}
    on = rank_with(tiny, "tiers lieu", neighbours=NeighbourConfig("query", 0.99, 3, 0.2), **fused)
    after = {n: h.lexical for n, h in zip(names(tiny, on), on.hits)}
    assert before["cowork1"] is None and before["cowork2"] is None and before["voirie"] is not None
    assert after["cowork1"] is not None and after["cowork2"] is not None and on.diagnostics["expansion_terms"] == 1.0


def test_vocabulary_follows_the_corpus(settings) -> None:
    from service import KnowledgeBase

    cfg = NeighbourConfig("words", 0.99, 3, 0.2)
    lexical = dict(method="lexical", expand_themes=False, correct_typos=False)
    base = KnowledgeBase(settings, embedder=Synonyms(64))
    try:
        load_documents(base, {k: DOCS[k] for k in ("voirie", "cowork1")})
        # « coworking » is in one passage: not in the vocabulary, nothing added (asked twice: built once).
        for _ in range(2):
            assert names(base, rank_with(base, "tiers lieu", neighbours=cfg, **lexical)) == ["voirie"]
        # A second passage brings it in; the next query sees the rebuilt vocabulary.
        load_documents(base, {"cowork2": DOCS["cowork2"]})
        assert names(base, rank_with(base, "tiers lieu", neighbours=cfg, **lexical)) == [
            "voirie", "cowork1", "cowork2"]
    finally:
        base.close()


def test_off_by_default() -> None:
    from acv.settings import Settings
    from index.search import RetrievalConfig

    assert Settings(_env_file=None).term_neighbours == "off" and not RetrievalConfig().neighbours.enabled

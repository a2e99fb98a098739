"""Ranking behaviour on a tiny fixed index (fake embedder), through the public `HybridRetriever.rank`
and `KnowledgeBase.search`: typo correction, theme expansion, coverage scaling, near-duplicate
push-down (across documents, or within a document only) and the « nothing relevant » bar, each with the
exact order it must produce.

Each test also runs the same query with the technique turned off, so that it shows what the technique
changes rather than an order the index would give anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from index.relevance import RelevanceSignals, no_relevant_result
from tests._tiny_index import load_documents, names, rank_with

DOCS = {
    "habitat": "Réhabilitation de l'habitat ancien du centre : les propriétaires reçoivent des aides de l'Anah "
               "pour rénover les logements dégradés.",
    "neuf": "Construction d'un quartier d'habitat neuf en périphérie, avec des maisons individuelles et un parc.",
    "cowork": "Une ancienne usine accueille un espace de travail partagé pour les indépendants et un fablab "
              "ouvert aux habitants.",
    "course": "Le semi-marathon part de la place centrale ; les inscriptions sont ouvertes jusqu'au 22 mai.",
    "dup1": "Le comité de projet se réunit au moins deux fois par an pour valider les actions de la convention.",
    "dup2": "Le comité de projet se réunit au moins deux fois par an pour valider les actions de la convention.",
    "comite": "Le comité technique prépare les travaux du comité de projet et suit les actions.",
    "fonc1": "Denormandie, Denormandie et encore Denormandie : le nom Denormandie revient dans cette brève note.",
    "fonc2": "Le dispositif Denormandie offre une réduction d'impôt aux investisseurs qui rénovent un logement "
             "ancien dans une commune du programme, sous conditions de travaux et de loyers plafonnés, pour une "
             "durée de six, neuf ou douze ans.",
}


@pytest.fixture
def tiny(kb) -> Iterator[Any]:
    """The knowledge base over DOCS, one document each (source mem/<name>)."""
    yield load_documents(kb, DOCS)


def test_misspelt_term_is_corrected_against_the_index_vocabulary(tiny) -> None:
    on = rank_with(tiny, "rehabilitaton habitat")
    assert on.terms == ["rehabilit", "habitat"]
    assert names(tiny, on)[:2] == ["habitat", "neuf"]
    off = rank_with(tiny, "rehabilitaton habitat", correct_typos=False)
    assert off.terms == ["rehabilitaton", "habitat"]
    assert names(tiny, off)[:2] == ["neuf", "habitat"]


def test_theme_expansion_finds_a_synonym_the_query_does_not_hold(tiny) -> None:
    # « tiers-lieu » is in no document; its theme's synonyms (« espace de travail partagé », « fablab ») are.
    assert names(tiny, rank_with(tiny, "tiers-lieu", method="lexical")) == ["cowork"]
    assert names(tiny, rank_with(tiny, "tiers-lieu", method="lexical", expand_themes=False)) == []


def test_coverage_scaling_prefers_the_passage_holding_the_whole_query(tiny) -> None:
    # BM25 alone prefers the short note that repeats one rare word; scaled by the idf share of the query each
    # passage holds, the passage with both words comes first.
    scaled = rank_with(tiny, "Denormandie logement", method="lexical", expand_themes=False)
    assert names(tiny, scaled) == ["fonc2", "fonc1", "habitat"]
    raw = rank_with(tiny, "Denormandie logement", method="lexical", expand_themes=False, coverage_scaling=False,
                    exact_first=False)
    assert names(tiny, raw) == ["fonc1", "fonc2", "habitat"]


def test_near_duplicate_passage_is_pushed_below_the_first_page_not_dropped(tiny) -> None:
    # configured (best2-copies): another document's copy of one of the two best passages keeps its place
    assert names(tiny, rank_with(tiny, "comité de projet réunit actions"))[:3] == ["dup1", "dup2", "comite"]
    pushed = names(tiny, rank_with(tiny, "comité de projet réunit actions", near_duplicates="across"))
    assert pushed == ["dup1", "comite", "fonc2", "habitat", "neuf", "cowork", "course", "fonc1", "dup2"]
    kept = names(tiny, rank_with(tiny, "comité de projet réunit actions", dedup_threshold=1.0))
    assert kept[:3] == ["dup1", "dup2", "comite"]


# Two passages of one convention repeating its governance article (the second with an « Annexe. » prefix).
_ARTICLE_7 = ("Un comité de projet, présidé par le maire et associant le président de l'intercommunalité, le préfet "
              "ou son représentant et les partenaires financeurs, se réunit au moins deux fois par an. Il valide les "
              "actions, suit l'avancement du plan d'action et propose, si nécessaire, les avenants. Un comité "
              "technique, animé par le directeur de projet, prépare ses travaux. ")
_FILLER = ("Le plan d'action rassemble des fiches portant sur l'habitat, le commerce, les mobilités, le patrimoine "
           "et les services publics du centre-ville. ") * 6


def test_near_duplicates_across_documents_or_within_a_document_only(kb) -> None:
    load_documents(kb, DOCS, multi={"conv": [_ARTICLE_7 + _FILLER, "Annexe. " + _ARTICLE_7 + _FILLER]})
    query = "comité de projet réunit deux fois par an"
    # configured (best2-copies): another document's copy of the best passage (dup2) stays, the convention's
    # own repeat waits below the page
    assert names(kb, rank_with(kb, query)) == ["dup1", "dup2", "conv", "comite", "fonc2", "course", "habitat",
                                               "neuf", "fonc1", "cowork", "conv"]
    # across: another document's twin (dup2) and the convention's own repeat both wait below the page
    across = names(kb, rank_with(kb, query, near_duplicates="across"))
    assert across == ["dup1", "conv", "comite", "fonc2", "course", "habitat", "neuf", "fonc1", "cowork",
                      "dup2", "conv"]
    # no push-down: both on the page (the repeat held to 6th by the first five distinct documents)
    off = names(kb, rank_with(kb, query, dedup_threshold=1.0))
    assert off == ["dup1", "dup2", "conv", "comite", "fonc2", "conv", "course", "habitat", "neuf", "fonc1",
                   "cowork"]
    # within a document only: dup2 (another document) keeps its place, the convention's repeat waits
    within = names(kb, rank_with(kb, query, near_duplicates="within"))
    assert within == ["dup1", "dup2", "conv", "comite", "fonc2", "course", "habitat", "neuf", "fonc1", "cowork",
                      "conv"]


def test_off_corpus_query_is_flagged_and_on_topic_query_is_not(tiny) -> None:
    off = tiny.search("patinoire olympique", {}, k=5)
    assert off["no_relevant_result"] is True
    assert len(off["results"]) == 5  # advice, not a wall: the closest passages all the same
    assert off["relevance_reason"].to_dict() == {
        "code": "no_query_word",
        "message": "Aucun des mots de la requête ne figure dans les passages les plus proches."}
    on = tiny.search("comité de projet", {}, k=5)
    assert on["no_relevant_result"] is False and on["relevance_reason"] is None
    # « comite » names the comité twice; its near-duplicate twins follow, the second one pushed down.
    assert [r["source"] for r in on["results"]][:2] == ["mem/comite", "mem/dup1"]


def _signals(**kw: Any) -> RelevanceSignals:
    base = dict(method="weighted", hits=10, terms=3, coverage=0.9, best_dense=0.9, unknown_share=0.0,
                dense_coverage=0.5, agreement=0.3)
    return RelevanceSignals(**(base | kw))


def test_relevance_bar_rules() -> None:
    # support = 3.72 × agreement + 2.23 × dense coverage + 0.50 × words, flagged below 2.95 (issue 16: the
    # cosine threshold is gone, the two retrievers' agreement replaces it; see index/relevance.py)
    assert no_relevant_result(_signals()) is False  # 1.116 + 1.115 + 1.5 = 3.731
    assert no_relevant_result(_signals(hits=0)) is True
    # the two retrievers fetch different passages and the dense ones share little of the query: nothing relevant
    assert no_relevant_result(_signals(agreement=0.1, dense_coverage=0.3)) is True  # 2.541
    assert no_relevant_result(_signals(agreement=0.1, dense_coverage=0.4)) is True  # 2.764
    assert no_relevant_result(_signals(agreement=0.1, dense_coverage=0.5)) is False  # 2.987
    assert no_relevant_result(_signals(agreement=0.0, dense_coverage=0.2)) is True  # 1.946
    # the cosine plays no part any more
    assert no_relevant_result(_signals(coverage=0.2, best_dense=0.5)) is False
    # a long query (six words) is not flagged on support alone...
    assert no_relevant_result(_signals(terms=6, agreement=0.0, dense_coverage=0.0, coverage=0.3)) is False
    # ...but it is when none of its words is in any of the best passages, on either side
    assert no_relevant_result(_signals(terms=8, agreement=0.0, dense_coverage=0.0, coverage=0.0)) is True
    # a lexical-only ranking (or one without a dense side) is judged on its coverage alone
    assert no_relevant_result(_signals(method="lexical", coverage=0.2, dense_coverage=0.0, best_dense=0.0)) is True
    assert no_relevant_result(_signals(method="lexical", coverage=0.3, dense_coverage=0.0, best_dense=0.0)) is False
    assert no_relevant_result(_signals(coverage=0.2, dense_side=False, agreement=0.0)) is True
    assert no_relevant_result(_signals(coverage=0.3, dense_side=False, agreement=0.0)) is False
    # a query without indexable terms (stop words only) is never flagged on its terms
    assert no_relevant_result(_signals(terms=0, coverage=0.0, unknown_share=0.0)) is False
    # dense-only rankings are shown as they are
    assert no_relevant_result(_signals(method="dense", coverage=0.0, unknown_share=1.0, best_dense=0.1)) is False

"""Exact lookups are never hidden (hypothesis): on generated small corpora, a query made of a word or a phrase
that occurs in one passage only returns that passage first and unflagged, with and without a filter holding it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from acv.settings import Settings
from index.analysis import FrenchAnalyzer
from index.query_syntax import exact_words
from tests._tiny_index import load_documents

A = FrenchAnalyzer()
COMMON = ("rénovation logement commerce gare marché parc école musée façade quartier habitat place jardin atelier "
          "théâtre piscine bibliothèque halle friche boulevard travaux centre ville projet étude budget chantier "
          "mairie équipement patrimoine").split()
GLUE = ("de", "la", "du", "des", "le", "et", "pour", "avec", "sur", "en")
SYLLABLES = ("ba", "zo", "ki", "lu", "mé", "tor", "vik", "dru", "pla", "ster", "quo", "fen")

sentence = st.lists(st.one_of(st.sampled_from(COMMON), st.sampled_from(GLUE)), min_size=8, max_size=18)
invented = st.lists(st.sampled_from(SYLLABLES), min_size=3, max_size=5).map("".join)


def _kb(directory: str, extractor):  # type: ignore[no-untyped-def]
    from service import KnowledgeBase

    return KnowledgeBase(Settings(data_dir=Path(directory) / "var", embedder="fake", embedder_model="64",
                                  _env_file=None), extractor=extractor)


def _corpus(draw, with_word: bool):  # type: ignore[no-untyped-def]
    """Documents d0…dn of common words, some in Cahors; the target (one of them, in Cahors) and its query."""
    n = draw(st.integers(min_value=3, max_value=7))
    texts = [draw(sentence) for _ in range(n)]
    target = draw(st.integers(min_value=0, max_value=n - 1))
    in_cahors = {target} | {i for i in range(n) if draw(st.booleans())}
    if with_word:
        word = draw(invented)
        words = texts[target]
        words.insert(draw(st.integers(min_value=0, max_value=len(words))), word)
        query = word
    else:
        start = draw(st.integers(min_value=0, max_value=len(texts[target]) - 4))
        query = " ".join(texts[target][start: start + 4])
    docs = {f"d{i}": " ".join(t) + (" à Cahors." if i in in_cahors else ".") for i, t in enumerate(texts)}
    return docs, f"d{target}", query


@st.composite
def word_corpus(draw):  # type: ignore[no-untyped-def]
    return _corpus(draw, with_word=True)


@st.composite
def phrase_corpus(draw):  # type: ignore[no-untyped-def]
    return _corpus(draw, with_word=False)


def _only_in(docs: dict[str, str], target: str, query: str) -> bool:
    """The query's words, as written and consecutive, are in the target document only."""
    needle = f" {' '.join(exact_words(query))} "
    return all((needle in f" {' '.join(exact_words(text))} ") == (name == target) for name, text in docs.items())


def _check(extractor, docs: dict[str, str], target: str, query: str) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        kb = _kb(tmp, extractor)
        try:
            load_documents(kb, docs)
            source = {r[0]: r[1] for r in kb.store.con.execute("SELECT id, source FROM documents")}
            for filters in ({}, {"city": "Cahors"}):
                res = kb.search(query, filters, k=10)
                assert res.results, (query, filters)
                assert source[res.results[0].doc_id] == f"mem/{target}", (query, filters)
                assert not res.no_relevant_result, (query, filters)
        finally:
            kb.close()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(case=word_corpus())
def test_a_word_found_in_one_passage_only_is_found_first(shared_extractor, case):
    docs, target, query = case
    term = A.terms(query)
    assume(term and all(term[0] not in A.terms(text) for name, text in docs.items() if name != target))
    _check(shared_extractor, docs, target, query)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(case=phrase_corpus(), quoted=st.booleans())
def test_a_phrase_found_in_one_passage_only_is_found_first(shared_extractor, case, quoted):
    docs, target, query = case
    assume(A.terms(query) and _only_in(docs, target, query))
    _check(shared_extractor, docs, target, f'"{query}"' if quoted else query)


# -- the search syntax and filters, through KnowledgeBase.search ---------------------------------------------------

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
CAHORS = CORPUS / "communiques" / "cahors-convention-action-coeur-de-ville-signee.html"
VIENNE = CORPUS / "communiques" / "vienne-signature-convention-coeur-de-ville.html"
COGNAC = CORPUS / "communiques" / "cognac-anah-lancement-opah-ru.html"
SEMINAIRE = CORPUS / "communiques" / "seminaire-regional-action-coeur-de-ville-occitanie.html"


def _titles(res) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.title for r in res.results]


def test_a_filter_never_hides_the_passage_holding_the_word(shared_extractor, tmp_path):
    """« façades --city Cahors » finds the Cahors press release (« façades du secteur sauvegardé »)."""
    kb = _kb(str(tmp_path), shared_extractor)
    try:
        kb.ingest([CAHORS, VIENNE, COGNAC, SEMINAIRE])
        res = kb.search("façades", {"city": "Cahors"}, k=5)
        assert not res.no_relevant_result and res.relevance_reason is None
        assert "façades du secteur sauvegardé" in res.results[0].text
        assert res.results[0].title == "33,9 M€ pour le cœur de ville de Cahors"
        quoted = kb.search('"ravalement obligatoire des façades"', {}, k=5)
        assert _titles(quoted)[0] == ("Séminaire régional Action cœur de ville : les villes d'Occitanie "
                                      "partagent leurs expériences")
        without = kb.search("façades -Cahors", {}, k=10)
        assert all("cahors" not in r.text.lower() for r in without.results)
        titled = kb.search("titre:Vienne façades", {}, k=10)
        assert {r.title for r in titled.results} == {VIENNE_TITLE}
    finally:
        kb.close()


VIENNE_TITLE = "Action cœur de ville : Vienne signe pour 35,2 millions d'euros"


def test_a_query_of_exclusions_only_is_refused(shared_extractor, tmp_path):
    import pytest

    from acv.errors import InvalidQueryError

    kb = _kb(str(tmp_path), shared_extractor)
    try:
        with pytest.raises(InvalidQueryError) as err:
            kb.search("-façades -commerce", {}, k=5)
        assert err.value.message == "La requête ne contient que des exclusions (-mot) : ajoutez un mot à chercher."
    finally:
        kb.close()


def test_cli_prints_the_notice_above_the_closest_passages(tmp_path, monkeypatch, capsys):
    from acv.settings import get_settings
    from cli.main import main as cli_main

    monkeypatch.setenv("ACV_DATA_DIR", str(tmp_path / "cli-var"))
    monkeypatch.setenv("ACV_EMBEDDER", "fake")
    get_settings.cache_clear()
    try:
        assert cli_main(["ingest", str(CAHORS), str(VIENNE), "-q"]) == 0
        capsys.readouterr()
        assert cli_main(["search", "zorglub", "-k", "1"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == ("Aucun passage ne répond précisément ; voici les plus proches. (Aucun des mots de la "
                            "requête ne figure dans les passages les plus proches.)")
        assert lines[2].startswith(" 1. [")
        assert cli_main(["search", "façades", "--city", "Cahors", "-k", "1"]) == 0
        assert capsys.readouterr().out.startswith(" 1. [")  # no notice: the passage holds the word
    finally:
        get_settings.cache_clear()

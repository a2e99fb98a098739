import pytest

from index.analysis import FrenchAnalyzer, fold
from index.fusion import rrf_fusion, weighted_fusion
from index.lexical_fts5 import match_expression


def test_fold_strips_accents_and_ligatures():
    assert fold("Épinal, cœur de ville") == "epinal, coeur de ville"


def test_terms_stem_fold_and_drop_stop_words():
    a = FrenchAnalyzer()
    assert a.terms("La réhabilitation de l'habitat et des façades commerciales") == [
        "rehabilit", "habitat", "facad", "commercial",
    ]
    # Missing accents give the same terms.
    assert a.terms("rehabilitation facades") == ["rehabilit", "facad"]


def test_term_spans_point_into_the_original_text():
    a = FrenchAnalyzer()
    text = "Le marché couvert d'Épinal"
    spans = a.term_spans(text)
    assert [(t, text[s:e]) for t, s, e in spans] == [("march", "marché"), ("couvert", "couvert"), ("epinal", "Épinal")]


def test_match_expression_quotes_every_term():
    assert match_expression(["march", "couvert", "march"]) == '"march" OR "couvert"'
    assert match_expression(['a"b']) == '"a""b"'
    assert match_expression([]) == ""


def test_weighted_fusion_min_max():
    lexical = [(1, 10.0), (2, 5.0), (3, 0.0)]
    dense = [(2, 0.9), (4, 0.5)]
    fused = weighted_fusion(lexical, dense, 0.5)
    assert fused == [(2, 0.75), (1, 0.5), (3, 0.0), (4, 0.0)]


def test_rrf_fusion():
    fused = rrf_fusion([(1, 3.0), (2, 2.0)], [(2, 0.9), (3, 0.1)], k=60)
    assert [cid for cid, _ in fused] == [2, 1, 3]
    assert round(fused[0][1], 6) == round(1 / 62 + 1 / 61, 6)


def test_the_stop_words_are_those_the_index_was_built_with():
    from index.analysis import _STOP
    from index.stopwords_fr import STOPWORDS_FRENCH

    assert len(STOPWORDS_FRENCH) == len(set(STOPWORDS_FRENCH)) == 157
    assert len(_STOP) == 176 and {"les", "qu", "etaient", "été", "a"} <= _STOP  # with folded forms and elisions
    bm25s = pytest.importorskip("bm25s.stopwords")  # the list the first stores were analysed with (a dev extra)
    assert STOPWORDS_FRENCH == tuple(bm25s.STOPWORDS_FRENCH)

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

from index.analysis import FrenchAnalyzer, fold
from index.fusion import rrf_fusion, weighted_fusion
from index.lexical import match_expression


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


def test_weighted_fusion_bm25_over_its_best_score():
    # BM25 [10, 5] → [1.0, 0.5] (not min-max's [1, 0]); dense [0.9, 0.8] → [1, 0].
    fused = weighted_fusion([(1, 10.0), (2, 5.0)], [(2, 0.9), (3, 0.8)], 0.5, "bm25-over-max")
    assert fused == [(2, 0.75), (1, 0.5), (3, 0.0)]


def test_weighted_fusion_zscore():
    # BM25 [3, 1] → mean 2, sd 1 → [2, 0] from the lowest; dense [0.9, 0.8, 0.7] → sd 0.0816… → [2.449…, 1.224…, 0].
    fused = dict(weighted_fusion([(1, 3.0), (2, 1.0)], [(1, 0.9), (2, 0.8), (3, 0.7)], 0.5, "zscore"))
    assert round(fused[1], 4) == round(0.5 * 2 + 0.5 * 0.2 / (0.02 / 3) ** 0.5, 4) == 2.2247
    assert round(fused[2], 4) == 0.6124
    assert fused[3] == 0.0

"""The search syntax: phrases, exclusions and the title prefix read into a typed query; words matched as written."""

from __future__ import annotations

from index.query_syntax import ParsedQuery, as_written, exact_words, parse


def test_plain_text_has_no_operators():
    q = parse("rénovation du centre-ville de Cahors")
    assert q == ParsedQuery("rénovation du centre-ville de Cahors")
    assert not q.has_operators


def test_quoted_phrases_in_every_quote_style():
    q = parse('"rue Aristide-Briand" façades «  Hôtel de ville » “marché couvert”')
    assert q.phrases == ("rue Aristide-Briand", "Hôtel de ville", "marché couvert")
    assert q.text == "rue Aristide-Briand façades Hôtel de ville marché couvert"


def test_a_quoted_single_word_is_a_plain_word():
    assert parse('"façades"') == ParsedQuery("façades")


def test_an_unclosed_quote_is_plain_text():
    assert parse('"rue Aristide-Briand') == ParsedQuery('"rue Aristide-Briand')


def test_exclusions_of_words_and_phrases():
    q = parse('commerce -boulangerie -"marché couvert" centre-ville')
    assert q == ParsedQuery("commerce centre-ville", (), ("boulangerie", "marché couvert"))


def test_a_hyphen_inside_a_word_or_alone_is_no_operator():
    assert parse("Saint-Pierre - 2020-2026") == ParsedQuery("Saint-Pierre - 2020-2026")


def test_text_keeps_what_is_typed_around_the_operators():
    assert parse("résidence de Lens : qui a réalisé l'opération ?") == ParsedQuery(
        "résidence de Lens : qui a réalisé l'opération ?")
    assert parse('Lens : "résidence étudiante",  -Cahors coût ?') == ParsedQuery(
        'Lens : résidence étudiante, coût ?', ("résidence étudiante",), ("Cahors",))


def test_title_prefix_keeps_its_words_as_query_words():
    q = parse('titre:convention titre:"avenant 2023" Lens')
    assert q == ParsedQuery("convention avenant 2023 Lens", (), (), ("convention", "avenant 2023"))
    assert parse("TITRE:Cahors").title == ("Cahors",)


def test_exact_words_fold_case_accents_and_ligatures():
    assert exact_words("l'Hôtel-Dieu, Œuvre du 1er mai (M€)") == ["l", "hotel", "dieu", "oeuvre", "du", "1er",
                                                                    "mai", "m"]


def test_words_matched_as_written():
    assert as_written("CAF RD921 Saint-Pierre A7 2020-2026 l'ORT. d’OPAH-RU centre façades Cahors") == [
        ["caf"], ["rd921"], ["saint", "pierre"], ["a7"], ["ort"], ["opah", "ru"]]


def test_dates_are_matched_as_written():
    assert as_written("piscine 14 mai 2022, 1er octobre et Octobre 2019 ; mai seul") == [
        ["14", "mai", "2022"], ["1er", "octobre"], ["octobre", "2019"], ["1er"]]

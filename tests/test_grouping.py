"""Near-duplicate announcement grouping (index/grouping.py) on generated variants."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from acv.settings import Settings
from index import grouping
from index.grouping import Announcement, group_announcements, pair_scores
from index.search import RetrievalConfig
from tests import _announcements

TEXT = ("Le préfet, le maire et le président de l'agglomération ont signé la convention-cadre Action cœur de "
        "ville. Elle engage trente millions d'euros sur cinq ans pour le commerce, l'habitat et les espaces "
        "publics du centre ancien, avec une foncière commerciale et une opération d'amélioration de l'habitat.")


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    return _announcements.announcements(tmp_path_factory.mktemp("annonces"))


def test_generated_variants_are_grouped_exactly(variants):
    items, gold = variants
    assert len(items) == 18 and len(gold) == 6
    groups = group_announcements(items)
    assert sorted(map(sorted, groups)) == sorted(map(sorted, gold))
    assert pair_scores(groups, gold) == (1.0, 1.0)


def test_each_group_starts_with_the_first_publication(variants):
    items, _ = variants
    groups = group_announcements(items)
    assert groups[0] == ["agen-convention-prefecture", "agen-convention-mairie", "agen-convention-presse"]


def test_same_city_same_week_other_news_and_five_years_later_stay_apart(variants):
    items, _ = variants
    groups = group_announcements(items)
    together = {doc: tuple(g) for g in groups for doc in g}
    assert "agen-fonciere-prefecture" not in together["agen-convention-prefecture"]
    assert "cahors-avenant-prefecture" not in together["cahors-convention-prefecture"]
    assert "sens-convention-prefecture" not in together["cahors-convention-prefecture"]


def test_city_and_date_window_are_required():
    items = [
        Announcement("a", TEXT, ("46042",), "2018-09-28"),
        Announcement("b", TEXT, ("46042",), "2018-10-01"),  # same text, same city, 3 days later
        Announcement("c", TEXT, ("47001",), "2018-09-28"),  # same text, another city
        Announcement("d", TEXT, ("46042",), "2019-09-28"),  # same text, same city, a year later
        Announcement("e", TEXT, ("46042",), None),  # no date: text and city decide
        Announcement("f", TEXT, (), "2018-09-28"),  # no city: never grouped
    ]
    groups = group_announcements(items)
    assert groups == [["a", "b", "e"], ["c"], ["d"], ["f"]]


def test_pair_scores():
    assert pair_scores([["a", "b", "c"]], [["a", "b"], ["c"]]) == (1 / 3, 1.0)
    assert pair_scores([["a"], ["b"]], [["a", "b"]]) == (1.0, 0.0)


def test_signatures_are_stable_between_runs():
    first = grouping.signature(TEXT).hashvalues.tolist()
    assert grouping.signature(TEXT).hashvalues.tolist() == first
    assert grouping.shingles("La rénovation des façades") == {"renov facad"}


# -- near-duplicate passages on a page (index/grouping.py PageRepeats) ---------------------------------------

_ART7 = frozenset({"comit", "projet", "reun", "deux", "fois", "an"})
_ART7_B = _ART7 | {"valid"}  # Jaccard 6/7 with _ART7: another convention's copy
_ART6 = frozenset({"engag", "partenair", "etat", "referent", "dsil", "detr"})
_ART6_B = _ART6 | {"anah"}
_HALLES = frozenset({"hall", "produc", "frais", "fecamp"})
_ONE = frozenset("abcdefghij")  # a chain: _ONE ~ _TWO (9/11) and _TWO ~ _THREE (9/11), but _ONE vs _THREE 8/12
_TWO = frozenset("abcdefghik")
_THREE = frozenset("abcdefghkl")


def _page(items: list[tuple[str, str, frozenset[str]]], mode: str = grouping.NEAR_DUPLICATES,
          threshold: float = 0.8) -> tuple[list[str], list[str]]:
    """(kept, pushed down) names, walking the items in order as index/search.py `_diversify` does."""
    repeats, kept, pushed = grouping.PageRepeats(threshold, mode), [], []
    for name, doc, terms in items:
        if repeats.repeats(terms, doc):
            pushed.append(name)
        else:
            kept.append(name)
            repeats.keep(terms, doc)
    return kept, pushed


# Article 7 of convention a first, then a press release, convention b's copy and convention a's own repeat.
_TEMPLATE_FIRST = [("a7", "conv-a", _ART7), ("press", "communique", _HALLES), ("b7", "conv-b", _ART7_B),
                   ("a7-annexe", "conv-a", _ART7_B)]
# The q041 shape: the answer first, then a template that answers nothing and another convention's copy of it.
_ANSWER_FIRST = [("halles", "fecamp", _HALLES), ("a6", "conv-a", _ART6), ("b6", "conv-b", _ART6_B)]


def test_the_default_keeps_the_copies_of_the_two_best_passages():
    # the tuning split's choice (docs/BENCHMARKS.md, "Copies of the best passage kept", issue 16)
    assert grouping.NEAR_DUPLICATES == "best2-copies" == Settings(_env_file=None).near_duplicates
    assert RetrievalConfig().near_duplicates == "best2-copies"
    assert _page(_TEMPLATE_FIRST) == (["a7", "press", "b7"], ["a7-annexe"])
    assert _page(_ANSWER_FIRST) == (["halles", "a6", "b6"], [])


def test_across_pushes_down_every_near_duplicate():
    assert grouping.jaccard(_ART7_B, _ART7) == pytest.approx(6 / 7)
    assert _page(_TEMPLATE_FIRST, "across") == (["a7", "press"], ["b7", "a7-annexe"])
    assert _page(_ANSWER_FIRST, "across") == (["halles", "a6"], ["b6"])
    # at 0.9 b's copy (6/7) is no longer a near-duplicate; a's repeat has b's exact terms and still is one
    assert _page(_TEMPLATE_FIRST, "across", threshold=0.9) == (["a7", "press", "b7"], ["a7-annexe"])


def test_within_a_document_only_keeps_every_other_documents_copy():
    assert _page(_TEMPLATE_FIRST, "within") == (["a7", "press", "b7"], ["a7-annexe"])
    assert _page(_ANSWER_FIRST, "within") == (["halles", "a6", "b6"], [])


def test_best_copies_keeps_the_copies_of_the_first_passage_only():
    # the template passage is the best one: convention b's copy stays, convention a's own repeat does not
    assert _page(_TEMPLATE_FIRST, "best-copies") == (["a7", "press", "b7"], ["a7-annexe"])
    # the template comes second: its copy is pushed down as with "across" (the q041 case)
    assert _page(_ANSWER_FIRST, "best-copies") == (["halles", "a6"], ["b6"])
    # a third passage's copy is pushed down even with two seeds
    third = [("halles", "fecamp", _HALLES), ("press", "communique", _ONE), ("a6", "conv-a", _ART6),
             ("b6", "conv-b", _ART6_B)]
    assert _page(third, "best2-copies") == (["halles", "press", "a6"], ["b6"])
    # with the first two passages as seeds, the second one's copy stays too
    assert _page(_ANSWER_FIRST, "best2-copies") == (["halles", "a6", "b6"], [])
    assert _page(_ANSWER_FIRST + [("c6", "conv-c", _ART6_B)], "best2-copies") == (["halles", "a6", "b6", "c6"], [])


def test_best_copies_follow_a_chain_of_copies_but_not_a_copy_of_another_passage():
    # c is a copy of b (kept as a copy of the best) though not of a itself: it stays
    chain = [("a", "conv-a", _ONE), ("b", "conv-b", _TWO), ("c", "conv-c", _THREE)]
    assert grouping.jaccard(_ONE, _THREE) == pytest.approx(8 / 12)
    assert _page(chain, "best-copies") == (["a", "b", "c"], [])
    assert _page(chain, "across") == (["a", "c"], ["b"])  # b pushed down, so c is compared with a only
    # a copy of the best family that also repeats a passage outside it is pushed down
    mixed = [("a", "conv-a", _ONE), ("x", "conv-x", _THREE | {"z"}), ("b", "conv-b", _TWO)]
    assert grouping.jaccard(_THREE | {"z"}, _TWO) == pytest.approx(9 / 12)
    assert _page(mixed, "best-copies", threshold=0.75) == (["a", "x"], ["b"])
    # an empty term set never repeats anything and is kept
    assert _page([("a", "conv-a", _ONE), ("e", "conv-a", frozenset())], "best-copies", threshold=0.0) == (
        ["a", "e"], [])


def test_the_mode_is_a_setting(monkeypatch):
    assert grouping.PageRepeats(0.8).mode == "best2-copies"
    assert grouping.PageRepeats(0.8, "within").mode == "within"
    monkeypatch.setenv("ACV_NEAR_DUPLICATES", "across")
    assert Settings(_env_file=None).near_duplicates == "across"
    monkeypatch.setenv("ACV_NEAR_DUPLICATES", "everywhere")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)
    with pytest.raises(ValueError):
        grouping.PageRepeats(0.8, "everywhere")

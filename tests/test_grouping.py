"""Near-duplicate announcement grouping (index/grouping.py) on generated variants."""

from __future__ import annotations

import pytest

from index import grouping
from index.grouping import Announcement, group_announcements, pair_scores
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


# -- near-duplicate passages on a page (index/grouping.py near_duplicate) ------------------------------------

_KEPT = [("conv-a", frozenset({"comit", "projet", "reun", "deux", "fois", "an"}))]
_TWIN = frozenset({"comit", "projet", "reun", "deux", "fois", "an", "valid"})  # Jaccard 6/7 with the kept one


def test_near_duplicate_across_documents_or_within_one_only():
    assert grouping.NEAR_DUPLICATES_ACROSS_DOCUMENTS is True  # the tuning split's choice (BENCHMARKS, issue 16)
    assert grouping.jaccard(_TWIN, _KEPT[0][1]) == pytest.approx(6 / 7)
    # another document's copy: pushed down across documents, kept when only a document's own repeats count
    assert grouping.near_duplicate(_TWIN, "conv-b", _KEPT, 0.8) is True
    assert grouping.near_duplicate(_TWIN, "conv-b", _KEPT, 0.8, across_documents=False) is False
    # the same document's repeat: pushed down either way, below the threshold never
    assert grouping.near_duplicate(_TWIN, "conv-a", _KEPT, 0.8, across_documents=False) is True
    assert grouping.near_duplicate(_TWIN, "conv-a", _KEPT, 0.9, across_documents=False) is False
    assert grouping.near_duplicate(frozenset(), "conv-a", _KEPT, 0.0) is False


def test_near_duplicate_default_reads_the_module_setting(monkeypatch):
    monkeypatch.setattr(grouping, "NEAR_DUPLICATES_ACROSS_DOCUMENTS", False)
    assert grouping.near_duplicate(_TWIN, "conv-b", _KEPT, 0.8) is False
    assert grouping.near_duplicate(_TWIN, "conv-a", _KEPT, 0.8) is True

"""The map never empties itself behind « nothing relevant »: it shows the towns of the closest documents."""

from __future__ import annotations

from types import SimpleNamespace

import ui.views.map as map_view


class _Client:
    def __init__(self, flagged: bool) -> None:
        self.flagged = flagged

    def search(self, query: str, filters: dict, k: int = 10) -> SimpleNamespace:
        facet = [SimpleNamespace(value="46042", count=2), SimpleNamespace(value="47001", count=1)]
        return SimpleNamespace(no_relevant_result=self.flagged, facets={"city": facet})


def test_a_flagged_search_still_colours_the_towns_of_the_closest_documents(monkeypatch) -> None:
    monkeypatch.setattr(map_view, "get_client", lambda: _Client(flagged=True))
    counts, caption = map_view.match_counts({"q": "façades", "city": ["Cahors"]})
    assert counts == {"46042": 2, "47001": 1}
    assert caption == ("Aucun passage ne répond précisément à « façades » ; voici les villes des documents "
                       "les plus proches (avec filtres).")


def test_an_answered_search_says_which_search(monkeypatch) -> None:
    monkeypatch.setattr(map_view, "get_client", lambda: _Client(flagged=False))
    counts, caption = map_view.match_counts({"q": "façades"})
    assert counts == {"46042": 2, "47001": 1}
    assert caption == "Documents correspondant à la recherche « façades »."

"""One announcement, many sources: the generated variants (tests/_announcements.py) ingested through the
service and the API come back as one result per event, with the other publications listed."""

from __future__ import annotations

import pytest

from tests import _announcements
from tests._api_fixtures import make_kb, make_settings


@pytest.fixture(scope="module")
def variants_kb(tmp_path_factory):
    """The 18 variants (6 events × prefecture, city hall, press) written as HTML files and ingested."""
    folder = tmp_path_factory.mktemp("annonces")
    for doc_id, _event, _day, page in _announcements.pages():
        (folder / f"{doc_id}.html").write_text(page, encoding="utf-8")
    kb = make_kb(make_settings(tmp_path_factory.mktemp("kb") / "var"))
    report = kb.ingest([folder])
    assert [o.status for o in report.outcomes] == ["added"] * 18
    yield kb
    kb.close()


def _names(kb, doc_ids):
    return sorted(kb.document(d).source.rsplit("/", 1)[-1].removesuffix(".html") for d in doc_ids)


def _gold():
    gold: dict[str, list[str]] = {}
    for doc_id, event, _day, _page in _announcements.pages():
        gold.setdefault(event, []).append(doc_id)
    return sorted(sorted(g) for g in gold.values())


def test_ingest_stores_one_group_per_event(variants_kb):
    groups = variants_kb.groups.all_groups()
    assert sorted(_names(variants_kb, g) for g in groups) == _gold()


def test_search_gives_one_result_per_announcement_with_its_other_sources(variants_kb):
    res = variants_kb.search("halle des producteurs Vienne inauguration", k=10)
    vienne = [r for r in res.results if "vienne-halle" in r.source]
    assert len(vienne) == 1  # the three publications collapse into one result
    hit = vienne[0]
    others = sorted(d.source.rsplit("/", 1)[-1] for d in hit.duplicates)
    own = hit.source.rsplit("/", 1)[-1]
    assert own not in others
    assert sorted([own, *others]) == ["vienne-halle-mairie.html", "vienne-halle-prefecture.html",
                                      "vienne-halle-presse.html"]
    assert all(d.title for d in hit.duplicates)
    assert hit.to_dict()["duplicates"][0].keys() == {"doc_id", "source", "title"}


def test_results_of_two_events_of_one_city_stay_apart(variants_kb):
    res = variants_kb.search("Agen foncière commerciale convention Banque des Territoires", k=20,
                             group_by_document=True)
    events = sorted({r.source.rsplit("/", 1)[-1].rsplit("-", 1)[0] for r in res.results})
    assert {"agen-convention", "agen-fonciere"} <= set(events)
    assert len(res.results) == len(events)  # one document per event


def test_facet_counts_count_a_group_once(variants_kb):
    res = variants_kb.search("Agen convention foncière commerciale Banque des Territoires", k=50, with_facets=True)
    ranked = variants_kb.retriever.rank(res.query, variants_kb.resolve_filters({}), limit=50)
    per_document = variants_kb.store.facet_counts([h.chunk_id for h in ranked.hits])
    assert per_document["city"]["47001"] == 6  # six publications of Agen match…
    cities = {f.value: f.count for f in res.facets["city"]}
    assert cities["47001"] == 2  # …of two announcements


def test_a_result_without_republication_has_an_empty_list(variants_kb, tmp_path):
    (tmp_path / "seule.md").write_text(
        "# Note unique sur Cahors\n\nLa ville de Cahors publie un guide des devantures commerciales pour les "
        "commerçants du centre ancien, avec des conseils de couleurs et d'enseignes.\n", encoding="utf-8")
    variants_kb.ingest([tmp_path / "seule.md"])
    res = variants_kb.search("guide des devantures commerciales", k=3)
    top = res.results[0]
    assert top.source.endswith("seule.md") and top.duplicates == [] and top.to_dict()["duplicates"] == []


def test_deleting_a_publication_shrinks_its_group(variants_kb):
    groups = {tuple(_names(variants_kb, g)) for g in variants_kb.groups.all_groups()}
    sens = next(g for g in groups if g[0].startswith("sens"))
    doc = next(d for d in variants_kb.documents().documents if d.source.endswith(f"{sens[0]}.html"))
    variants_kb.delete_document(doc.doc_id)
    after = {tuple(_names(variants_kb, g)) for g in variants_kb.groups.all_groups()}
    assert sens[1:] in after and sens not in after


def test_api_results_list_the_other_sources_with_links(variants_kb):
    from fastapi.testclient import TestClient

    from search_api.app import create_app

    with TestClient(create_app(variants_kb.settings, kb=variants_kb)) as client:
        body = client.get("/search", params={"q": "Cahors convention signature centre ancien", "k": 20}).json()
    cahors = [r for r in body["results"] if "cahors-convention" in r["source"]]
    assert len(cahors) == 1
    dups = cahors[0]["duplicates"]
    assert len(dups) == 2 and {d["doc_id"] for d in dups}.isdisjoint({cahors[0]["doc_id"]})
    assert all(d["file_url"] == f"/documents/{d['doc_id']}/file" for d in dups)
    assert all("cahors-convention-" in d["source"] for d in dups)
    # the avenant five years later, in nearly the same words, is its own announcement
    avenants = [r for r in body["results"] if "cahors-avenant" in r["source"]]
    assert len(avenants) <= 1 and all("cahors-convention" not in d["source"]
                                      for r in avenants for d in r["duplicates"])
    # facets count each announcement once: as many as the (collapsed) results naming Cahors
    in_cahors = [r for r in body["results"] if "46042" in {c["insee"] for c in r["cities"]}]
    assert len(in_cahors) < sum(1 + len(r["duplicates"]) for r in in_cahors)  # fewer than the publications
    assert {f["value"]: f["count"] for f in body["facets"]["city"]}["46042"] == len(in_cahors)

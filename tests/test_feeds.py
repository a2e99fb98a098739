"""Following a search: saved searches in the database, `acv watch`, the saved-search routes and the Atom
feed (parsed back and checked element by element)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from acv.errors import InvalidQueryError, NotFoundError
from cli.main import main as cli_main
from tests._api_fixtures import API_KEY, error_of, ingested_kb, make_app, make_settings

A = "{http://www.w3.org/2005/Atom}"
# when each test document entered the base (set in the store: the pipeline stamps the ingest time)
ENTERED = {
    "agen-vacance-commerciale.md": "2026-03-01T10:00:00+00:00",
    "quimper-mobilite-douce.html": "2026-02-01T10:00:00+00:00",
    "abbeville-habitat.md": "2026-01-10T10:00:00+00:00",
    "convention-sens.pdf": "2025-12-01T10:00:00+00:00",
}
QUERY = "centre-ville commerces logements"


@pytest.fixture(scope="module")
def feed_kb(tmp_path_factory):
    kb = ingested_kb(make_settings(tmp_path_factory.mktemp("feeds") / "var"))
    with kb.store.transaction() as con:
        for doc in kb.documents().documents:
            con.execute("UPDATE documents SET ingested_at = ? WHERE id = ?",
                        (ENTERED[doc.source.rsplit("/", 1)[-1]], doc.doc_id))
    yield kb
    kb.close()


def _names(entries):
    return [e["source"].rsplit("/", 1)[-1] for e in entries]


def test_watch_lists_documents_entered_since_a_date_newest_first(feed_kb):
    everything = feed_kb.feeds.watch(QUERY)
    assert _names(everything.results) == list(ENTERED)  # all four match, newest first
    recent = feed_kb.feeds.watch(QUERY, since="2026-01-15")
    assert recent.since == "2026-01-15T00:00:00+00:00"
    assert _names(recent.results) == ["agen-vacance-commerciale.md", "quimper-mobilite-douce.html"]
    assert recent.to_dict()["results"][0].keys() == {"doc_id", "title", "source", "date", "ingested_at",
                                                     "chunk_id", "page", "format", "snippet", "ocr"}


def test_watch_applies_the_filters(feed_kb):
    res = feed_kb.feeds.watch(QUERY, {"city": ["Agen", "Abbeville"]}, since="2026-01-01")
    assert _names(res.results) == ["agen-vacance-commerciale.md", "abbeville-habitat.md"]
    assert res.filters == {"city": ["47001", "80001"]}


def test_watch_refuses_a_bad_date_in_french(feed_kb):
    with pytest.raises(InvalidQueryError) as err:
        feed_kb.feeds.watch(QUERY, since="hier")
    assert err.value.message == "Date invalide : « hier ». Format attendu : AAAA-MM-JJ (ou AAAA-MM-JJTHH:MM)."


def test_saved_search_round_trip_keeps_canonical_filters(feed_kb):
    saved = feed_kb.feeds.create("  Agen et Abbeville ", QUERY, {"city": ["Agen", "80001"]})
    assert (saved.name, saved.query, saved.filters) == ("Agen et Abbeville", QUERY, {"city": ["47001", "80001"]})
    assert len(saved.id) == 16
    assert saved.id in [s.id for s in feed_kb.feeds.all()]
    news = feed_kb.feeds.watch_saved(saved.id, "2026-01-01")
    assert _names(news.results) == ["agen-vacance-commerciale.md", "abbeville-habitat.md"]
    feed_kb.feeds.delete(saved.id)
    assert saved.id not in [s.id for s in feed_kb.feeds.all()]
    with pytest.raises(NotFoundError) as err:
        feed_kb.feeds.get(saved.id)
    assert err.value.message == f"Recherche suivie introuvable : « {saved.id} »."


def test_saved_search_refuses_empty_name_query_and_unknown_city(feed_kb):
    with pytest.raises(InvalidQueryError, match="Donnez un nom"):
        feed_kb.feeds.create(" ", QUERY)
    with pytest.raises(InvalidQueryError, match="La requête est vide"):
        feed_kb.feeds.create("Nom", "  ")
    with pytest.raises(InvalidQueryError, match="Gotham"):
        feed_kb.feeds.create("Nom", QUERY, {"city": ["Gotham"]})


def test_saved_searches_live_in_the_store_file(feed_kb):
    saved = feed_kb.feeds.create("Persistante", "vacance commerciale")
    from service import KnowledgeBase
    from tests._api_fixtures import cached_extractor

    other = KnowledgeBase(feed_kb.settings, extractor=cached_extractor())
    try:
        assert other.feeds.get(saved.id).name == "Persistante"
    finally:
        other.close()
        feed_kb.feeds.delete(saved.id)


# -- API -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(feed_kb):
    from fastapi.testclient import TestClient

    from search_api.app import create_app

    with TestClient(create_app(feed_kb.settings, kb=feed_kb)) as c:
        yield c


def test_api_creates_lists_and_deletes_with_the_key(api):
    body = {"name": "Agen", "query": QUERY, "filters": {"city": ["Agen"]}}
    refused = api.post("/saved-searches", json=body)
    assert refused.status_code == 401 and error_of(refused)["code"] == "cle_api_invalide"
    made = api.post("/saved-searches", json=body, headers={"X-API-Key": API_KEY})
    assert made.status_code == 201
    saved = made.json()
    assert saved["filters"] == {"city": ["47001"]} and saved["feed_url"] == f"/feeds/{saved['id']}.atom"
    assert saved["id"] in [s["id"] for s in api.get("/saved-searches").json()]
    assert api.delete(f"/saved-searches/{saved['id']}").status_code == 401
    gone = api.delete(f"/saved-searches/{saved['id']}", headers={"X-API-Key": API_KEY})
    assert gone.json() == {"id": saved["id"], "deleted": True}
    again = api.delete(f"/saved-searches/{saved['id']}", headers={"X-API-Key": API_KEY})
    assert again.status_code == 404
    assert error_of(again)["message"] == f"Recherche suivie introuvable : « {saved['id']} »."


def test_api_refuses_bad_saved_searches_in_the_error_shape(api):
    bad = api.post("/saved-searches", json={"name": "", "query": QUERY}, headers={"X-API-Key": API_KEY})
    assert bad.status_code == 400 and error_of(bad)["message"] == "Donnez un nom à la recherche suivie."
    city = api.post("/saved-searches", json={"name": "x", "query": QUERY, "filters": {"city": ["Gotham"]}},
                    headers={"X-API-Key": API_KEY})
    assert city.status_code == 400 and error_of(city)["details"] == {"city": "Gotham"}
    assert api.get("/feeds/inconnu.atom").status_code == 404
    assert error_of(api.get("/feeds/inconnu.atom"))["code"] == "introuvable"


def test_api_news_since_a_date(api):
    saved = api.post("/saved-searches", json={"name": "Tout", "query": QUERY},
                     headers={"X-API-Key": API_KEY}).json()
    news = api.get(f"/saved-searches/{saved['id']}/new", params={"since": "2026-01-15"}).json()
    assert _names(news["results"]) == ["agen-vacance-commerciale.md", "quimper-mobilite-douce.html"]
    assert news["saved_search"]["id"] == saved["id"]
    assert news["results"][0]["file_url"] == f"/documents/{news['results'][0]['doc_id']}/file"
    bad = api.get(f"/saved-searches/{saved['id']}/new", params={"since": "demain"})
    assert bad.status_code == 400 and error_of(bad)["details"] == {"since": "demain"}


def test_atom_feed_is_valid_newest_first_and_links_to_document_and_page(api, feed_kb):
    saved = api.post("/saved-searches", json={"name": "Centres-villes", "query": QUERY},
                     headers={"X-API-Key": API_KEY}).json()
    res = api.get(saved["feed_url"])
    assert res.status_code == 200 and res.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert res.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    feed = ET.fromstring(res.content)
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}title") == "Action cœur de ville — Centres-villes"
    assert feed.findtext(f"{A}id").startswith("urn:uuid:")
    assert feed.findtext(f"{A}updated") == ENTERED["agen-vacance-commerciale.md"]
    assert feed.find(f"{A}author/{A}name").text
    assert feed.find(f"{A}link[@rel='self']").get("href") == f"http://127.0.0.1:8000/feeds/{saved['id']}.atom"  # the configured host, never Host
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}updated") for e in entries] == list(ENTERED.values())  # newest first
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == 4 and all(i.startswith("urn:uuid:") for i in ids)
    docs = {d.source.rsplit("/", 1)[-1]: d for d in feed_kb.documents().documents}
    for entry, name in zip(entries, ENTERED):
        assert entry.findtext(f"{A}title") == docs[name].title
        link = entry.find(f"{A}link[@rel='alternate']").get("href")
        assert link.startswith(f"http://127.0.0.1:8000/documents/{docs[name].doc_id}/file")
    pdf = entries[-1].find(f"{A}link").get("href")
    assert "#page=" in pdf  # the PDF opens at the page of its best passage
    assert api.get(saved["feed_url"]).content == res.content  # stable ids: same feed twice


def test_openapi_documents_duplicates_and_ocr(api):
    schema = api.get("/openapi.json").json()["components"]["schemas"]
    props = schema["SearchResult"]["properties"]
    assert "Aussi publié par" in props["duplicates"]["description"]
    assert set(schema["DuplicateOut"]["properties"]) == {"doc_id", "source", "title", "file_url"}
    assert "OCR" in props["ocr"]["description"]


# -- CLI -------------------------------------------------------------------------------------


def test_cli_saved_and_watch(feed_kb, monkeypatch, capsys):
    monkeypatch.setenv("ACV_DATA_DIR", str(feed_kb.settings.data_dir))
    monkeypatch.setenv("ACV_EMBEDDER", "fake")
    monkeypatch.setenv("ACV_EMBEDDER_MODEL", "64")
    from acv.settings import get_settings

    get_settings.cache_clear()
    try:
        assert cli_main(["saved", "add", "Agen", *QUERY.split(), "--city", "Agen", "--json"]) == 0
        saved = json.loads(capsys.readouterr().out)
        assert saved["filters"] == {"city": ["47001"]}
        assert cli_main(["saved", "list"]) == 0
        assert f"{saved['id']}  Agen — « {QUERY} »" in capsys.readouterr().out
        assert cli_main(["watch", "--saved", saved["id"], "--since", "2026-02-15", "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert _names(out["results"]) == ["agen-vacance-commerciale.md"]
        assert cli_main(["watch", *QUERY.split(), "--since", "2026-01-15"]) == 0
        text = capsys.readouterr().out
        assert text.startswith("2 document(s) nouveau(x) depuis le 2026-01-15 :")
        assert cli_main(["watch", *QUERY.split(), "--since", "2027-01-01"]) == 0
        assert capsys.readouterr().out == "Rien de nouveau depuis le 2027-01-01.\n"
        assert cli_main(["watch", "--since", "hier", *QUERY.split()]) == 1
        assert "Date invalide" in capsys.readouterr().err
        assert cli_main(["saved", "delete", saved["id"]]) == 0
        assert cli_main(["saved", "delete", saved["id"]]) == 1
        assert capsys.readouterr().err == f"Erreur : Recherche suivie introuvable : « {saved['id']} ».\n"
    finally:
        get_settings.cache_clear()

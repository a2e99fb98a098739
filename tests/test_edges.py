"""Ill-formed or oversized requests and a proxy in front: bounded bodies, clean text, well-formed feeds, 4xx
for what cannot be asked, forwarded headers and Host believed only from a trusted proxy."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from acv.errors import InvalidQueryError
from search_api.app import create_app
from search_api.bodies import MAX_JSON_BYTES
from service.types import WatchEntry
from tests._api_fixtures import AGEN, API_KEY, QUIMPER, error_of, make_app, make_kb, make_settings

KEY = {"X-API-Key": API_KEY}
A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def edge_kb(tmp_path_factory):
    kb = make_kb(make_settings(tmp_path_factory.mktemp("edges") / "var"))
    kb.ingest([AGEN, QUIMPER])
    yield kb
    kb.close()


@pytest.fixture(scope="module")
def api(edge_kb):
    with TestClient(create_app(edge_kb.settings, kb=edge_kb)) as c:
        yield c


# -- bounded bodies -----------------------------------------------------------------------------------------------


def test_an_oversized_saved_search_body_is_413_before_it_is_read(api, edge_kb):
    before = len(edge_kb.feeds.all())
    body = b'{"name": "x", "query": "vacance", "filters": {"city": [' + b'"Agen",' * 20_000 + b'"Agen"]}}'
    res = api.post("/saved-searches", content=body, headers={**KEY, "content-type": "application/json"})
    assert res.status_code == 413
    assert error_of(res) == {"code": "corps_trop_volumineux",
                             "message": "Corps de la requête trop volumineux (limite : 64 Kio).",
                             "details": {"max_bytes": MAX_JSON_BYTES}}
    chunked = api.post("/saved-searches", content=iter([body[:40_000], body[40_000:]]),
                       headers={**KEY, "content-type": "application/json"})  # no Content-Length: counted
    assert chunked.status_code == 413 and error_of(chunked)["code"] == "corps_trop_volumineux"
    assert len(edge_kb.feeds.all()) == before


def test_saved_search_lists_unknown_fields_and_long_values_are_422(api):
    many = api.post("/saved-searches", json={"name": "x", "query": "vacance", "filters": {"city": ["Agen"] * 51}},
                    headers=KEY)
    assert many.status_code == 422
    assert error_of(many)["message"] == "Champ « filters » : trop de valeurs (maximum 50)."
    unknown = api.post("/saved-searches", json={"name": "x", "query": "vacance", "bourrage": "z" * 1000},
                       headers=KEY)
    assert unknown.status_code == 422
    assert error_of(unknown)["message"] == "Champ « bourrage » : champ inconnu."
    bad_filter = api.post("/saved-searches", json={"name": "x", "query": "vacance", "filters": {"ville": "Agen"}},
                          headers=KEY)
    assert bad_filter.status_code == 422
    assert error_of(bad_filter)["details"]["errors"][0]["field"] == "filters.ville"
    long_name = api.post("/saved-searches", json={"name": "n" * 201, "query": "vacance"}, headers=KEY)
    assert error_of(long_name)["message"] == "Champ « name » : texte trop long (maximum 200 caractères)."


def test_the_core_bounds_a_saved_search_filters_too(edge_kb):
    with pytest.raises(InvalidQueryError) as info:
        edge_kb.feeds.create("x", "vacance", {"city": ["Agen"] * 51})
    assert info.value.message == "Trop de valeurs pour le filtre « city » (51 ; maximum 50)."


def test_a_malformed_json_body_names_no_field(api):
    res = api.post("/saved-searches", content=b'{"name": "x", "query": ', headers={**KEY,
                                                                                  "content-type": "application/json"})
    assert res.status_code == 422
    assert error_of(res) == {
        "code": "parametres_invalides", "message": "Corps de la requête : JSON invalide (position 23).",
        "details": {"errors": [{"location": "body", "field": "", "message": "JSON invalide (position 23)"}]}}


# -- control characters, lone surrogates --------------------------------------------------------------------------


def test_control_characters_are_removed_from_names_and_a_name_of_controls_only_refused(api, edge_kb):
    res = api.post("/saved-searches", json={"name": "Vacance\x01 à\x0bAgen\x1b\x00", "query": "vacance\x07"},
                   headers=KEY)
    assert res.status_code == 201, res.text
    saved = res.json()
    assert (saved["name"], saved["query"]) == ("Vacance à Agen", "vacance")
    feed = api.get(saved["feed_url"])
    assert ET.fromstring(feed.content).findtext(f"{A}title") == "Action cœur de ville — Vacance à Agen"
    empty = api.post("/saved-searches", json={"name": "\x00\x01", "query": "vacance"}, headers=KEY)
    assert empty.status_code == 400
    assert error_of(empty)["message"] == "Donnez un nom à la recherche suivie."
    edge_kb.feeds.delete(saved["id"])


@pytest.mark.parametrize("body", [
    b'{"name": "\\ud800", "query": "vacance"}',
    b'{"name": "x", "query": "vacance \\udfff"}',
    b'{"name": "x", "query": "vacance", "filters": {"city": ["\\ud83d"]}}',
])
def test_a_lone_surrogate_in_a_json_body_is_422_not_500(api, body):
    res = api.post("/saved-searches", content=body, headers={**KEY, "content-type": "application/json"})
    assert res.status_code == 422
    assert error_of(res)["message"].endswith(": caractères invalides (demi-paire UTF-16 isolée).")


def test_queries_with_nothing_to_search_are_400(api):
    for query in ("!!!%3F%3F%3F", "%00", "%E2%80%A6%E2%80%94%C2%AB%C2%BB", "%ED%A0%80", "%FF%FE", "%20%01%02"):
        res = api.get(f"/search?q={query}")  # NUL, « …—«» », a lone surrogate and bytes that are not UTF-8
        assert res.status_code == 400, (query, res.text)
        assert error_of(res)["code"] == "requete_invalide"
    assert error_of(api.get("/search", params={"q": "!!!???"}))["message"] == (
        "La requête ne contient ni lettre ni chiffre : rien à rechercher.")
    assert error_of(api.get("/search", params={"q": "\x00"}))["message"] == (
        "La requête est vide : saisissez quelques mots.")
    assert api.get("/search", params={"q": "vacance\x00 commerciale"}).json()["query"] == "vacance commerciale"


def test_integers_past_sqlite_range_are_422_and_the_largest_one_404(api):
    res = api.get("/chunks/9223372036854775808/similar")
    assert res.status_code == 422
    assert error_of(res)["message"] == ("Paramètre d'adresse « chunk_id » : la valeur doit être inférieure ou "
                                        "égale à 9223372036854775807.")
    assert api.get("/chunks/-1/similar").status_code == 422
    assert api.get("/chunks/9223372036854775807/similar").status_code == 404
    for params in ({"k": 10**30}, {"offset": 10**30}):
        assert api.get("/search", params={"q": "vacance", **params}).status_code in (400, 422)
    page = api.get("/documents", params={"offset": 10**30})  # sliced in Python, never bound in SQL
    assert page.status_code == 200 and page.json()["documents"] == []


# -- XML 1.0-valid feeds whatever the names and titles --------------------------------------------------------------

_any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x40) | st.sampled_from("\ufffe\uffff\u2028é€𝄞"),
    max_size=30)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_any_text, title=_any_text, snippet=_any_text, source=_any_text)
def test_every_feed_parses_as_xml_whatever_the_names_and_titles(edge_kb, name, title, snippet, source):
    try:
        saved = edge_kb.feeds.create(name, "vacance", {})
    except InvalidQueryError:
        return  # refused in French (empty, surrogate): nothing stored, no feed
    try:
        entry = WatchEntry(doc_id="d1", title=title or None, source=source, date="2020-01-02",
                           ingested_at="2026-01-01T00:00:00+00:00", chunk_id=1, page=2, format="pdf",
                           snippet=snippet, ocr=False)
        real = edge_kb.feeds.watch_saved

        def watch_saved(search_id, since=None, limit=50):
            out = real(search_id, since, limit)
            out.results = [entry, *out.results]
            return out

        edge_kb.feeds.watch_saved = watch_saved
        body = edge_kb.feeds.atom(saved.id, feed_url="http://127.0.0.1:8000/feeds/x.atom",
                                  link=lambda e: f"http://127.0.0.1:8000/documents/{e.doc_id}/file")
        root = ET.fromstring(body)  # expat refuses any character XML 1.0 does not allow
        assert root.tag == f"{A}feed"
        assert root.findtext(f"{A}title").startswith("Action cœur de ville — ")
        assert len(root.findall(f"{A}entry")) >= 1
    finally:
        edge_kb.feeds.__dict__.pop("watch_saved", None)
        edge_kb.feeds.delete(saved.id)


def test_a_saved_search_stored_with_control_characters_earlier_still_gives_a_valid_feed(edge_kb):
    row = edge_kb.saved_searches.add("Ancien\x01nom\x1b", "vacance", {}, "2026-01-01T00:00:00+00:00")
    body = edge_kb.feeds.atom(row.id, feed_url="http://h/f.atom", link=lambda e: "http://h/d")
    assert ET.fromstring(body).findtext(f"{A}title") == "Action cœur de ville — Anciennom"
    edge_kb.feeds.delete(row.id)


# -- slow upload: an honest status ----------------------------------------------------------------------------------


def test_an_upload_whose_reading_times_out_is_422_not_415(tmp_path):
    settings = make_settings(tmp_path / "var", parse_timeout_s=0.001)
    text = ("Le marché couvert de Cahors accueille les producteurs chaque matin. " * 3000).encode()
    with TestClient(make_app(settings)) as client:
        res = client.post("/documents", files={"file": ("long.txt", text, "text/plain")}, headers=KEY)
    assert res.status_code == 422
    assert error_of(res) == {"code": "lecture_trop_couteuse",
                             "message": "Le fichier n'a pas pu être ingéré : lecture trop longue (plus de 0.001 s).",
                             "details": {"file_name": "long.txt"}}
    assert not [p for p in settings.uploads_dir.iterdir() if p.is_file()]


# -- proxies: forwarded headers and Host ----------------------------------------------------------------------------


def _statuses(client, count: int, forwarded: bool) -> list[int]:
    return [client.get("/documents", headers={"X-Forwarded-For": f"203.0.113.{i}"} if forwarded else {}).status_code
            for i in range(count)]


def test_forwarded_for_from_an_untrusted_local_client_does_not_choose_the_bucket(tmp_path):
    settings = make_settings(tmp_path / "var", rate_limit_per_minute=5)
    with TestClient(make_app(settings), client=("127.0.0.1", 40000)) as client:
        assert _statuses(client, 8, forwarded=True) == [200] * 5 + [429] * 3


def test_forwarded_for_from_a_trusted_proxy_is_the_client(tmp_path):
    settings = make_settings(tmp_path / "var", rate_limit_per_minute=5, trusted_proxies="127.0.0.1, 10.0.0.0/8")
    with TestClient(make_app(settings), client=("10.1.2.3", 40000)) as client:
        assert _statuses(client, 8, forwarded=True) == [200] * 8  # one bucket per real client
        assert _statuses(client, 8, forwarded=False) == [200] * 5 + [429] * 3  # the proxy's own bucket


def test_the_right_api_key_has_its_own_bucket_and_a_wrong_one_does_not(tmp_path):
    settings = make_settings(tmp_path / "var", rate_limit_per_minute=3)
    with TestClient(make_app(settings)) as client:
        assert [client.get("/documents").status_code for _ in range(4)] == [200, 200, 200, 429]
        assert client.get("/documents", headers={"X-API-Key": "faux"}).status_code == 429
        assert [client.get("/documents", headers=KEY).status_code for _ in range(4)] == [200, 200, 200, 429]


def _feed_links(client, feed_id: str, **headers: str) -> set[str]:
    root = ET.fromstring(client.get(f"/feeds/{feed_id}.atom", headers=headers).content)
    return {link.get("href").split("/feeds/")[0].split("/documents/")[0] for link in root.iter(f"{A}link")}


def test_the_host_header_is_never_reflected_into_feed_links(tmp_path):
    settings = make_settings(tmp_path / "var", host="0.0.0.0", port=18250)
    kb = make_kb(settings)
    kb.ingest([AGEN])
    feed_id = kb.feeds.create("Vacance", "vacance commerciale", {}).id
    kb.close()
    with TestClient(make_app(settings), client=("127.0.0.1", 40000)) as client:
        assert _feed_links(client, feed_id, host="evil.example") == {"http://127.0.0.1:18250"}
        assert _feed_links(client, feed_id, host="evil.example", **{"X-Forwarded-Proto": "https"}) == {
            "http://127.0.0.1:18250"}
    public = make_settings(tmp_path / "var", public_url="https://acv.example.org/")
    with TestClient(make_app(public)) as client:
        assert _feed_links(client, feed_id, host="evil.example") == {"https://acv.example.org"}
    proxied = make_settings(tmp_path / "var", trusted_proxies="127.0.0.1")
    with TestClient(make_app(proxied), client=("127.0.0.1", 40000)) as client:  # the proxy sets Host
        assert _feed_links(client, feed_id, host="acv.example.org", **{"X-Forwarded-Proto": "https"}) == {
            "https://acv.example.org"}


def test_unreadable_trusted_proxies_are_refused_in_french(tmp_path):
    from acv.errors import AcvError

    with pytest.raises(AcvError) as info:
        create_app(make_settings(tmp_path / "var", trusted_proxies="tout le monde"))
    assert info.value.message.startswith("ACV_TRUSTED_PROXIES illisible (")


def test_acv_serve_turns_uvicorn_proxy_trust_off_and_logs_the_project_at_info(monkeypatch):
    import uvicorn

    from cli.main import main

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    assert main(["serve", "--port", "18251"]) == 0
    kwargs = calls[0]
    assert (kwargs["proxy_headers"], kwargs["forwarded_allow_ips"], kwargs["port"]) == (False, "", 18251)
    loggers = kwargs["log_config"]["loggers"]
    assert {name: loggers[name]["level"] for name in ("index", "service", "search_api")} == {
        "index": "INFO", "service": "INFO", "search_api": "INFO"}

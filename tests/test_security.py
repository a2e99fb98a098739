"""Security properties not covered by test_api_errors / test_api_uploads.

- FTS5 syntax typed by a user is never read as syntax: no error, no other column.
- Filters reach SQLite only as bound parameters: injection strings in every filter are refused (400, French)
  and the store is left as it was.
- The API key never appears in logs or answers on the DELETE path, right or wrong.
- Brute-forcing the key is throttled by the request rate limit.
"""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from acv.filters import FILTER_KEYS
from search_api.app import create_app
from tests._api_fixtures import API_KEY, error_of, make_settings

FTS_QUERIES = ["body:secret", '"', '""', "a OR", "OR", "NEAR(a b)", "NEAR(", "*", "commerce*", "-commerce",
               "^commerce", "commerce:", ":", "(", ")", "a AND NOT b", "{body}: commerce", "rowid:1", "chunks_fts",
               "'", "\\", "%", "_", "commerce\x00", "commerce; DROP TABLE chunks; --", "' OR 1=1 --",
               "vacance \"commerciale", "NEAR(vacance commerciale, 2)", "body : vacance", "- - -", "¨^`",
               "source:agen", "title:Agen"]
INJECTIONS = ["' OR '1'='1", "47001' OR '1'='1", "1) OR (1=1", "'; DROP TABLE chunks; --", '" OR ""="',
              "2 UNION SELECT id FROM documents", "x'); DELETE FROM facets; --", "%", "_", "*", "?1", ":name",
              "2018-01-01' OR '1'='1", "2018-01-01; DROP TABLE documents"]


def _fingerprint(kb) -> tuple:
    con = kb.store.con
    tables = tuple(r[0] for r in con.execute("SELECT name FROM sqlite_master ORDER BY name"))
    counts = tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in ("documents", "chunks", "facets", "embeddings", "chunks_fts"))
    return tables, counts


@pytest.mark.parametrize("query", FTS_QUERIES)
def test_fts_syntax_in_a_query_is_plain_text(client, query):
    for method in ("lexical", "weighted"):
        res = client.get("/search", params={"q": query, "method": method})
        assert res.status_code in (200, 400), res.text
        if res.status_code == 400:  # only the core's own checks (empty after trimming)
            assert error_of(res)["code"] == "requete_invalide"
            continue
        body = res.json()
        assert body["query"] == query.strip()
        assert isinstance(body["results"], list)


def test_fts_queries_cannot_reach_other_columns(client, read_kb):
    # « agen » is in the source path and the title of a document, but « sourc » is in no passage: a column
    # filter « source:… » would match it; as plain words it matches nothing more than « source » would
    sources = {d["source"] for d in read_kb.documents()["documents"]}
    assert any("agen" in s for s in sources)
    for query in ("source:agen", "title:Agen", "doc_id:d", "metadata:cities"):
        as_text = client.get("/search", params={"q": query, "method": "lexical", "k": 100}).json()
        words = client.get("/search", params={"q": query.replace(":", " "), "method": "lexical", "k": 100}).json()
        assert [r["chunk_id"] for r in as_text["results"]] == [r["chunk_id"] for r in words["results"]], query


def test_fts_operators_do_not_change_the_results(client):
    """FTS5 punctuation is dropped with the rest of the punctuation. (« OR », « AND », « NEAR » are read as
    words, like any other word the user types.)"""
    plain = client.get("/search", params={"q": "vacance commerciale", "method": "lexical", "k": 100}).json()
    ids = [r["chunk_id"] for r in plain["results"]]
    assert ids
    for query in ('"vacance commerciale"', "vacance* commerciale*", "vacance -commerciale", "^vacance commerciale",
                  "(vacance) (commerciale)", "vacance: commerciale", "{vacance} + commerciale",
                  "'vacance' commerciale"):
        res = client.get("/search", params={"q": query, "method": "lexical", "k": 100}).json()
        assert [r["chunk_id"] for r in res["results"]] == ids, query


@pytest.mark.parametrize("key", FILTER_KEYS)
def test_injection_in_every_filter_is_refused_and_store_intact(client, read_kb, key):
    before = _fingerprint(read_kb)
    for value in INJECTIONS:
        for path in ("/search", "/documents", "/export"):
            params = {"q": "commerce", key: value} if path != "/documents" else {key: value}
            res = client.get(path, params=params)
            assert res.status_code == 400, (key, value, res.text)
            err = error_of(res)
            assert err["code"] == "requete_invalide"
            assert value.strip() in err["message"] or err["message"].startswith("Date invalide")
            assert any(w in err["message"] for w in ("inconnu", "invalide", "Format attendu")), err["message"]
    assert _fingerprint(read_kb) == before


def test_unknown_filter_names_are_refused(read_kb):
    from acv.errors import InvalidQueryError

    for name in ("1=1", "axis) OR (1", "name", "value", "doc_id; DROP TABLE chunks"):
        with pytest.raises(InvalidQueryError) as info:
            read_kb.resolve_filters({name: "x"})
        assert info.value.message.startswith("Filtre inconnu :")


def test_delete_never_logs_or_echoes_the_key(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "mauvaise-cle-tres-secrete-42"
    with TestClient(create_app(make_settings(tmp_path / "var"))) as api:
        note = ("# Cahors\n\n" + "La halle de Cahors rouvre ses portes aux producteurs locaux. " * 5).encode()
        doc_id = api.post("/documents", files={"file": ("n.md", note)}, headers={"X-API-Key": API_KEY}).json()[
            "doc_id"]
        for headers in ({"X-API-Key": wrong}, {"X-API-Key": API_KEY + " "}, {}):
            res = api.delete(f"/documents/{doc_id}", headers=headers)
            assert res.status_code == 401
            assert wrong not in res.text and API_KEY not in res.text
        assert api.delete("/documents/d0000000000000000", headers={"X-API-Key": API_KEY}).status_code == 404
        res = api.delete(f"/documents/{doc_id}", headers={"X-API-Key": API_KEY})
        assert res.status_code == 200 and API_KEY not in res.text
    assert caplog.records
    assert API_KEY not in caplog.text and wrong not in caplog.text


def test_key_guessing_is_throttled(tmp_path):
    with TestClient(create_app(make_settings(tmp_path / "var", rate_limit_per_minute=5))) as api:
        codes = [api.delete("/documents/d0000000000000000", headers={"X-API-Key": f"essai-{i}"}).status_code
                 for i in range(8)]
        assert codes == [401] * 5 + [429] * 3
        res = api.post("/documents", files={"file": ("n.md", b"# x")}, headers={"X-API-Key": API_KEY})
        assert res.status_code == 429 and error_of(res)["code"] == "trop_de_requetes"

"""Security properties not covered by test_api_errors / test_api_uploads.

- FTS5 syntax typed by a user is never read as syntax: no error, no other column.
- Filters reach SQLite only as bound parameters: injection strings in every filter are refused (400, French)
  and the store is left as it was.
- The API key never appears in logs or answers on the DELETE path, right or wrong.
- Brute-forcing the key is throttled by the request rate limit.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from acv.filters import FILTER_KEYS
from acv.text import without_controls
from service.knowledge_base import KnowledgeBase
from search_api.app import create_app
from tests._api_fixtures import API_KEY, error_of, make_settings

FTS_QUERIES = ["body:secret", '"', '""', "a OR", "OR", "NEAR(a b)", "NEAR(", "*", "commerce*", "-commerce",
               "^commerce", "commerce:", ":", "(", ")", "a AND NOT b", "{body}: commerce", "rowid:1", "chunks_fts",
               "chunk_terms", "'", "\\", "%", "_", "commerce\x00", "commerce; DROP TABLE chunks; --", "' OR 1=1 --",
               "vacance \"commerciale", "NEAR(vacance commerciale, 2)", "body : vacance", "- - -", "¨^`",
               "source:agen", "title:Agen"]
INJECTIONS = ["' OR '1'='1", "47001' OR '1'='1", "1) OR (1=1", "'; DROP TABLE chunks; --", '" OR ""="',
              "2 UNION SELECT id FROM documents", "x'); DELETE FROM facets; --", "%", "_", "*", "?1", ":name",
              "2018-01-01' OR '1'='1", "2018-01-01; DROP TABLE documents"]


def _fingerprint(kb) -> tuple:
    con = kb.store.con
    tables = tuple(r[0] for r in con.execute("SELECT name FROM sqlite_master ORDER BY name"))
    counts = tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in ("documents", "chunks", "facets", "embeddings", "chunk_terms"))
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
        assert body["query"] == without_controls(query).strip()  # control characters removed
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
    for query in ("vacance* commerciale*", "^vacance commerciale", "(vacance) (commerciale)", "vacance: commerciale",
                  "{vacance} + commerciale", "'vacance' commerciale"):
        res = client.get("/search", params={"q": query, "method": "lexical", "k": 100}).json()
        assert [r["chunk_id"] for r in res["results"]] == ids, query
    # the product's own syntax (README « Syntaxe de recherche »): a leading « - » excludes a word, never more
    res = client.get("/search", params={"q": "vacance commerciale -xylophone", "method": "lexical", "k": 100}).json()
    assert [r["chunk_id"] for r in res["results"]] == ids
    res = client.get("/search", params={"q": "vacance -commerciale", "method": "lexical", "k": 100}).json()
    assert all("commercial" not in r["text"].lower() for r in res["results"])


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
        # wrong keys count against the address: no fresh bucket per guessed key, without a key either
        res = api.post("/documents", files={"file": ("n.md", b"# x")}, headers={"X-API-Key": "essai-9"})
        assert res.status_code == 429 and error_of(res)["code"] == "trop_de_requetes"
        assert api.get("/documents").status_code == 429
        # the right key has its own bucket: a guesser does not lock the key's owner out
        res = api.delete("/documents/d0000000000000000", headers={"X-API-Key": API_KEY})
        assert res.status_code == 404


# -- the path policy at the API edge (acv/paths.py) ------------------------------------------------------------

HOSTILE_NAMES = ["../../etc/passwd.md", "/etc/passwd.md", "..", "../", "....//....//x.md", "..%2f..%2fx.md",
                 "C:\\Windows\\system32\\x.md", "~/.bashrc.md", "a\x00b.md", "\x00", "note.md\x00.png",
                 "./.incoming/../../x.md", "\u202e" + "dm.txt", ".."*200 + "/x.md"]


def _files_under(folder) -> set:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


def test_hostile_upload_names_stay_in_the_upload_folder(tmp_path):
    settings = make_settings(tmp_path / "var")
    outside_before = _files_under(tmp_path)
    with TestClient(create_app(settings)) as api:
        for i, name in enumerate(HOSTILE_NAMES):
            note = (f"# Note {i}\n\n" + f"La halle numéro {i} de Cahors rouvre ses portes aux producteurs. " * 5)
            res = api.post("/documents", files={"file": (name, note.encode())}, headers={"X-API-Key": API_KEY})
            assert res.status_code == 201, (name, res.text)
            shown = res.json()["source"]
            assert shown.startswith("uploads/") and shown.count("/") == 1, name
            stored = settings.uploads_dir.resolve() / shown.removeprefix("uploads/")
            assert stored.is_file(), name
            assert stored.suffix in (".md", ".txt") and "\x00" not in stored.name and ".." not in stored.name
    uploads = settings.uploads_dir
    assert len([p for p in uploads.iterdir() if p.is_file()]) == len(HOSTILE_NAMES)
    # nothing appeared anywhere else than the data folder
    created = _files_under(tmp_path) - outside_before
    assert all(c.startswith("var") for c in created), created


def test_a_link_planted_in_the_upload_folder_is_never_written_through(tmp_path):
    settings = make_settings(tmp_path / "var")
    victim = tmp_path / "victime.md"
    victim.write_text("intact", "utf-8")
    settings.uploads_dir.mkdir(parents=True)
    os.symlink(victim, settings.uploads_dir / "note.md")
    with TestClient(create_app(settings)) as api:
        note = ("# Cahors\n\n" + "La halle de Cahors rouvre ses portes aux producteurs locaux. " * 5).encode()
        res = api.post("/documents", files={"file": ("note.md", note)}, headers={"X-API-Key": API_KEY})
        assert res.status_code == 201
        assert Path(res.json()["source"]).name == "note-2.md"
    assert victim.read_text("utf-8") == "intact"


def test_a_stored_file_swapped_for_a_link_out_is_not_served(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = corpus / "note.md"
    page.write_text("# Cahors\n\n" + "La halle de Cahors rouvre ses portes aux producteurs locaux. " * 5, "utf-8")
    kb = KnowledgeBase(make_settings(tmp_path / "var"))
    with TestClient(create_app(kb.settings, kb=kb)) as api:
        doc_id = kb.ingest([corpus]).outcomes[0].doc_id
        assert api.get(f"/documents/{doc_id}/file").status_code == 200
        stored = json.loads(kb.store.document(doc_id)["metadata"])
        assert stored["reader"]["origin"] == {"root": str(corpus.resolve())}  # recorded at ingest
        page.unlink()
        os.symlink("/etc/passwd", page)
        res = api.get(f"/documents/{doc_id}/file")
        assert res.status_code == 404
        assert error_of(res) == {"code": "introuvable", "details": {"doc_id": doc_id},
                                 "message": "Fichier original non servi : il se trouve hors du dossier d'où il a "
                                            "été ingéré."}
        assert "root:" not in res.text


def test_reingesting_a_stored_file_swapped_for_a_link_out_removes_it(tmp_path):
    """A document stored from a path that the policy now refuses leaves the index at the next ingest."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = corpus / "note.md"
    page.write_text("# Cahors\n\n" + "La halle de Cahors rouvre ses portes aux producteurs locaux. " * 5, "utf-8")
    kb = KnowledgeBase(make_settings(tmp_path / "var"))
    try:
        doc_id = kb.ingest([corpus]).outcomes[0].doc_id
        assert kb.store.document(doc_id) is not None
        page.unlink()
        os.symlink("/etc/passwd", page)
        report = kb.ingest([corpus])
        assert [(o.status, o.message) for o in report.outcomes] == [
            ("error", "Fichier ignoré : lien symbolique qui mène hors du dossier ingéré. "
                      "Le document indexé auparavant sous ce chemin a été retiré.")]
        assert kb.store.document(doc_id) is None
        assert kb.search("halle producteurs", k=5)["results"] == []
    finally:
        kb.close()


def test_ingesting_a_folder_with_links_out_changes_nothing_stored(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.md").write_text("# Cahors\n\n" + "La halle de Cahors rouvre ses portes. " * 5, "utf-8")
    kb = KnowledgeBase(make_settings(tmp_path / "var"))
    try:
        kb.ingest([corpus])
        before = _fingerprint(kb), [tuple(r) for r in kb.store.con.execute("SELECT * FROM documents")]
        os.symlink("/etc/passwd", corpus / "passwd.md")
        os.symlink("/etc", corpus / "etc")
        report = kb.ingest([corpus])
        assert sorted((Path(o.source).name, o.status, o.message) for o in report.outcomes) == [
            ("etc", "error", "Dossier ignoré : lien symbolique qui mène hors du dossier ingéré."),
            ("note.md", "unchanged", "Inchangé."),
            ("passwd.md", "error", "Fichier ignoré : lien symbolique qui mène hors du dossier ingéré.")]
        assert (_fingerprint(kb), [tuple(r) for r in kb.store.con.execute("SELECT * FROM documents")]) == before
    finally:
        kb.close()

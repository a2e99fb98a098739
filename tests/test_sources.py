"""Sources are absolute paths: the same file whatever folder `acv ingest` or the server runs from; a schema-2
store's relative sources are rewritten when it is opened; uploads are shown as `uploads/<name>`."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

from acv.paths import absolute_source, shown_source
from index.store import SCHEMA_VERSION, Store, migrate_sources_to_absolute
from ingest.pipeline import document_id
from tests._api_fixtures import AGEN, API_KEY, QUIMPER, make_app, make_kb, make_settings

KEY = {"X-API-Key": API_KEY}


def _corpus(root: Path) -> Path:
    folder = root / "projet" / "corpus" / "documents"
    folder.mkdir(parents=True)
    for f in (AGEN, QUIMPER):
        shutil.copy(f, folder / f.name)
    return folder


def test_absolute_source_resolves_folders_and_keeps_the_file_name(tmp_path, monkeypatch):
    (tmp_path / "vrai").mkdir()
    (tmp_path / "lien").symlink_to(tmp_path / "vrai")
    (tmp_path / "vrai" / "a.md").write_text("x")
    (tmp_path / "vrai" / "alias.md").symlink_to(tmp_path / "vrai" / "a.md")
    monkeypatch.chdir(tmp_path)
    real = os.path.realpath(tmp_path)
    assert absolute_source("lien/a.md") == f"{real}/vrai/a.md"
    assert absolute_source("./lien/../vrai/alias.md") == f"{real}/vrai/alias.md"
    assert absolute_source(Path("vrai")) == f"{real}/vrai"
    assert absolute_source("/") == "/"


def test_ingest_from_two_working_folders_stores_one_absolute_source_and_serves_it_anywhere(tmp_path, monkeypatch):
    folder = _corpus(tmp_path)
    settings = make_settings(tmp_path / "var")
    monkeypatch.chdir(tmp_path / "projet")
    kb = make_kb(settings)
    first = kb.ingest([Path("corpus/documents")])
    expected = sorted(str(Path(os.path.realpath(folder)) / f.name) for f in (AGEN, QUIMPER))
    assert sorted(o.source for o in first.outcomes) == expected
    assert [o.status for o in first.outcomes] == ["added", "added"]
    monkeypatch.chdir(folder)
    again = kb.ingest([Path(".")])
    assert sorted((o.source, o.status) for o in again.outcomes) == [(s, "unchanged") for s in expected]
    kb.close()
    monkeypatch.chdir(tmp_path)  # the server runs from elsewhere
    with TestClient(make_app(settings)) as api:
        docs = api.get("/documents").json()["documents"]
        assert sorted(d["source"] for d in docs) == expected
        for d in docs:
            res = api.get(f"/documents/{d['doc_id']}/file")
            assert res.status_code == 200
            assert res.content == Path(d["source"]).read_bytes()


def _as_schema_2(store_path: Path, sources: dict[str, str]) -> None:
    """Put relative sources back, as schema 2 stored them, and mark the file as schema 2."""
    con = sqlite3.connect(store_path, isolation_level=None)
    for old, new in sources.items():
        con.execute("UPDATE documents SET source = ? WHERE source = ?", (new, old))
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()


def test_a_schema_2_store_has_its_relative_sources_rewritten_when_opened(tmp_path, monkeypatch):
    folder = _corpus(tmp_path)
    real = Path(os.path.realpath(folder))
    settings = make_settings(tmp_path / "projet" / "var")
    kb = make_kb(settings)
    kb.ingest([folder])
    ids = {d.source: d.doc_id for d in kb.documents().documents}
    kb.close()
    # as if ingested as `acv ingest corpus/documents` from the project folder (the root was recorded anyway)
    _as_schema_2(settings.store_path, {str(real / AGEN.name): f"corpus/documents/{AGEN.name}",
                                       str(real / QUIMPER.name): f"corpus/documents/{QUIMPER.name}"})
    monkeypatch.chdir(tmp_path)  # not the folder it was ingested from
    store = Store(settings.store_path)
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION) == "3"
    rows = {r["source"]: r["id"] for r in store.documents()}
    assert rows == ids  # same ids: links and feeds keep working
    store.close()
    kb = make_kb(settings)
    again = kb.ingest([folder])
    assert sorted(o.status for o in again.outcomes) == ["unchanged", "unchanged"]
    doc_id = ids[str(real / AGEN.name)]
    assert kb.document_file(doc_id) == real / AGEN.name
    kb.close()


def test_the_migration_finds_the_file_from_the_overlap_with_the_recorded_root_or_the_project(tmp_path):
    folder = _corpus(tmp_path)
    real = Path(os.path.realpath(folder))
    store = Store(tmp_path / "projet" / "var" / "acv.sqlite3")
    meta = lambda root: json.dumps({"reader": {"origin": {"root": str(root)}}})  # noqa: E731
    rows = [
        ("d1", f"corpus/documents/{AGEN.name}", meta(real), "2024-01-01"),  # ran from the project folder
        ("d2", QUIMPER.name, meta(real), "2024-01-01"),  # ran from the folder itself
        ("d3", "corpus/documents/absent.md", json.dumps({}), "2024-01-01"),  # no root: the project folder
        ("d4", str(real / "deja.md"), meta(real), "2024-01-01"),  # already absolute: untouched
        ("d5", AGEN.name, meta(real), "2023-01-01"),  # the same file as d1, older: dropped
    ]
    with store.transaction() as con:
        for doc_id, source, metadata, at in rows:
            con.execute("INSERT INTO documents(id, source, content_hash, format, doc_type, ingested_at, metadata)"
                        " VALUES (?, ?, 'h', 'markdown', 'autre', ?, ?)", (doc_id, source, at, metadata))
        assert migrate_sources_to_absolute(con, store.path) == 3
    assert {r["id"]: r["source"] for r in store.documents()} == {
        "d1": str(real / AGEN.name),
        "d2": str(real / QUIMPER.name),
        "d3": str(Path(os.path.realpath(tmp_path / "projet")) / "corpus/documents/absent.md"),
        "d4": str(real / "deja.md"),
    }
    store.close()


def test_uploads_are_shown_as_uploads_slash_name_in_the_api_search_and_csv(tmp_path):
    settings = make_settings(tmp_path / "var")
    assert shown_source(str(settings.uploads_dir.resolve() / "a.md"), settings.uploads_dir) == "uploads/a.md"
    assert shown_source("/ailleurs/a.md", settings.uploads_dir) == "/ailleurs/a.md"
    with TestClient(make_app(settings)) as api:
        res = api.post("/documents", files={"file": ("Agen vacance.md", AGEN.read_bytes(), "text/markdown")},
                       headers=KEY)
        assert res.status_code == 201, res.text
        doc = res.json()
        assert doc["source"] == "uploads/Agen-vacance.md"
        assert api.get(f"/documents/{doc['doc_id']}").json()["source"] == "uploads/Agen-vacance.md"
        assert [d["source"] for d in api.get("/documents").json()["documents"]] == ["uploads/Agen-vacance.md"]
        hits = api.get("/search", params={"q": "vacance commerciale Agen"}).json()["results"]
        assert {h["source"] for h in hits} == {"uploads/Agen-vacance.md"}
        export = api.get("/export", params={"q": "vacance commerciale Agen", "format": "csv"})
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
        column = rows[0].index("source")
        assert {r[column] for r in rows[1:]} == {"uploads/Agen-vacance.md"}
        assert str(settings.uploads_dir.resolve()) not in export.text + res.text
        assert api.get(f"/documents/{doc['doc_id']}/file").content == AGEN.read_bytes()
        stored = api.app.state.kb_holder.get().store.document(doc["doc_id"])["source"]
        assert stored == str(settings.uploads_dir.resolve() / "Agen-vacance.md")
        assert doc["doc_id"] == document_id(stored)
        assert api.delete(f"/documents/{doc['doc_id']}", headers=KEY).status_code == 200
        assert not (settings.uploads_dir / "Agen-vacance.md").exists()

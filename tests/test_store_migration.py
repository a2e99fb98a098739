"""Schema 2 of the store: analysed bodies in a plain table, no FTS5; a schema-1 store is migrated when opened.

A schema-1 store is made here from a store written by the current code: its `chunk_terms` rows go into the
FTS5 tables of schema 1 (the DDL below, as index/store.py had it), `chunk_terms` is dropped and the version
set back to 1; the file then has exactly the tables of a schema-1 store.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from acv.errors import StoreError
from index.store import SCHEMA_VERSION, Store
from tests._api_fixtures import ABBEVILLE, AGEN, QUIMPER, ingested_kb, make_kb, make_settings

ROOT = Path(__file__).resolve().parent.parent

# Schema 1 as index/store.py created it (commit 5e85bf1): the tables of schema 2 but `chunk_terms`, and FTS5.
V1_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab('chunks_fts', 'row');
"""
V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
    id TEXT PRIMARY KEY, source TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL, format TEXT NOT NULL, title TEXT,
    doc_type TEXT NOT NULL, date TEXT, page_count INTEGER, size INTEGER NOT NULL DEFAULT 0, ingested_at TEXT NOT NULL,
    metadata TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_type ON documents(doc_type);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks(
    id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, text TEXT NOT NULL, page INTEGER, section TEXT, start INTEGER NOT NULL,
    end INTEGER NOT NULL, embed_key TEXT NOT NULL, metadata TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS facets(
    name TEXT NOT NULL, value TEXT NOT NULL, chunk_id INTEGER NOT NULL, doc_id TEXT NOT NULL,
    PRIMARY KEY(name, value, chunk_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_chunk ON facets(chunk_id);
CREATE INDEX IF NOT EXISTS facets_doc ON facets(doc_id);
CREATE TABLE IF NOT EXISTS embeddings(key TEXT PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS vector_log(
    seq INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id INTEGER NOT NULL, op TEXT NOT NULL CHECK (op IN ('add', 'del')));
""" + V1_FTS

QUERIES = ["vacance commerciale Agen", "mobilité douce à Quimper", "rénovation de l'habitat", "centre-ville"]
FTS_NAMES = {"chunks_fts", "chunks_vocab", "chunks_fts_data", "chunks_fts_idx", "chunks_fts_content",
             "chunks_fts_docsize", "chunks_fts_config"}


def _names(con: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in con.execute("SELECT type, name FROM sqlite_master")}


def _bodies(con: sqlite3.Connection, table: str, key: str) -> list[tuple[int, str]]:
    return [(int(r[0]), r[1]) for r in con.execute(f"SELECT {key}, body FROM {table} ORDER BY {key}")]


def _answers(kb) -> list[dict]:
    """Every field of the answers but the time they took."""
    out = []
    for q in QUERIES:
        answer = kb.search(q, k=10).to_dict()
        answer.pop("took_ms")
        out.append(answer)
    return out


def _downgrade_to_v1(data_dir: Path) -> None:
    """Rewrite a schema-2 store as schema 1 (bodies in FTS5) and drop its lexical read side."""
    con = sqlite3.connect(data_dir / "acv.sqlite3", isolation_level=None)
    con.execute("BEGIN")
    for stmt in V1_FTS.split(";"):
        if stmt.strip():
            con.execute(stmt)
    con.execute("INSERT INTO chunks_fts(rowid, body) SELECT chunk_id, body FROM chunk_terms")
    con.execute("DROP TABLE chunk_terms")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.execute("COMMIT")
    con.execute("VACUUM")  # no free page left by the dropped table: a compact schema-1 file
    con.close()
    shutil.rmtree(data_dir / "lexical", ignore_errors=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A base written by the current code: its bodies and answers, and a schema-1 copy of it."""
    root = tmp_path_factory.mktemp("migration")
    kb = ingested_kb(make_settings(root / "v2"), (AGEN, QUIMPER, ABBEVILLE))
    answers = _answers(kb)
    bodies = _bodies(kb.store.con, "chunk_terms", "chunk_id")
    kb.close()
    shutil.copytree(root / "v2", root / "v1")
    _downgrade_to_v1(root / "v1")
    return {"root": root, "answers": answers, "bodies": bodies}


@pytest.fixture
def v1_dir(reference, tmp_path):
    shutil.copytree(reference["root"] / "v1", tmp_path / "var")
    return tmp_path / "var"


def test_the_downgraded_copy_has_exactly_the_tables_of_a_schema_1_store(reference, v1_dir):
    fresh = sqlite3.connect(":memory:")
    fresh.executescript(V1_SCHEMA)
    con = sqlite3.connect(v1_dir / "acv.sqlite3")
    # the service layer keeps two tables of its own in the same file (announcement groups, saved searches)
    service = {n for n in _names(con) if "announcement_groups" in n[1] or "saved_searches" in n[1]}
    assert len(service) == 5
    assert _names(con) - service == _names(fresh)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert _bodies(con, "chunks_fts", "rowid") == reference["bodies"]
    assert len(reference["bodies"]) == 9
    con.close()


def _page_count(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("PRAGMA page_count").fetchone()[0])
    finally:
        con.close()


def test_a_schema_1_store_is_migrated_when_opened_and_answers_the_same(reference, v1_dir):
    pages = _page_count(v1_dir / "acv.sqlite3")
    kb = make_kb(make_settings(v1_dir))
    try:
        con = kb.store.con
        assert kb.store.get_meta("schema_version") == "3" == str(SCHEMA_VERSION)
        names = {n for _t, n in _names(con)}
        assert names.isdisjoint(FTS_NAMES)
        assert "chunk_terms" in names
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%fts5%'").fetchone()[0] == 0
        assert _bodies(con, "chunk_terms", "chunk_id") == reference["bodies"]
        assert sorted(kb.store.chunk_ids().tolist()) == [cid for cid, _ in reference["bodies"]]
        assert _answers(kb) == reference["answers"]
        assert [len(a["results"]) for a in reference["answers"]] == [9, 9, 9, 9]
    finally:
        kb.close()
    again = Store(v1_dir / "acv.sqlite3")  # a second open finds schema 2 and changes nothing
    assert again.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert _bodies(again.con, "chunk_terms", "chunk_id") == reference["bodies"]
    again.close()
    assert _page_count(v1_dir / "acv.sqlite3") == pages + 1  # the root page of `chunk_terms`, nothing else


class _FailsBeforeCommit(Store):
    """The migration runs whole (copy and drops), then fails before the transaction commits."""

    @staticmethod
    def _migrate_from_1(con: sqlite3.Connection) -> None:
        Store._migrate_from_1(con)
        assert con.execute("SELECT count(*) FROM chunk_terms").fetchone()[0] == 9
        raise RuntimeError("panne simulée avant le commit")


def test_an_interrupted_migration_leaves_the_schema_1_store_whole(reference, v1_dir):
    path = v1_dir / "acv.sqlite3"
    with pytest.raises(RuntimeError, match="panne simulée"):
        _FailsBeforeCommit(path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert "chunk_terms" not in {n for _t, n in _names(con)}
    assert _bodies(con, "chunks_fts", "rowid") == reference["bodies"]
    con.close()
    store = Store(path)  # the next open migrates it
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert _bodies(store.con, "chunk_terms", "chunk_id") == reference["bodies"]
    store.close()


_CHILD = """
import os, signal, sys, time
from pathlib import Path
from index.store import Store

class Hooked(Store):
    @staticmethod
    def _migrate_from_1(con):
        Store._migrate_from_1(con)
        if sys.argv[2] == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        with open(sys.argv[3], "a") as log:
            log.write("migrated\\n")
        time.sleep(0.5)  # the other process asks for the store meanwhile

store = Hooked(Path(sys.argv[1]))
print(store.get_meta("schema_version"), store.con.execute("SELECT count(*) FROM chunk_terms").fetchone()[0])
"""


def _child(path: Path, mode: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(path), mode, str(log)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_kill_9_in_the_middle_of_the_migration_leaves_a_usable_schema_1_store(reference, v1_dir):
    path = v1_dir / "acv.sqlite3"
    proc = _child(path, "kill", v1_dir / "log")
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    con = sqlite3.connect(path)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert _bodies(con, "chunks_fts", "rowid") == reference["bodies"]
    con.close()
    kb = make_kb(make_settings(v1_dir))
    try:
        assert kb.store.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert _answers(kb) == reference["answers"]
    finally:
        kb.close()


def test_two_processes_opening_a_schema_1_store_at_once_migrate_it_once(reference, v1_dir):
    path, log = v1_dir / "acv.sqlite3", v1_dir / "log"
    procs = [_child(path, "wait", log) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _out, err in outs]
    assert [out for out, _err in outs] == [f"{SCHEMA_VERSION} 9\n"] * 2
    assert log.read_text() == "migrated\n"


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_store_of_a_newer_schema_is_refused_in_french_and_left_untouched(tmp_path):
    path = tmp_path / "acv.sqlite3"
    store = Store(path)
    store.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    store.con.execute("CREATE TABLE future_table(x)")
    store.close()
    assert not Path(f"{path}-wal").exists()  # checkpointed: the file holds everything
    before = _file_digest(path)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.code == "stockage_indisponible"
    assert info.value.message == (
        f"La base de données « {path} » a été créée par une version plus récente d'acv-kb (schéma "
        f"{SCHEMA_VERSION + 1} ; cette version connaît le schéma {SCHEMA_VERSION} au plus). Mettez acv-kb à jour "
        "pour l'ouvrir ; elle n'a pas été modifiée.")
    assert info.value.details == {"path": str(path), "schema_version": SCHEMA_VERSION + 1,
                                  "supported": SCHEMA_VERSION}
    assert _file_digest(path) == before
    con = sqlite3.connect(path)
    assert "chunk_terms" in {n for _t, n in _names(con)}
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION + 1),)
    con.close()


def test_a_schema_1_store_without_version_row_is_still_read_as_schema_1(reference, v1_dir):
    con = sqlite3.connect(v1_dir / "acv.sqlite3")
    con.execute("DELETE FROM meta WHERE key = 'schema_version'")
    con.commit()
    con.close()
    store = Store(v1_dir / "acv.sqlite3")
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert _bodies(store.con, "chunk_terms", "chunk_id") == reference["bodies"]
    assert "chunks_fts" not in {n for _t, n in _names(store.con)}
    store.close()


def test_ingest_writes_no_fts5_table(reference):
    con = sqlite3.connect(reference["root"] / "v2" / "acv.sqlite3")
    sql = [r[0] or "" for r in con.execute("SELECT sql FROM sqlite_master")]
    names = {n for _t, n in _names(con)}
    con.close()
    assert not [s for s in sql if "fts5" in s.lower() or "virtual" in s.lower()]
    assert names.isdisjoint(FTS_NAMES)
    assert names >= {"chunk_terms", "chunks", "documents", "facets", "embeddings", "vector_log", "meta"}


def test_deleting_a_document_deletes_its_analysed_bodies(reference, tmp_path):
    shutil.copytree(reference["root"] / "v2", tmp_path / "var")
    store = Store(tmp_path / "var" / "acv.sqlite3")
    doc_id, n = store.con.execute(
        "SELECT doc_id, count(*) FROM chunks GROUP BY doc_id ORDER BY doc_id LIMIT 1").fetchone()
    kept = [(cid, b) for cid, b in reference["bodies"]
            if cid not in {r[0] for r in store.con.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))}]
    assert store.delete_document(doc_id) is True
    assert _bodies(store.con, "chunk_terms", "chunk_id") == kept
    assert len(kept) == len(reference["bodies"]) - n
    store.close()


def test_the_bench_fts5_engine_builds_its_own_table_outside_the_store(reference):
    from index.analysis import get_analyzer
    from index.lexical_fts5 import Fts5Lexical

    path = reference["root"] / "v2" / "acv.sqlite3"
    store = Store(path)
    fts = Fts5Lexical(store)
    try:
        assert fts.count() == 9
        assert fts.path.parent != path.parent
        terms = get_analyzer().terms("vacance commerciale")
        hits = fts.search({t: 1.0 for t in terms}, 10)
        holders = sorted(cid for cid, body in reference["bodies"] if set(terms) & set(body.split()))
        assert sorted(cid for cid, _ in hits) == holders
        assert fts.term_doc_freqs(terms) == {
            t: sum(t in body.split() for _cid, body in reference["bodies"]) for t in terms
            if any(t in body.split() for _cid, body in reference["bodies"])}
    finally:
        fts.close()
    assert not fts.path.exists()
    names = {n for _t, n in _names(store.con)}
    assert names.isdisjoint(FTS_NAMES) and "fts" not in names
    store.close()



def test_an_unreadable_schema_version_is_refused_in_french(tmp_path):
    path = tmp_path / "acv.sqlite3"
    store = Store(path)
    store.set_meta("schema_version", "deux")
    store.close()
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.message == f"La base de données « {path} » porte une version de schéma illisible (« deux »)."
    assert info.value.details == {"path": str(path), "schema_version": "deux"}


def test_the_migration_reuses_the_fts5_pages_so_the_file_does_not_grow(tmp_path):
    """2,000 bodies (~150 pages): written after the FTS5 tables are dropped, they take the freed pages."""
    path = tmp_path / "acv.sqlite3"
    con = sqlite3.connect(path, isolation_level=None)
    con.executescript(V1_SCHEMA)
    bodies = [(i, " ".join(f"terme{(i * 7 + k) % 997} mot{k}" for k in range(20))) for i in range(1, 2001)]
    con.execute("BEGIN")
    con.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')")
    con.executemany("INSERT INTO chunks_fts(rowid, body) VALUES (?, ?)", bodies)
    con.execute("COMMIT")
    con.execute("VACUUM")
    con.close()
    pages = _page_count(path)
    assert pages > 150
    store = Store(path)
    assert Path(f"{path}-wal").stat().st_size == 0  # checkpointed and truncated right after the migration
    assert _bodies(store.con, "chunk_terms", "chunk_id") == bodies
    store.close()
    assert _page_count(path) == pages + 1  # the root page of `chunk_terms` (created before the copy)

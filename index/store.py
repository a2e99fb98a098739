"""The SQLite store: documents, chunks, facets, the chunks' analysed text and cached vectors.

SQLite is the source of truth. Each document is written in one transaction
(its row, its chunks, their facets, their analysed text and their vectors), so
a crash leaves either the whole document or none of it. The FAISS index and the
tantivy lexical index are derived from what is kept here and follow it through
`vector_log`. The analysed text is a plain table (`chunk_terms`): no full-text
index is built at ingest (schema 2; a schema-1 store, which kept it in an FTS5
table, is migrated when it is opened, see `Store._migrate_from_1`).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from acv.errors import DiskFullError, StoreError, is_disk_full

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
"""Version 1 kept the analysed bodies in an FTS5 table `chunks_fts` (with `chunks_vocab`); version 2 in
`chunk_terms`, with no full-text index; version 3 stores every source as an absolute path (version 2 kept
them as given to `acv ingest`, often relative to the folder it ran from). A store of a newer version is
refused, never written."""

# While another process migrates a store (~15–20 s for 1M schema-1 chunks on an idle core, several times that
# on a loaded machine), opening it waits this long rather than fail after the usual 30 s.
_OPEN_WAIT_MS = 15 * 60 * 1000

# One statement per item: they run inside the opening transaction (`executescript` would commit first).
_SCHEMA = tuple(stmt.strip() for stmt in """
CREATE TABLE IF NOT EXISTS meta(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents(
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT,
    doc_type TEXT NOT NULL,
    date TEXT,
    page_count INTEGER,
    size INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL,
    metadata TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_type ON documents(doc_type);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    page INTEGER,
    section TEXT,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    embed_key TEXT NOT NULL,
    metadata TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS facets(
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    chunk_id INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    PRIMARY KEY(name, value, chunk_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_chunk ON facets(chunk_id);
CREATE INDEX IF NOT EXISTS facets_doc ON facets(doc_id);
CREATE TABLE IF NOT EXISTS embeddings(
    key TEXT PRIMARY KEY,
    vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS vector_log(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    chunk_id INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('add', 'del'))
);
CREATE TABLE IF NOT EXISTS chunk_terms(
    chunk_id INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);
""".split(";") if stmt.strip())

# Facets kept per chunk; the values are canonical (INSEE code, département code, region name, axis, theme slug).
FACET_NAMES = ("axis", "theme", "city", "mentioned_city", "departement", "region", "doc_type")


@dataclass(slots=True)
class ChunkRow:
    """A chunk as it goes into the store."""

    ordinal: int
    text: str
    analysed: str
    page: int | None
    section: str | None
    start: int
    end: int
    embed_key: str
    metadata: dict[str, Any]
    facets: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class DocumentRow:
    """A document as it goes into the store."""

    id: str
    source: str
    content_hash: str
    format: str
    title: str | None
    doc_type: str
    date: str | None
    page_count: int | None
    size: int
    ingested_at: str
    metadata: dict[str, Any]


@dataclass(slots=True)
class Filters:
    """Search filters in canonical form (see `FACET_NAMES`); empty lists mean no constraint."""

    axis: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    city: list[str] = field(default_factory=list)
    departement: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    exclude_docs: list[str] = field(default_factory=list)
    exclude_cities: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.axis or self.theme or self.city or self.departement or self.region or self.doc_type
            or self.date_from or self.date_to or self.exclude_docs or self.exclude_cities
        )

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("axis", "theme", "city", "departement", "region", "doc_type"):
            values = getattr(self, name)
            if values:
                out[name] = list(values)
        if self.date_from:
            out["date_from"] = self.date_from
        if self.date_to:
            out["date_to"] = self.date_to
        return out


class Store:
    """One SQLite database; safe to share between threads of one process (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise_if_disk_full(exc, "open")
            raise StoreError(
                f"La base de données « {self.path} » est illisible ou verrouillée ({exc}).",
                {"path": str(self.path)},
            ) from exc
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        """Create the schema, or bring an older one up to `SCHEMA_VERSION`, in one write transaction.

        The version is read again inside the transaction (BEGIN IMMEDIATE), so when several processes open the
        same old store at once, the first migrates it and the others wait (up to `_OPEN_WAIT_MS` when the
        committed version is old, the usual 30 s otherwise), then find it migrated. A crash before the commit
        leaves the store as it was. A newer schema is refused before anything is written.
        """
        con = self.con
        migrated = False
        committed = self._stored_version(con)  # read without a lock: the committed state
        self._refuse_newer(committed)
        migrating = committed is not None and committed < SCHEMA_VERSION
        if migrating:  # this process or another one is about to migrate: wait for it rather than fail
            con.execute(f"PRAGMA busy_timeout={_OPEN_WAIT_MS}")
        try:
            with self.transaction() as con:
                version = self._stored_version(con)
                self._refuse_newer(version)
                for stmt in _SCHEMA:
                    con.execute(stmt)
                migrated = version is not None and version < SCHEMA_VERSION
                if version == 1:
                    self._migrate_from_1(con)
                if version is not None and version < 3:
                    migrate_sources_to_absolute(con, self.path)
                con.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(SCHEMA_VERSION),)
                )
                # Identifies this database to the indexes derived from it (a new file gets a new uid).
                con.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('store_uid', ?)", (uuid.uuid4().hex,))
        finally:
            if migrating:
                con.execute("PRAGMA busy_timeout=30000")
        if migrated:  # a migration's WAL (~0.9 GiB at 1M chunks from schema 1) would otherwise keep its size
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _refuse_newer(self, version: int | None) -> None:
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(
                f"La base de données « {self.path} » a été créée par une version plus récente d'acv-kb "
                f"(schéma {version} ; cette version connaît le schéma {SCHEMA_VERSION} au plus). "
                "Mettez acv-kb à jour pour l'ouvrir ; elle n'a pas été modifiée.",
                {"path": str(self.path), "schema_version": version, "supported": SCHEMA_VERSION},
            )

    def _stored_version(self, con: sqlite3.Connection) -> int | None:
        """The schema version of the file (None for a new, empty one)."""
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        row = None
        if "meta" in tables:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            return 1 if "chunks_fts" in tables else None
        try:
            return int(row[0])
        except ValueError:
            raise StoreError(
                f"La base de données « {self.path} » porte une version de schéma illisible (« {row[0]} »).",
                {"path": str(self.path), "schema_version": str(row[0])},
            ) from None

    @staticmethod
    def _migrate_from_1(con: sqlite3.Connection) -> None:
        """Schema 1 → 2: the analysed bodies move from the FTS5 table to `chunk_terms`; FTS5 is dropped.

        Set-based (INSERT … SELECT in rowid order), inside the caller's transaction. The bodies go through a
        temporary table so that the FTS5 pages are freed before `chunk_terms` is written and it reuses them:
        the file does not grow, and does not shrink either (the rest of the freed pages stay on SQLite's free
        list for later writes; `VACUUM` would return them to the file system and is never run automatically).
        """
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "chunks_fts" in tables:
            con.execute("CREATE TEMP TABLE _bodies_v1(chunk_id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            con.execute("INSERT INTO temp._bodies_v1(chunk_id, body)"
                        " SELECT rowid, coalesce(body, '') FROM chunks_fts ORDER BY rowid")
        con.execute("DROP TABLE IF EXISTS chunks_vocab")
        con.execute("DROP TABLE IF EXISTS chunks_fts")
        if "chunks_fts" in tables:
            con.execute("INSERT OR REPLACE INTO chunk_terms(chunk_id, body)"
                        " SELECT chunk_id, body FROM temp._bodies_v1 ORDER BY chunk_id")
            con.execute("DROP TABLE temp._bodies_v1")

    # -- connections -------------------------------------------------------

    @property
    def con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("PRAGMA foreign_keys=ON")
            con.execute("PRAGMA busy_timeout=30000")
            self._local.con = con
        return con

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back on any error so nothing half-written stays."""
        with self._write_lock:
            con = self.con
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise_if_disk_full(exc, "begin")
                raise
            try:
                yield con
            except BaseException as exc:
                _rollback(con)
                if isinstance(exc, Exception):
                    raise_if_disk_full(exc, "write")
                raise
            else:
                try:
                    con.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    _rollback(con)
                    raise_if_disk_full(exc, "commit")
                    raise

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside sees the same committed state (WAL snapshot)."""
        con = self.con
        if con.in_transaction:  # already inside a transaction of this thread: that is the snapshot
            yield con
            return
        con.execute("BEGIN")
        try:
            yield con
        finally:
            con.execute("COMMIT")

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    # -- meta ----------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as con:
            con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def uid(self) -> str:
        """This database's identity (kept in `meta`), so a derived index can tell it was built elsewhere."""
        cached = getattr(self, "_uid", None)
        if cached is None:
            cached = self._uid = self.get_meta("store_uid") or ""
        return cached

    def data_version(self) -> int:
        """Changes whenever another connection commits (cheap check before re-syncing vectors)."""
        return int(self.con.execute("PRAGMA data_version").fetchone()[0])

    # -- documents -------------------------------------------------------------

    def document_by_source(self, source: str) -> sqlite3.Row | None:
        return self.con.execute("SELECT * FROM documents WHERE source = ?", (source,)).fetchone()

    def document(self, doc_id: str) -> sqlite3.Row | None:
        return self.con.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()

    def documents(self, doc_ids: Sequence[str] | None = None) -> list[sqlite3.Row]:
        if doc_ids is None:
            return self.con.execute("SELECT * FROM documents ORDER BY date DESC, title").fetchall()
        if not doc_ids:
            return []
        marks = ",".join("?" * len(doc_ids))
        return self.con.execute(f"SELECT * FROM documents WHERE id IN ({marks})", list(doc_ids)).fetchall()

    def sources(self) -> dict[str, tuple[str, str]]:
        """source → (doc id, content hash), for incremental ingest."""
        rows = self.con.execute("SELECT source, id, content_hash FROM documents").fetchall()
        return {r["source"]: (r["id"], r["content_hash"]) for r in rows}

    def chunk_counts(self) -> dict[str, int]:
        rows = self.con.execute("SELECT doc_id, COUNT(*) FROM chunks GROUP BY doc_id").fetchall()
        return {r[0]: r[1] for r in rows}

    def replace_document(self, doc: DocumentRow, chunks: Sequence[ChunkRow], vectors: dict[str, bytes]) -> list[int]:
        """Write a document and everything derived from it in one transaction; returns the new chunk ids."""
        with self.transaction() as con:
            old = con.execute("SELECT id FROM documents WHERE source = ? OR id = ?", (doc.source, doc.id)).fetchall()
            for row in old:
                self._delete_document(con, row["id"])
            con.execute(
                "INSERT INTO documents(id, source, content_hash, format, title, doc_type, date, page_count, size,"
                " ingested_at, metadata) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.id, doc.source, doc.content_hash, doc.format, doc.title, doc.doc_type, doc.date,
                    doc.page_count, doc.size, doc.ingested_at, json.dumps(doc.metadata, ensure_ascii=False),
                ),
            )
            con.executemany(
                "INSERT OR IGNORE INTO embeddings(key, vector) VALUES (?, ?)", list(vectors.items())
            )
            ids: list[int] = []
            for chunk in chunks:
                cur = con.execute(
                    "INSERT INTO chunks(doc_id, ordinal, text, page, section, start, end, embed_key, metadata)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        doc.id, chunk.ordinal, chunk.text, chunk.page, chunk.section, chunk.start, chunk.end,
                        chunk.embed_key, json.dumps(chunk.metadata, ensure_ascii=False),
                    ),
                )
                chunk_id = int(cur.lastrowid)  # type: ignore[arg-type]
                ids.append(chunk_id)
                con.execute("INSERT INTO chunk_terms(chunk_id, body) VALUES (?, ?)", (chunk_id, chunk.analysed))
                con.executemany(
                    "INSERT OR IGNORE INTO facets(name, value, chunk_id, doc_id) VALUES (?,?,?,?)",
                    [(name, value, chunk_id, doc.id) for name, values in chunk.facets.items() for value in values],
                )
                con.execute("INSERT INTO vector_log(chunk_id, op) VALUES (?, 'add')", (chunk_id,))
        return ids

    def delete_document(self, doc_id: str) -> bool:
        with self.transaction() as con:
            return self._delete_document(con, doc_id)

    @staticmethod
    def _delete_document(con: sqlite3.Connection, doc_id: str) -> bool:
        chunk_ids = [r[0] for r in con.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
        con.execute("DELETE FROM chunk_terms WHERE chunk_id IN (SELECT id FROM chunks WHERE doc_id = ?)", (doc_id,))
        con.executemany("INSERT INTO vector_log(chunk_id, op) VALUES (?, 'del')", [(i,) for i in chunk_ids])
        con.execute("DELETE FROM facets WHERE doc_id = ?", (doc_id,))
        con.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        cur = con.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return cur.rowcount > 0

    def update_metadata(
        self, doc_id: str, doc_fields: dict[str, Any], chunk_updates: Sequence[tuple[int, dict[str, Any], dict[str, list[str]]]]
    ) -> None:
        """Rewrite metadata and facets without touching text or vectors (`acv reindex --metadata`)."""
        with self.transaction() as con:
            con.execute(
                "UPDATE documents SET title = ?, doc_type = ?, date = ?, metadata = ? WHERE id = ?",
                (
                    doc_fields["title"], doc_fields["doc_type"], doc_fields["date"],
                    json.dumps(doc_fields["metadata"], ensure_ascii=False), doc_id,
                ),
            )
            con.execute("DELETE FROM facets WHERE doc_id = ?", (doc_id,))
            for chunk_id, metadata, facets in chunk_updates:
                con.execute("UPDATE chunks SET metadata = ? WHERE id = ?", (json.dumps(metadata, ensure_ascii=False), chunk_id))
                con.executemany(
                    "INSERT OR IGNORE INTO facets(name, value, chunk_id, doc_id) VALUES (?,?,?,?)",
                    [(name, value, chunk_id, doc_id) for name, values in facets.items() for value in values],
                )

    # -- chunks ------------------------------------------------------------------

    def chunks_of(self, doc_id: str) -> list[sqlite3.Row]:
        return self.con.execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,)).fetchall()

    def chunk(self, chunk_id: int) -> sqlite3.Row | None:
        return self.con.execute("SELECT * FROM chunks WHERE id = ?", (chunk_id,)).fetchone()

    def chunks_with_documents(self, chunk_ids: Sequence[int]) -> dict[int, sqlite3.Row]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self.con.execute(
            "SELECT c.id AS chunk_id, c.doc_id, c.ordinal, c.text, c.page, c.section, c.start, c.end,"
            " c.metadata AS chunk_metadata, d.source, d.title, d.doc_type, d.date, d.format,"
            " d.metadata AS doc_metadata"
            f" FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({marks})",
            list(chunk_ids),
        ).fetchall()
        return {int(r["chunk_id"]): r for r in rows}

    def chunk_doc_ids(self, chunk_ids: Sequence[int]) -> dict[int, str]:
        """The document of each chunk that exists (a search reads full rows for its page only)."""
        out: dict[int, str] = {}
        ids = list(chunk_ids)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            out.update((int(c), d) for c, d in self.con.execute(
                f"SELECT id, doc_id FROM chunks WHERE id IN ({','.join('?' * len(part))})", part))
        return out

    def count(self, table: str) -> int:
        if table not in ("documents", "chunks", "embeddings"):
            raise ValueError(table)
        return int(self.con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    # -- vectors -----------------------------------------------------------------

    def existing_embeddings(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            marks = ",".join("?" * len(part))
            for row in self.con.execute(f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", part):
                out[row[0]] = row[1]
        return out

    def vectors_for(self, chunk_ids: Sequence[int] | None, dimension: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of the given chunks (all chunks when None) that have a cached vector."""
        sql = "SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.key = c.embed_key"
        rows: list[sqlite3.Row] = []
        if chunk_ids is None:
            rows = self.con.execute(sql + " ORDER BY c.id").fetchall()
        else:
            ids = list(chunk_ids)
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                marks = ",".join("?" * len(part))
                rows.extend(self.con.execute(sql + f" WHERE c.id IN ({marks})", part).fetchall())
        id_arr = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        vecs = np.empty((len(rows), dimension), dtype=np.float32)
        for i, r in enumerate(rows):
            vecs[i] = np.frombuffer(r[1], dtype=np.float32)
        return id_arr, vecs

    def chunks_missing_vectors(self) -> list[sqlite3.Row]:
        return self.con.execute(
            "SELECT c.id, c.embed_key FROM chunks c LEFT JOIN embeddings e ON e.key = c.embed_key WHERE e.key IS NULL"
        ).fetchall()

    def vector_log_since(self, seq: int) -> list[tuple[int, int, str]]:
        return [tuple(r) for r in self.con.execute(
            "SELECT seq, chunk_id, op FROM vector_log WHERE seq > ? ORDER BY seq", (seq,)
        )]  # type: ignore[misc]

    def log_trimmed_to(self) -> int:
        """Log entries up to this position were deleted (every derived index had saved them)."""
        return int(self.get_meta("vector_log_trimmed_to") or 0)

    def trim_vector_log(self, upto: int) -> int:
        """Delete the log entries up to `upto`, which every index derived from the log has saved (the caller
        knows: `DenseIndex.save`); returns how many were deleted. The last entry always stays, so
        `last_log_seq` keeps its value. A reader whose position is below `log_trimmed_to` (an index another
        process kept in memory, an index restored from a copy) cannot replay the log: it reloads its saved
        file or rebuilds from the store (index/vectors.py, index/lexical_tantivy.py). Called from write paths
        only: a search never writes to SQLite.
        """
        with self.transaction() as con:
            last = int(con.execute("SELECT MAX(seq) FROM vector_log").fetchone()[0] or 0)
            upto = min(int(upto), last - 1)
            if upto <= self._trimmed_to(con):
                return 0
            deleted = con.execute("DELETE FROM vector_log WHERE seq <= ?", (upto,)).rowcount
            con.execute("INSERT INTO meta(key, value) VALUES ('vector_log_trimmed_to', ?) ON CONFLICT(key) DO "
                        "UPDATE SET value = excluded.value", (str(upto),))
            return int(deleted)

    @staticmethod
    def _trimmed_to(con: sqlite3.Connection) -> int:
        row = con.execute("SELECT value FROM meta WHERE key = 'vector_log_trimmed_to'").fetchone()
        return int(row[0]) if row else 0

    def last_log_seq(self) -> int:
        row = self.con.execute("SELECT MAX(seq) FROM vector_log").fetchone()
        return int(row[0] or 0)

    def chunk_ids(self) -> np.ndarray:
        rows = self.con.execute("SELECT id FROM chunks ORDER BY id").fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    # -- filters -------------------------------------------------------------------

    @staticmethod
    def filter_sql(filters: Filters) -> tuple[str, list[Any]]:
        """A subquery selecting the ids of chunks that pass `filters` (values always bound, never inlined).

        With a facet filter the query is driven by the small `facets` index and never reads the wide
        `chunks` rows: without statistics SQLite may drive from the largest facet and look up each of
        its chunks (218 ms instead of 3 ms for city + axis at 100k chunks, bench/scale.py).
        """
        facet_where: list[tuple[str, list[Any]]] = []
        for name in ("axis", "theme", "city", "departement", "region", "doc_type"):
            values = getattr(filters, name)
            if values:
                marks = ",".join("?" * len(values))
                facet_where.append((f"name = ? AND value IN ({marks})", [name, *values]))
        col = "f0" if facet_where else "c"
        where: list[str] = []
        params: list[Any] = []
        for cond, cond_params in facet_where[1:]:
            where.append(f"f0.chunk_id IN (SELECT chunk_id FROM facets WHERE {cond})")
            params.extend(cond_params)
        if filters.date_from or filters.date_to:
            where.append(f"{col}.doc_id IN (SELECT id FROM documents WHERE date IS NOT NULL AND date >= ? AND date <= ?)")
            params.append(filters.date_from or "0000-00-00")
            params.append(filters.date_to or "9999-99-99")
        if filters.exclude_docs:
            marks = ",".join("?" * len(filters.exclude_docs))
            where.append(f"{col}.doc_id NOT IN ({marks})")
            params.extend(filters.exclude_docs)
        if filters.exclude_cities:
            marks = ",".join("?" * len(filters.exclude_cities))
            where.append(
                f"{col}.doc_id NOT IN (SELECT doc_id FROM facets WHERE name = 'city' AND value IN ({marks}))"
            )
            params.extend(filters.exclude_cities)
        if facet_where:
            first, first_params = facet_where[0]
            sql = "SELECT DISTINCT f0.chunk_id FROM facets f0 WHERE " + first.replace("name =", "f0.name =").replace(
                "value IN", "f0.value IN")
            params = [*first_params, *params]
            if where:
                sql += " AND " + " AND ".join(where)
            return sql, params
        sql = "SELECT c.id FROM chunks c"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params

    def allowed_chunk_ids(self, filters: Filters) -> np.ndarray:
        sql, params = self.filter_sql(filters)
        rows = self.con.execute(sql, params).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def facet_counts(self, chunk_ids: Sequence[int]) -> dict[str, dict[str, int]]:
        """Number of distinct documents per facet value among the given chunks."""
        out: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
        if not len(chunk_ids):
            return out
        self.con.execute("CREATE TEMP TABLE IF NOT EXISTS _hits(id INTEGER PRIMARY KEY)")
        self.con.execute("DELETE FROM _hits")
        self.con.executemany("INSERT OR IGNORE INTO _hits(id) VALUES (?)", [(int(i),) for i in chunk_ids])
        rows = self.con.execute(
            "SELECT f.name, f.value, COUNT(DISTINCT f.doc_id) FROM facets f JOIN _hits h ON h.id = f.chunk_id"
            " GROUP BY f.name, f.value"
        ).fetchall()
        for name, value, n in rows:
            out.setdefault(name, {})[value] = n
        return out

    def all_facet_counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
        for name, value, n in self.con.execute(
            "SELECT name, value, COUNT(DISTINCT doc_id) FROM facets GROUP BY name, value"
        ):
            out.setdefault(name, {})[value] = n
        return out

    # -- lexical -------------------------------------------------------------------

    def analysed_bodies(self, chunk_ids: Sequence[int]) -> Iterator[tuple[int, str]]:
        """(chunk id, analysed body: space-separated terms) of the given chunks that exist, 500 ids per query."""
        ids = list(chunk_ids)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            yield from ((int(r[0]), r[1]) for r in self.con.execute(
                f"SELECT chunk_id, body FROM chunk_terms WHERE chunk_id IN ({marks})", part))

    def all_analysed_bodies(self, con: sqlite3.Connection | None = None) -> Iterator[tuple[int, str]]:
        """(chunk id, analysed body) of every chunk in id order, read through `con` (a snapshot) if given."""
        yield from ((int(r[0]), r[1]) for r in (con or self.con).execute(
            "SELECT chunk_id, body FROM chunk_terms ORDER BY chunk_id"))

    # -- queries of the service layer (maintenance and catalog go through the store, not `con`) --

    def document_id_with_hash(self, content_hash: str) -> str | None:
        """The id of a stored document with these exact bytes (sha256), if any."""
        row = self.con.execute("SELECT id FROM documents WHERE content_hash = ? LIMIT 1", (content_hash,)).fetchone()
        return None if row is None else str(row[0])

    def document_ids_matching(self, filters: Filters) -> set[str]:
        """Ids of the documents with at least one chunk that passes `filters`."""
        sql, params = self.filter_sql(filters)
        return {r[0] for r in self.con.execute(f"SELECT DISTINCT doc_id FROM chunks WHERE id IN ({sql})", params)}

    def chunk_texts(self) -> list[sqlite3.Row]:
        """(id, text, doc_id, section, title) of every chunk, in id order (for re-embedding)."""
        return self.con.execute(
            "SELECT c.id, c.text, c.doc_id, c.section, d.title FROM chunks c JOIN documents d ON d.id = c.doc_id"
            " ORDER BY c.id"
        ).fetchall()

    def set_chunk_embeddings(self, keys: Sequence[tuple[int, str]], vectors: dict[str, bytes]) -> None:
        """Point chunks at new embedding keys, store the vectors not cached yet, and log them for the dense
        index, in one transaction (`acv reindex --vectors`)."""
        with self.transaction() as con:
            con.executemany("INSERT OR IGNORE INTO embeddings(key, vector) VALUES (?, ?)", list(vectors.items()))
            con.executemany("UPDATE chunks SET embed_key = ? WHERE id = ?", [(k, i) for i, k in keys])
            con.executemany("INSERT INTO vector_log(chunk_id, op) VALUES (?, 'add')", [(i,) for i, _k in keys])

    def co_occurring_facets(self, first: str, second: str) -> list[tuple[str, str]]:
        """Distinct (value of `first`, value of `second`) pairs found in the same document."""
        return [(r[0], r[1]) for r in self.con.execute(
            "SELECT DISTINCT f1.value, f2.value FROM facets f1 JOIN facets f2 ON f1.doc_id = f2.doc_id"
            " WHERE f1.name = ? AND f2.name = ?", (first, second))]


# -- disk full: the half-written transaction is rolled back, the domain error raised -------------------------------


def _rollback(con: sqlite3.Connection) -> None:
    """Roll back what is still open. After SQLITE_FULL, SQLite may already have rolled the transaction back
    itself (ROLLBACK would then fail with « no transaction is active » and hide the real cause)."""
    if not con.in_transaction:
        return
    try:
        con.execute("ROLLBACK")
    except sqlite3.OperationalError:
        if con.in_transaction:
            raise


def raise_if_disk_full(exc: BaseException, where: str) -> None:
    """Raise `DiskFullError` (from `exc`) when `exc` says the disk is full; return otherwise."""
    if is_disk_full(exc) and not isinstance(exc, DiskFullError):
        raise DiskFullError(details={"where": where}) from exc


# -- schema 2 → 3: absolute sources -------------------------------------------------------------------------------


def migrate_sources_to_absolute(con: sqlite3.Connection, store_path: Path) -> int:
    """Rewrite every relative source as an absolute path, inside the caller's transaction; returns how many.

    A relative source was relative to the folder `acv ingest` ran from, which was not recorded; the root the
    file was ingested from was (`metadata.reader.origin.root`, absolute). The rewritten path is the first that
    exists of: the root joined with the source (the source's leading folders that repeat the root's last ones
    counted once), the store folder's parent joined with it (the usual `./var` next to the project), the
    current folder joined with it; when none exists, the first of these. Document ids do not change (links
    and saved feeds keep working). Two sources that turn out to name the same file keep the newer document.
    """
    rows = con.execute("SELECT id, source, metadata, ingested_at FROM documents").fetchall()
    taken = {r[1]: (r[0], r[3]) for r in rows if os.path.isabs(r[1])}
    rewritten = 0
    for doc_id, source, metadata, ingested_at in rows:
        if os.path.isabs(source):
            continue
        target = _absolute_candidate(source, _recorded_root(metadata), Path(store_path).resolve().parent.parent)
        other = taken.get(target)
        if other is not None:  # the same file stored twice (ingested from two working folders)
            keep_new = ingested_at > other[1]
            Store._delete_document(con, other[0] if keep_new else doc_id)
            log.info("store migration: %s and %s name the same file %s; kept the newer", source, other[0], target)
            if not keep_new:
                continue
        con.execute("UPDATE documents SET source = ? WHERE id = ?", (target, doc_id))
        taken[target] = (doc_id, ingested_at)
        rewritten += 1
    if rewritten:
        log.info("store migration: %d relative sources rewritten as absolute paths", rewritten)
    return rewritten


def _recorded_root(metadata: str) -> str | None:
    try:
        root = json.loads(metadata).get("reader", {}).get("origin", {}).get("root")
    except (ValueError, AttributeError):
        return None
    return root if isinstance(root, str) and os.path.isabs(root) else None


def _absolute_candidate(source: str, root: str | None, project: Path) -> str:
    parts = Path(source).parts
    candidates: list[str] = []
    if root is not None:
        root_parts = Path(root).parts
        for k in range(min(len(root_parts) - 1, len(parts)), -1, -1):  # longest overlap first
            if k == 0 or tuple(root_parts[-k:]) == tuple(parts[:k]):
                candidates.append(os.path.normpath(os.path.join(root, *parts[k:])))
    candidates.append(os.path.normpath(os.path.join(project, source)))
    candidates.append(os.path.normpath(os.path.abspath(source)))
    return next((c for c in candidates if os.path.lexists(c)), candidates[0])

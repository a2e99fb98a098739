"""The lexical read side: a tantivy index of the analysed chunk text that follows the SQLite store.

SQLite stays the source of truth and the transaction boundary: a document's
chunks, their analysed text and one `vector_log` entry per chunk are written
in one transaction there. This index is derived from them, like the FAISS
file: it records, in the same tantivy commit as the documents, the log
position and the store identity it reflects (a reserved document, id 0).
Before every search it compares that position with the store's last log
entry and applies what is missing, so a search never sees a chunk that
SQLite holds without its terms, whichever process wrote it. A tantivy commit
is atomic, so a kill -9 leaves the index at its previous commit, and the
replay (delete by id, then add) is idempotent. An index that cannot be
opened, belongs to another store or has the wrong size is rebuilt from
SQLite on open; so is one written with another layout (`LAYOUT`, recorded beside the store identity).

Two fields hold each chunk: `body`, the analysed terms (stems, stop words out) that BM25 ranks, and `exact`,
its words as written (case and accents aside, stop words kept, positions recorded), for what must be matched
as written: quoted phrases, names with a hyphen, acronyms and codes (index/query_syntax.py).

Several processes may open the same directory (the API and `acv ingest`):
tantivy allows one writer at a time, so a process that finds the writer
taken waits for it and then re-reads the position the other one committed.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tantivy

from acv.errors import StoreError, is_disk_full
from index.query_syntax import exact_words
from index.store import Store

log = logging.getLogger(__name__)

_META_ID = 0  # chunk ids start at 1 (AUTOINCREMENT), so 0 is free for the position document
_WRITER_HEAP = 64 * 1024 * 1024
_LOCK_WAIT_S = 60.0
_READ_BATCH = 20_000
UNION_UP_TO = 1_000  # restrictions to at most this many chunk ids are built as a union of term queries
LAYOUT = "2"  # fields of the index: an index of another layout is rebuilt from the store (1: no `exact` field)


@dataclass(frozen=True, slots=True)
class Constraint:
    """What every passage must hold, or must not: analysed terms (`body`) and word sequences as written
    (`exact`, consecutive; one word is a sequence of one)."""

    terms: tuple[str, ...] = ()
    exact: tuple[tuple[str, ...], ...] = ()
    excluded_terms: tuple[str, ...] = ()
    excluded_exact: tuple[tuple[str, ...], ...] = ()

    def required(self) -> bool:
        return bool(self.terms or self.exact)

    def excludes(self) -> bool:
        return bool(self.excluded_terms or self.excluded_exact)


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", stored=False, indexed=True, fast=True)
    # The text is already analysed (index/analysis.py): whitespace-separated terms, indexed as they are.
    sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    # The words as written (query_syntax.exact_words), with positions for phrases.
    sb.add_text_field("exact", stored=False, tokenizer_name="whitespace", index_option="position")
    sb.add_unsigned_field("seq", stored=True, indexed=False, fast=False)
    sb.add_text_field("uid", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


def _chunk_doc(chunk_id: int, body: str, text: str) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("id", chunk_id)
    doc.add_text("body", body)
    doc.add_text("exact", " ".join(exact_words(text)))
    return doc


def _identity(store_uid: str) -> str:
    """What the position document records: the store it follows and the layout it was written with."""
    return f"{store_uid}/{LAYOUT}"


_WITH_TEXT = ("SELECT t.chunk_id, t.body, c.text FROM chunk_terms t JOIN chunks c ON c.id = t.chunk_id")


def _chunks(con, chunk_ids: Sequence[int] | None = None):  # type: ignore[no-untyped-def]
    """(chunk id, analysed body, text) of the given chunks (all, in id order, when None), 500 ids a query."""
    if chunk_ids is None:
        yield from ((int(r[0]), r[1], r[2]) for r in con.execute(f"{_WITH_TEXT} ORDER BY t.chunk_id"))
        return
    ids = list(chunk_ids)
    for i in range(0, len(ids), 500):
        part = ids[i: i + 500]
        yield from ((int(r[0]), r[1], r[2]) for r in con.execute(
            f"{_WITH_TEXT} WHERE t.chunk_id IN ({','.join('?' * len(part))})", part))


def _out_of_space(exc: BaseException, directory: Path) -> bool:
    """Whether a failed write of the index is the disk being full: said so (ENOSPC), or tantivy's writer died of an
    I/O error while the file system has next to no room left (its error then names no cause)."""
    if is_disk_full(exc):
        return True
    if "writer was killed" not in str(exc) and "IoError" not in str(exc):
        return False
    try:
        return shutil.disk_usage(directory).free < _LOW_SPACE_BYTES
    except OSError:
        return False


_LOW_SPACE_BYTES = 64 * 1024 * 1024


def _abandon(writer: tantivy.IndexWriter) -> None:
    """Drop uncommitted changes and release the writer lock."""
    try:
        writer.rollback()
        writer.wait_merging_threads()
    except Exception:  # already consumed by a commit
        pass


def committed_position(directory: Path, store_uid: str) -> int | None:
    """The log position of the index committed in `directory` for the store `store_uid`, read without
    opening it for writing; None when there is no index there or one of another store (it will be built from
    SQLite, which needs no log); -1 when it cannot be read now (a commit in progress elsewhere)."""
    directory = Path(directory)
    if not (directory / "meta.json").exists():
        return None
    try:
        schema = _schema()
        index = tantivy.Index(schema, path=str(directory), reuse=True)
        index.reload()
        searcher = index.searcher()
        hits = searcher.search(tantivy.Query.term_query(schema, "id", _META_ID), 1, count=False).hits
        if not hits:
            return None
        doc = searcher.doc(hits[0][1]).to_dict()
        return int(doc["seq"][0]) if str(doc["uid"][0]) == _identity(store_uid) else None
    except Exception:  # unreadable at this moment: keep the log
        return -1


class TantivyLexical:
    """BM25 over the analysed text of one store's chunks, kept in step with its log."""

    kind = "tantivy"

    def __init__(self, store: Store, directory: Path) -> None:
        self.store = store
        self.directory = Path(directory)
        self.schema = _schema()
        self._lock = threading.RLock()
        self._seq = -1  # log position of the searcher in use
        self._num_docs = 0
        self.index = self._open()

    # -- opening -------------------------------------------------------------------------------

    def _open(self) -> tantivy.Index:
        self.directory.mkdir(parents=True, exist_ok=True)
        index: tantivy.Index | None = None
        try:
            index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
            index.config_reader(reload_policy="Manual")
            index.reload()
        except Exception as exc:  # torn or foreign files are never trusted: start again from SQLite
            log.warning("lexical index unreadable (%s); rebuilding from the store", exc)
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, path=str(self.directory), reuse=False)
            index.config_reader(reload_policy="Manual")
        self.index = index
        seq, uid = self._position()
        last = self.store.last_log_seq()
        reason = ""
        if seq is None:
            reason = "no position recorded"
        elif uid != _identity(self.store.uid()):
            reason = "built from another store or with another layout"
        elif seq > last:
            reason = "ahead of the store's log"
        elif seq < self.store.log_trimmed_to():
            reason = "behind the trimmed log"
        elif seq == last and self._searcher().num_docs - 1 != self.store.count("chunks"):
            reason = "chunk count differs from the store"
        if reason:
            log.info("lexical index %s: rebuilding from the store", reason)
            self.rebuild()
        else:
            self._seq = int(seq)  # type: ignore[arg-type]
            self._num_docs = self._searcher().num_docs - 1
        self.sync()
        return index

    def _searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def _position(self) -> tuple[int | None, str | None]:
        """(log seq, store uid) recorded by the last commit, read from the current searcher."""
        searcher = self._searcher()
        hits = searcher.search(tantivy.Query.term_query(self.schema, "id", _META_ID), 1, count=False).hits
        if not hits:
            return None, None
        doc = searcher.doc(hits[0][1]).to_dict()
        return int(doc["seq"][0]), str(doc["uid"][0])

    # -- writing ----------------------------------------------------------------------------------

    def _writer(self) -> tantivy.IndexWriter:
        """The index's single writer; waits while another process holds it."""
        deadline = time.monotonic() + _LOCK_WAIT_S
        while True:
            try:
                return self.index.writer(_WRITER_HEAP, 1)
            except ValueError as exc:  # LockBusy: another process is applying the log
                if "LockBusy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise StoreError(
                        "L'index lexical est verrouillé par un autre processus depuis trop longtemps.",
                        {"path": str(self.directory)},
                    ) from exc
                time.sleep(0.05)

    def _commit(self, writer: tantivy.IndexWriter, seq: int) -> None:
        writer.delete_documents_by_query(tantivy.Query.term_query(self.schema, "id", _META_ID))
        meta = tantivy.Document()
        meta.add_unsigned("id", _META_ID)
        meta.add_unsigned("seq", seq)
        meta.add_text("uid", _identity(self.store.uid()))
        writer.add_document(meta)
        writer.commit()
        writer.wait_merging_threads()  # also drops the writer, which releases the lock for other processes
        self.index.reload()
        self._seq = seq
        self._num_docs = self._searcher().num_docs - 1

    def rebuild(self) -> None:
        """Index every chunk of the store again, in one commit (readers see the old index until then)."""
        with self._lock:
            writer = self._writer()
            try:
                with self.store.snapshot() as con:  # the chunks and the log position agree
                    seq = self.store.last_log_seq()
                    writer.delete_all_documents()
                    for chunk_id, body, text in _chunks(con):
                        writer.add_document(_chunk_doc(chunk_id, body, text))
                self._commit(writer, seq)
            except BaseException:
                _abandon(writer)
                raise

    def sync(self) -> int:
        """Apply the store's changes since this index's position; returns how many log entries were read.

        On a full disk nothing is applied (0): reads go on from the last committed state and catch up later.
        """
        try:
            return self._sync()
        except Exception as exc:
            if not _out_of_space(exc, self.directory):
                raise
            log.warning("lexical index not brought up to date (disk full: %s); reading its last committed state",
                        exc)
            return 0

    def _sync(self) -> int:
        if self.store.last_log_seq() == self._seq:
            return 0
        with self._lock:
            self.index.reload()  # another process may have applied them already
            seq, _uid = self._position()
            last = self.store.last_log_seq()
            if seq is not None and seq >= last:
                self._seq = int(seq)
                self._num_docs = self._searcher().num_docs - 1
                return 0
            if seq is None or seq < self.store.log_trimmed_to():  # the entries it lacks were trimmed
                log.info("lexical index %s: rebuilding from the store (%s)", self.directory,
                         "no position recorded" if seq is None else "behind the trimmed log")
                self.rebuild()
                return 0
            writer = self._writer()
            self.index.reload()
            seq, _uid = self._position()
            start = int(seq or 0)
            try:
                with self.store.snapshot() as con:
                    entries = self.store.vector_log_since(start)
                    final: dict[int, str] = {}
                    for _s, chunk_id, op in entries:
                        final[int(chunk_id)] = op
                    if final:  # idempotent: a replay after a crash never duplicates
                        writer.delete_documents_by_query(
                            tantivy.Query.term_set_query(self.schema, "id", list(final)))
                    added = [cid for cid, op in final.items() if op == "add"]
                    for chunk_id, body, text in _chunks(con, added):
                        writer.add_document(_chunk_doc(chunk_id, body, text))
                    end = entries[-1][0] if entries else start
                self._commit(writer, end)
            except BaseException:
                _abandon(writer)
                raise
            return len(entries)

    # -- reading ------------------------------------------------------------------------------------

    def search(
        self, terms: dict[str, float], limit: int, allowed: np.ndarray | None = None,
        within: Sequence[int] | None = None, constraint: Constraint | None = None,
    ) -> list[tuple[int, float]]:
        """(chunk id, BM25) best first for a disjunction of terms with boosts, inside `allowed` and `within`;
        with `constraint`, only the passages that hold what it requires and none of what it excludes."""
        self.sync()
        if limit <= 0 or not (terms or (constraint is not None and constraint.required())):
            return []
        clauses = []
        for term, boost in terms.items():
            q = tantivy.Query.term_query(self.schema, "body", term)
            clauses.append((tantivy.Occur.Should, q if boost == 1.0 else tantivy.Query.boost_query(q, boost)))
        if constraint is not None:
            clauses += self._constraint_clauses(constraint)
        query = tantivy.Query.boolean_query(clauses)
        restrictions = [ids for ids in (allowed, within) if ids is not None]
        if restrictions:
            must = [(tantivy.Occur.Must, query)]
            for ids in restrictions:
                if len(ids) == 0:
                    return []
                must.append((tantivy.Occur.Must, tantivy.Query.const_score_query(self._id_restriction(ids), 0.0)))
            query = tantivy.Query.boolean_query(must)
        searcher = self._searcher()
        hits = searcher.search(query, limit, count=False).hits
        if not hits:
            return []
        ids = searcher.fast_field_values("id", [addr for _score, addr in hits])
        return [(int(cid), float(score)) for (score, _addr), cid in zip(hits, ids)]

    def _constraint_clauses(self, c: Constraint) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        out = [(tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "body", t)) for t in c.terms]
        out += [(tantivy.Occur.Must, self._sequence(words)) for words in c.exact if words]
        out += [(tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "body", t)) for t in c.excluded_terms]
        out += [(tantivy.Occur.MustNot, self._sequence(words)) for words in c.excluded_exact if words]
        return out

    def _sequence(self, words: Sequence[str]) -> tantivy.Query:
        """Words as written, consecutive (a phrase query over the `exact` field's positions)."""
        if len(words) == 1:
            return tantivy.Query.term_query(self.schema, "exact", words[0])
        return tantivy.Query.phrase_query(self.schema, "exact", list(words))

    def _id_restriction(self, ids: Sequence[int] | np.ndarray) -> tantivy.Query:
        """The chunks `ids`, as a query to intersect with.

        A union of one term query per id for a few hundred ids (a search restricted to the ~100 candidates
        of a query took 0.5 ms this way against 1.8 ms with a term-set query at 100k chunks), the term-set
        query above `UNION_UP_TO` ids, where the union's cost grows faster (BENCHMARKS, issue 14).
        """
        if len(ids) <= UNION_UP_TO:
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "id", int(i))) for i in ids])
        return tantivy.Query.term_set_query(self.schema, "id", [int(i) for i in ids])

    def doc_freqs(self, terms: Sequence[str]) -> dict[str, int]:
        self.sync()
        searcher = self._searcher()
        return {t: int(searcher.doc_freq("body", t)) for t in terms}

    def count(self) -> int:
        self.sync()
        return self._num_docs

    def vocabulary(self) -> dict[str, int]:
        """Every indexed term with its chunk frequency."""
        self.sync()
        return dict(self._searcher().terms_with_prefix("body", ""))

    def ids(self) -> list[int]:
        """Every chunk id the index holds, sorted (for consistency checks)."""
        self.sync()
        searcher = self._searcher()
        if searcher.num_docs == 0:
            return []
        hits = searcher.search(tantivy.Query.all_query(), searcher.num_docs, count=False).hits
        ids = searcher.fast_field_values("id", [addr for _score, addr in hits])
        return sorted(int(i) for i in ids if i != _META_ID)

    @property
    def position(self) -> int:
        return self._seq

"""The ingest pipeline: files → parsed documents → chunks with metadata → store and vectors.

Each file is handled on its own: a file that cannot be read is reported (in
French) and skipped, and the store is written one document per transaction,
so nothing already stored is ever lost to a bad file or a crash.
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import logging
import os
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from multiprocessing import connection as mp_connection
from typing import Any

from acv.errors import AcvError, DiskFullError, FileTooLargeError, PathRefusedError, UnreadableFileError
from acv.paths import absolute_source, check_entry, explicit_file, real_root, walked_dir_link, walked_file
from acv.records import ParsedDocument
from index.analysis import FrenchAnalyzer
from index.embedders.base import Embedder
from index.store import DocumentRow, Store, raise_if_disk_full
from index.vectors import DenseIndex
from ingest.dedupe import EmbeddingQueue
from ingest.extract import Extractor
from ingest.isolation import IsolatedJob
from ingest.prepare import (  # noqa: F401 - re-exported: the knowledge base and benchmarks import them from here
    PrepareConfig,
    PreparedDocument,
    chunk_facets,
    departement_code,
    document_metadata_json,
    embed_key,
    embedding_text,
    prepare_parsed,
)
from ingest.progress import ProgressPublisher
from ingest.readers import SUPPORTED_SUFFIXES, os_error_reason, read_file

log = logging.getLogger(__name__)

IGNORE_FILE = ".acvignore"


@dataclass(slots=True)
class FileOutcome:
    """What happened to one file; `message` is French and shown to users."""

    source: str
    status: str  # added | updated | unchanged | moved | error | removed
    message: str = ""
    doc_id: str | None = None
    chunks: int = 0
    embedded: int = 0
    code: str = ""  # for an error: the code of the domain error (e.g. lecture_trop_couteuse), so edges can word it


@dataclass(slots=True)
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    elapsed_s: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def embedded(self) -> int:
        return sum(o.embedded for o in self.outcomes)

    @property
    def errors(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "error"]

    def summary(self) -> dict[str, Any]:
        return {
            "fichiers": len(self.outcomes),
            "ajoutés": self.count("added"),
            "mis_à_jour": self.count("updated") + self.count("moved"),
            "inchangés": self.count("unchanged"),
            "supprimés": self.count("removed"),
            "erreurs": len(self.errors),
            "passages_vectorisés": self.embedded,
            "durée_s": round(self.elapsed_s, 2),
        }


@dataclass(slots=True)
class Progress:
    """Sent after each file so an edge can draw a progress bar."""

    done: int
    total: int
    source: str
    chunks: int
    embedded: int
    elapsed_s: float

    @property
    def embed_rate(self) -> float:
        return self.embedded / self.elapsed_s if self.elapsed_s > 0 else 0.0


ProgressCallback = Callable[[Progress], None]


def document_id(source: str) -> str:
    return "d" + hashlib.sha1(source.encode("utf-8", "surrogateescape")).hexdigest()[:15]


def source_name(path: Path) -> str:
    """The path as stored: absolute, its folders resolved, whatever folder the ingest runs from."""
    return absolute_source(path)


def _ignore_patterns(root: Path) -> list[str]:
    try:
        lines = (root / IGNORE_FILE).read_text("utf-8").splitlines()
    except OSError:
        return []
    return [ln.strip().rstrip("/") for ln in lines if ln.strip() and not ln.startswith("#")]


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to ingest: explicit files always; in folders, supported suffixes only.

    Hidden entries and folders starting with « _ » are skipped, as are the
    patterns of an `.acvignore` file in a given folder. Every path goes
    through the path policy (`acv.paths`): an explicit file is its own root;
    a file found in a folder must resolve inside that folder. Refused entries
    (a link out of the folder, a loop, a pipe or a device) are still yielded,
    carrying their French reason, so that the report shows them. Links to
    directories are never followed, so a link loop cannot trap the walk.
    """
    for path in paths:
        path = Path(absolute_source(path))  # sources are absolute: the same file from any working folder
        if not path.is_dir():
            yield explicit_file(path)
            continue
        root = real_root(path)
        patterns = _ignore_patterns(path)
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            rel_dir = os.path.relpath(dirpath, path)
            kept = sorted(
                d for d in dirnames
                if not d.startswith((".", "_"))
                and not any(fnmatch.fnmatch(os.path.normpath(os.path.join(rel_dir, d)), p) for p in patterns)
            )
            dirnames[:] = [d for d in kept if not os.path.islink(os.path.join(dirpath, d))]
            entries = [(name, False) for name in filenames] + [(d, True) for d in kept if d not in dirnames]
            for name, is_dir_link in sorted(entries):
                rel = os.path.normpath(os.path.join(rel_dir, name))
                if is_dir_link:
                    refused = walked_dir_link(Path(dirpath) / name, root)
                    if refused is not None:
                        yield refused
                    continue
                if name.startswith(".") or any(fnmatch.fnmatch(rel, p) for p in patterns):
                    continue
                if Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                    yield walked_file(Path(dirpath) / name, root)


class Ingestor:
    """Files in, documents out: workers prepare, the model embeds across documents, one writer stores.

    Up to `workers` files are prepared at once (read, chunked, understood,
    analysed) in forked children bounded by `parse_timeout_s` and
    `parse_memory_mb`; meanwhile this process embeds the distinct texts
    that are ready, in batches that span documents. Documents are written in
    the order of the files, one transaction each.
    """

    def __init__(
        self,
        store: Store,
        analyzer: FrenchAnalyzer,
        extractor: Extractor,
        embedder: Embedder,
        dense: DenseIndex,
        *,
        chunk_min_words: int = 100,
        chunk_max_words: int = 250,
        max_bytes: int | None = None,
        batch_size: int = 32,
        save_every_s: float = 30.0,
        parse_isolation: bool = True,
        parse_timeout_s: float = 60.0,
        parse_memory_mb: int | None = 2048,
        workers: int = 0,
        max_passages: int | None = 3000,
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self.extractor = extractor
        self.embedder = embedder
        self.dense = dense
        self.chunk_min_words = chunk_min_words
        self.chunk_max_words = chunk_max_words
        self.max_bytes = max_bytes
        self.batch_size = batch_size
        self.save_every_s = save_every_s
        self.parse_isolation = parse_isolation
        self.parse_timeout_s = parse_timeout_s
        self.parse_memory_mb = parse_memory_mb
        # by default one core is left to the model, which embeds while the workers prepare
        self.workers = workers if workers > 0 else max(1, (os.cpu_count() or 1) - 1)
        self.max_passages = max_passages or None

    @property
    def prepare_config(self) -> PrepareConfig:
        return PrepareConfig(embedder_id=self.embedder.id, chunk_min_words=self.chunk_min_words,
                             chunk_max_words=self.chunk_max_words, max_bytes=self.max_bytes,
                             max_passages=self.max_passages)

    # -- the batch -----------------------------------------------------------------

    def ingest(
        self, paths: Sequence[Path], *, prune: bool = False, progress: ProgressCallback | None = None
    ) -> IngestReport:
        batch = self.start_batch(paths, progress)
        queue = batch.queue
        try:
            while not batch.finished:
                batch.admit(self._start_local)
                batch.collect()
                batch.write_ready()
                # Full batches while workers can still add texts (a multi-threaded model works across the
                # batch); whatever is queued once no worker is busy, so the model never waits for nothing.
                if queue.pending >= self.batch_size or (queue.pending and not batch.running()):
                    queue.run_batch(self.embedder.embed_passages)
                else:
                    batch.wait_for_workers()
            return self.finish_batch(batch, paths, prune)
        except BaseException as exc:
            # A full disk (or Ctrl-C, or any failure of the batch itself): stop every worker now, so that no
            # child stays blocked on its pipe and the process can exit. Stored documents are whole.
            batch.abandon()
            if isinstance(exc, Exception):
                raise_if_disk_full(exc, "ingest")
            raise

    def start_batch(self, paths: Sequence[Path], progress: ProgressCallback | None = None) -> "Batch":
        """The state of one ingest run; `ingest` drives it with local workers, `ingest.ray_ingest` on Ray."""
        return Batch(self, list(discover(paths)), progress)

    def finish_batch(self, batch: "Batch", paths: Sequence[Path], prune: bool) -> IngestReport:
        report = batch.report
        if prune:
            report.outcomes.extend(self.prune(paths))
        self.dense.sync()
        self.dense.save()
        report.elapsed_s = time.perf_counter() - batch.started
        batch.publisher.finish(report)
        return report

    def prune(self, roots: Sequence[Path]) -> list[FileOutcome]:
        """Remove the documents whose file, under one of `roots`, no longer exists."""
        roots_n = [source_name(Path(r)) for r in roots]
        out: list[FileOutcome] = []
        for src, (doc_id, _h) in self.store.sources().items():
            under = any(src == r or src.startswith(r.rstrip(os.sep) + os.sep) or r == "." for r in roots_n)
            if under and not os.path.lexists(src):
                self.store.delete_document(doc_id)
                out.append(FileOutcome(src, "removed", "Fichier disparu : document retiré de l'index.", doc_id))
        return out

    # -- one file ------------------------------------------------------------------

    def _start_local(self, slot: "Slot") -> None:
        """Prepare the slot's file in a bounded child (or right here when isolation is off)."""
        if not self.parse_isolation:
            slot.prepared = self.prepare_file(slot.path)
            return
        slot.job = IsolatedJob(self.prepare_file, (slot.path,), timeout_s=self.parse_timeout_s,
                               memory_mb=self.parse_memory_mb, label=slot.source)

    def prepare_file(self, path: Path) -> PreparedDocument:
        """Read and prepare one file (runs in a worker)."""
        parsed = read_file(path, max_bytes=self.max_bytes)
        return prepare_parsed(parsed, self.analyzer, self.extractor, self.prepare_config)

    def read_bytes(self, path: Path) -> bytes:
        check_entry(path)  # the path policy (acv/paths.py): refused links, pipes, devices are never opened
        try:
            if path.is_dir():
                raise UnreadableFileError(f"« {source_name(path)} » est un dossier vide ou illisible.")
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):  # opening a named pipe would block forever
                raise UnreadableFileError("Fichier ignoré : ce n'est pas un fichier ordinaire (tube, périphérique…).")
            size = info.st_size
            if self.max_bytes is not None and size > self.max_bytes:
                raise FileTooLargeError(
                    f"Fichier trop volumineux ({size / 1e6:.1f} Mo ; limite {self.max_bytes / 1e6:.0f} Mo)."
                )
            with open(path, "rb") as fh:
                return fh.read(self.max_bytes + 1 if self.max_bytes else -1)
        except FileNotFoundError as exc:
            raise UnreadableFileError("Fichier introuvable.") from exc
        except PermissionError as exc:
            raise UnreadableFileError("Lecture du fichier refusée (droits insuffisants).") from exc
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UnreadableFileError("Lien symbolique en boucle.") from exc
            raise UnreadableFileError(f"Fichier illisible ({os_error_reason(exc)}).") from exc


    def store_parsed(self, parsed: ParsedDocument, content_hash: str, size: int, status: str = "added") -> FileOutcome:
        """Chunk, understand, embed and store one parsed document (one transaction)."""
        prepared = prepare_parsed(parsed, self.analyzer, self.extractor, self.prepare_config)
        queue = EmbeddingQueue(self.store, self.batch_size)
        waiting = queue.need(prepared.embed_texts())
        while queue.pending:
            queue.run_batch(self.embedder.embed_passages)
        failure = queue.failure(waiting)
        if failure:
            raise UnreadableFileError(failure)
        return self.write(prepared, content_hash, size, status, queue.take(waiting))

    def write(self, prepared: PreparedDocument, content_hash: str, size: int, status: str,
              vectors: dict[str, bytes]) -> FileOutcome:
        """The single writer: one document, its chunks and its new vectors in one transaction."""
        doc_id = document_id(prepared.source)
        doc_row = DocumentRow(
            id=doc_id, source=prepared.source, content_hash=content_hash, format=prepared.format,
            title=prepared.title, doc_type=prepared.doc_type, date=prepared.date, page_count=prepared.page_count,
            size=size, ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            metadata=prepared.metadata,
        )
        self.store.replace_document(doc_row, prepared.chunks, vectors)
        return FileOutcome(prepared.source, status, " ".join(prepared.notes), doc_id, len(prepared.chunks),
                           len(vectors))


@dataclass(slots=True)
class Slot:
    """One file of a batch, from admission to its outcome."""

    index: int
    path: Path
    source: str
    size: int = 0
    content_hash: str = ""
    status: str = ""
    job: Any = None  # an IsolatedJob, a Ray object ref…: whatever prepares the file
    prepared: PreparedDocument | None = None
    waiting: set[str] = field(default_factory=set)
    outcome: FileOutcome | None = None


class Batch:
    """One ingest run: files admitted in order, prepared by workers, embedded once per text, written in order."""

    def __init__(self, ingestor: Ingestor, files: list[Path], progress: ProgressCallback | None) -> None:
        self.ingestor = ingestor
        self.files = files
        self.progress = progress
        self.started = time.perf_counter()
        self.report = IngestReport()
        self.queue = EmbeddingQueue(ingestor.store, ingestor.batch_size)
        self.slots: deque[Slot] = deque()
        self.next_index = 0
        self.known = ingestor.store.sources()
        self.by_hash: dict[str, str] = {}
        for src, (_doc_id, h) in self.known.items():
            self.by_hash.setdefault(h, src)
        self.chunks_total = 0
        self.last_save = time.perf_counter()
        self.lookahead = max(8, ingestor.workers * 4)
        self.publisher = ProgressPublisher(ingestor.store, files)

    @property
    def finished(self) -> bool:
        return self.next_index >= len(self.files) and not self.slots

    def running(self) -> list[Slot]:
        return [s for s in self.slots if s.job is not None and s.prepared is None and s.outcome is None]

    # -- admission: the cheap checks happen here, the preparation in a worker --------------

    def admit(self, start: Callable[[Slot], None], limit: int | None = None) -> None:
        """Admit files in order while fewer than `limit` (default: the ingestor's workers) are being prepared."""
        limit = limit or self.ingestor.workers
        running = len(self.running())
        while self.next_index < len(self.files) and len(self.slots) < self.lookahead and running < limit:
            path = self.files[self.next_index]
            slot = Slot(self.next_index, path, source_name(path))
            self.next_index += 1
            self.slots.append(slot)
            self._guard(slot, lambda slot=slot: self._admit(slot, start))
            if slot.job is not None and slot.outcome is None:
                running += 1

    def _admit(self, slot: Slot, start: Callable[[Slot], None]) -> None:
        source = slot.source
        try:
            source.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 cannot be stored, shown or found again
            shown = source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            slot.outcome = FileOutcome(shown, "error", "Fichier ignoré : son nom n'est pas en UTF-8 valide ; renommez-le.")
            return
        try:
            data = self.ingestor.read_bytes(slot.path)
        except PathRefusedError as exc:
            # A document stored from this path before the path policy refused it (e.g. a file since swapped
            # for a link out of the folder) must not stay searchable.
            previous = self.known.pop(source, None)
            if previous is not None and self.ingestor.store.delete_document(previous[0]):
                raise PathRefusedError(f"{exc.message} Le document indexé auparavant sous ce chemin a été retiré.",
                                       exc.details) from exc
            raise
        slot.size = len(data)
        slot.content_hash = hashlib.sha256(data).hexdigest()
        del data
        previous = self.known.get(source)
        if previous and previous[1] == slot.content_hash:
            slot.outcome = FileOutcome(source, "unchanged", "Inchangé.", previous[0])
            return
        # Same bytes under a new name: « moved » when the old file is gone, a plain copy otherwise
        # (either way the cached vectors are reused, nothing is embedded again).
        twin = self.by_hash.get(slot.content_hash)
        slot.status = "updated" if previous else ("moved" if twin and not os.path.lexists(twin) else "added")
        self.known[source] = (document_id(source), slot.content_hash)
        self.by_hash.setdefault(slot.content_hash, source)
        start(slot)
        if slot.prepared is not None:
            self.prepared(slot, slot.prepared)

    # -- workers answer ------------------------------------------------------------------------

    def collect(self) -> None:
        """Take the answers of the local workers that have finished."""
        for slot in self.running():
            if isinstance(slot.job, IsolatedJob) and slot.job.ready():
                job, slot.job = slot.job, None
                self._guard(slot, lambda slot=slot, job=job: self.prepared(slot, job.result()))

    def prepared(self, slot: Slot, prepared: PreparedDocument) -> None:
        """A worker has prepared the slot's file: queue its distinct texts for the model."""
        slot.job = None
        slot.prepared = prepared
        slot.waiting = self.queue.need(prepared.embed_texts())

    def fail(self, slot: Slot, exc: BaseException) -> None:
        slot.job = None
        slot.outcome = _error_outcome(slot.source, exc)

    def wait_for_workers(self) -> None:
        jobs = [s.job for s in self.running() if isinstance(s.job, IsolatedJob)]
        if jobs:
            timeout = max(0.0, min(1.0, min(j.deadline for j in jobs) - time.monotonic()))
            mp_connection.wait([j.connection for j in jobs], timeout)

    def abandon(self) -> None:
        """Stop every worker still preparing a file (the batch stops here)."""
        for slot in self.slots:
            if isinstance(slot.job, IsolatedJob):
                slot.job.kill()
                slot.job = None

    # -- the single writer -----------------------------------------------------------------------

    def write_ready(self) -> None:
        """Write, in file order, every document at the head whose vectors are all there."""
        while self.slots:
            slot = self.slots[0]
            if slot.outcome is None:
                if slot.prepared is None or not self.queue.ready(slot.waiting):
                    return
                self._guard(slot, lambda slot=slot: self._write(slot))
            self.slots.popleft()
            self._done(slot)

    def _write(self, slot: Slot) -> None:
        assert slot.prepared is not None
        failure = self.queue.failure(slot.waiting)
        if failure:
            raise UnreadableFileError(failure)
        vectors = self.queue.take(slot.waiting)
        try:
            slot.outcome = self.ingestor.write(slot.prepared, slot.content_hash, slot.size, slot.status, vectors)
        except BaseException:
            self.queue.give_back(vectors)
            raise
        finally:
            slot.prepared = None  # free the rows

    def _done(self, slot: Slot) -> None:
        outcome = slot.outcome
        assert outcome is not None
        self.report.outcomes.append(outcome)
        self.chunks_total += outcome.chunks
        ing = self.ingestor
        if outcome.status in ("added", "updated", "moved"):
            ing.dense.sync()
            if time.perf_counter() - self.last_save > ing.save_every_s:
                ing.dense.save()
                self.last_save = time.perf_counter()
        elapsed = time.perf_counter() - self.started
        self.publisher.file_done(slot.index, outcome, self.chunks_total, self.report.embedded, elapsed)
        if self.progress is not None:
            self.progress(Progress(len(self.report.outcomes), len(self.files), outcome.source, self.chunks_total,
                                   self.report.embedded, elapsed))

    def _guard(self, slot: Slot, step: Callable[[], None]) -> None:
        """Run one step for one file; whatever goes wrong becomes that file's French error, never the batch's."""
        try:
            step()
        except DiskFullError:
            raise  # not this file's fault: the whole batch stops (Ingestor.ingest), nothing half-written stays
        except (AcvError, MemoryError, RecursionError, Exception) as exc:  # noqa: BLE001
            if isinstance(exc, Exception):
                raise_if_disk_full(exc, slot.source)
            if not isinstance(exc, (AcvError, MemoryError, RecursionError)):
                log.exception("unexpected error on %s", slot.source)
            else:
                log.warning("skipped %s: %s", slot.source, getattr(exc, "message", exc))
            self.fail(slot, exc)


def _error_outcome(source: str, exc: BaseException) -> FileOutcome:
    if isinstance(exc, AcvError):
        return FileOutcome(source, "error", exc.message, code=exc.code)
    if isinstance(exc, MemoryError):
        return FileOutcome(source, "error", "Fichier ignoré : sa lecture demandait trop de mémoire.")
    if isinstance(exc, RecursionError):
        return FileOutcome(source, "error", "Fichier ignoré : structure trop profondément imbriquée.")
    return FileOutcome(source, "error", f"Fichier ignoré : erreur inattendue ({type(exc).__name__}).")

"""The one way a user's file enters the base, for the API and the UI alike.

Size-capped, typed by its bytes (`ingest.readers.detect_format`, the rule the ingester applies; the
client's extension only separates Markdown from text), refused when the same bytes are already stored
(sha256), stored under a safe name that no other file has (claimed with O_EXCL), then ingested one
at a time; a file that fails to ingest is removed so nothing half-added stays.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import threading
import time
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from acv.errors import (
    AcvError,
    DiskFullError,
    FileTooLargeError,
    InvalidQueryError,
    NotFoundError,
    ReadLimitError,
    UnreadableFileError,
    UnsupportedFormatError,
    is_disk_full,
)
from acv.paths import upload_folder, upload_target
from acv.processes import pid_alive
from acv.settings import Settings
from ingest.readers import SUPPORTED_SUFFIXES, detect_format
from service.catalog import Catalog
from service.maintenance import Maintenance, ingest_progress
from service.types import UploadResult

log = logging.getLogger(__name__)

SUFFIX_BY_FORMAT = {"pdf": ".pdf", "html": ".html", "markdown": ".md", "text": ".txt"}
_SNIFF_BYTES = 8192


class EmptyFileError(InvalidQueryError):
    code = "fichier_vide"


class DuplicateDocumentError(AcvError):
    """The same bytes are already in the base (`details["doc_id"]` names the document)."""

    code = "document_deja_present"


class NoFreeNameError(AcvError):
    code = "nom_indisponible"


@dataclass(slots=True)
class IncomingFile:
    """A received file waiting in `uploads/.incoming`, with what the client called it."""

    path: Path
    client_name: str
    size: int
    sha256: str


@contextmanager
def _disk_full_translated(where: str) -> Iterator[None]:
    """ENOSPC while writing an upload is the server's disk, never the client's file (507 at the API)."""
    try:
        yield
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFullError(details={"where": where}) from exc
        raise


def too_large(limit: int) -> FileTooLargeError:
    return FileTooLargeError(
        f"Fichier trop volumineux : la limite est de {limit / 1_048_576:g} Mo (ACV_MAX_UPLOAD_MB).",
        {"max_bytes": limit})


def basename(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def safe_stem(client_name: str) -> str:
    """An ASCII stem from the client's name: no directory part, no dots, no control or shell characters."""
    base = basename(client_name)
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[:80]
    return stem or "document"


class UploadService:
    """Receive, check, store and ingest one file at a time."""

    def __init__(self, settings: Settings, catalog: Catalog, maintenance: Maintenance,
                 write_lock: threading.Lock | threading.RLock | None = None) -> None:
        self.settings = settings
        self.catalog = catalog
        self.maintenance = maintenance
        self.write_lock = write_lock or threading.Lock()

    @property
    def limit(self) -> int:
        """Bytes accepted for one upload (the smaller of the upload and the file limits)."""
        return min(self.settings.max_upload_mb, self.settings.max_file_mb) * 1024 * 1024

    @property
    def folder(self) -> Path:
        return self.settings.uploads_dir.resolve()

    def incoming_dir(self) -> Path:
        return upload_folder(self.folder, ".incoming")  # refused if something made it a link

    def too_large(self) -> FileTooLargeError:
        return too_large(self.limit)

    # -- the steps ------------------------------------------------------------------------------

    def receive_bytes(self, client_name: str, data: bytes) -> IncomingFile:
        """Write bytes held in memory (a Streamlit upload) to the incoming folder."""
        if len(data) > self.limit:
            raise self.too_large()
        with _disk_full_translated("upload"):
            path = self.incoming_dir() / part_name()
            try:
                with open(path, "xb") as fh:
                    fh.write(data)
            except BaseException:
                path.unlink(missing_ok=True)
                raise
        return IncomingFile(path, client_name, len(data), hashlib.sha256(data).hexdigest())

    def sniff_format(self, incoming: IncomingFile) -> str:
        """pdf, html, markdown or text from the bytes; the client's extension only separates Markdown from text."""
        with open(incoming.path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
        if incoming.size == 0 or not head.strip():
            raise EmptyFileError("Le fichier envoyé est vide.")
        suffix = Path(basename(incoming.client_name)).suffix.lower()
        hint = Path("upload" + (suffix if suffix in SUPPORTED_SUFFIXES else ""))
        try:
            return detect_format(hint, head)
        except UnsupportedFormatError as exc:
            raise UnsupportedFormatError(
                f"Type de fichier refusé ({exc.message}). Formats acceptés : PDF, HTML, Markdown, texte.",
                {"file_name": safe_stem(incoming.client_name)}) from exc
        except AcvError as exc:
            raise UnreadableFileError(f"Fichier illisible : {exc.message}.") from exc

    def refuse_duplicate(self, sha256: str) -> None:
        existing = self.catalog.document_by_content(sha256)
        if existing is not None:
            raise DuplicateDocumentError("Ce fichier est déjà dans la base.", {"doc_id": existing})

    def store(self, incoming: IncomingFile, fmt: str) -> Path:
        """Move the file to the uploads folder under a name no other file has (claimed with O_EXCL)."""
        stem = safe_stem(incoming.client_name)
        suffix = SUFFIX_BY_FORMAT[fmt]
        for n in range(1, 10_000):
            name = f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}"
            target = upload_target(self.folder, name)  # the path policy: a plain name, directly in the folder
            try:
                with _disk_full_translated("upload"):
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            except FileExistsError:
                continue
            os.close(fd)
            os.replace(incoming.path, target)
            return target
        raise NoFreeNameError("Impossible de trouver un nom libre pour ce fichier.")

    def accept(self, incoming: IncomingFile) -> Path:
        """Type, duplicate check and storage; the incoming file never stays behind."""
        try:
            fmt = self.sniff_format(incoming)
            self.refuse_duplicate(incoming.sha256)
            return self.store(incoming, fmt)
        finally:
            incoming.path.unlink(missing_ok=True)

    def ingest(self, target: Path, sha256: str) -> UploadResult:
        """Ingest one stored upload; on failure remove the file so nothing half-added stays."""
        try:
            with self.write_lock:  # one write at a time; the same bytes sent twice at once are stored once
                self.refuse_duplicate(sha256)
                report = self.maintenance.ingest([target])
            outcome = report.outcomes[0] if report.outcomes else None
            if outcome is None or outcome.status == "error" or not outcome.doc_id:
                reason = outcome.message if outcome and outcome.message else "aucun texte exploitable"
                reason = reason.removeprefix("Fichier ignoré : ").rstrip(".")
                # a file too slow or too big to read is not of an unsupported type (422, not 415)
                error = ReadLimitError if outcome and outcome.code == ReadLimitError.code else UnreadableFileError
                raise error(f"Le fichier n'a pas pu être ingéré : {reason}.", {"file_name": target.name})
            log.info("uploaded %s as %s", target.name, outcome.doc_id)
            return UploadResult(outcome.status, outcome.chunks, self.catalog.document(outcome.doc_id))
        except BaseException:
            target.unlink(missing_ok=True)
            raise

    # -- start-up recovery -----------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Remove what a killed server left in the uploads folder; returns the paths removed (each logged).

        An interrupted reception leaves `.incoming/<pid>-*.part`; a server killed while it ingested an upload
        leaves the stored file with no document (a re-upload would then be named `<name>-2`). Files still being
        written or ingested by another process are left alone: a `.part` of a live process written to in the
        last `STALE_PART_S` seconds, an upload younger than `STALE_UPLOAD_S`, every upload while an ingest runs.
        """
        folder = self.folder
        if not folder.is_dir():
            return []
        removed: list[str] = []
        now = time.time()
        incoming = folder / ".incoming"
        if incoming.is_dir() and not incoming.is_symlink():
            for part in sorted(incoming.glob("*.part")):
                owner = _part_owner(part.name)
                dead = owner is not None and owner != os.getpid() and not pid_alive(owner)
                if _regular_older_than(part, now if dead else now - STALE_PART_S) and _unlink(part):
                    log.info("start-up: removed incomplete upload %s (its reception was interrupted)", part.name)
                    removed.append(f".incoming/{part.name}")
        progress = ingest_progress(self.settings)
        if progress is not None and progress.running:
            log.info("start-up: an ingest is running (process %s); stored uploads left as they are", progress.pid)
            return removed
        stored = set(self.maintenance.parts.store.sources())
        for path in sorted(folder.iterdir()):
            if str(path) in stored or path.name.startswith("."):
                continue
            if _regular_older_than(path, now - STALE_UPLOAD_S) and _unlink(path):
                log.info("start-up: removed upload %s: no document in the base (its ingest was interrupted)",
                         path.name)
                removed.append(path.name)
        return removed

    # -- whole flows ---------------------------------------------------------------------------

    def add(self, incoming: IncomingFile) -> UploadResult:
        return self.ingest(self.accept(incoming), incoming.sha256)

    def add_bytes(self, client_name: str, data: bytes) -> UploadResult:
        return self.add(self.receive_bytes(client_name, data))

    def delete(self, doc_id: str) -> None:
        """Remove a document; a file that came through an upload is erased too (corpus files never are)."""
        with self.write_lock:
            row = self.maintenance.parts.store.document(doc_id)
            if row is None:
                raise NotFoundError(f"Document introuvable : « {doc_id} ».", {"doc_id": doc_id})
            source = Path(row["source"]).resolve()  # the stored path, not the one shown to users
            self.maintenance.delete_document(doc_id)
        if source.parent == self.folder:
            source.unlink(missing_ok=True)


STALE_PART_S = 15 * 60  # a `.part` of a live process (or of unknown owner) stalled this long is dead
STALE_UPLOAD_S = 10  # between its move into the folder and the start of its ingest an upload is briefly orphan


def part_name() -> str:
    """The name of a file being received: its process id first, so that a later start knows it was abandoned."""
    return f"{os.getpid()}-{uuid.uuid4().hex}.part"


def _part_owner(name: str) -> int | None:
    head = name.split("-", 1)[0]
    return int(head) if head.isdigit() and "-" in name else None


def _regular_older_than(path: Path, moment: float) -> bool:
    """A regular file (never a link or a folder) last written before `moment`."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_mtime < moment


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True

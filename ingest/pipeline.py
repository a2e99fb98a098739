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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from acv.errors import AcvError, FileTooLargeError, UnreadableFileError
from acv.paths import check_entry, explicit_file, real_root, walked_dir_link, walked_file
from acv.records import Chunk, ChunkMetadata, DocumentMetadata, ParsedDocument
from index.analysis import FrenchAnalyzer
from index.embedders.base import Embedder
from index.store import ChunkRow, DocumentRow, Store
from index.vectors import DenseIndex
from ingest.chunking import chunk_document
from ingest.extract import Extractor
from ingest.isolation import read_isolated
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
    """The path as ingested, normalised (kept relative when given relative)."""
    return os.path.normpath(os.fsdecode(path))


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
        path = Path(path)
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


def embed_key(embedder_id: str, text: str) -> str:
    return hashlib.sha256(f"{embedder_id}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


def embedding_text(chunk: Chunk, title: str | None) -> str:
    """What the dense model sees for a chunk."""
    return chunk.text


class Ingestor:
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

    # -- the batch -----------------------------------------------------------------

    def ingest(
        self, paths: Sequence[Path], *, prune: bool = False, progress: ProgressCallback | None = None
    ) -> IngestReport:
        start = time.perf_counter()
        report = IngestReport()
        files = list(discover(paths))
        known = self.store.sources()
        by_hash: dict[str, str] = {}
        for src, (_doc_id, h) in known.items():
            by_hash.setdefault(h, src)
        chunks_total = 0
        embedded_total = 0
        last_save = time.perf_counter()
        for i, path in enumerate(files, start=1):
            outcome = self._ingest_file(path, known, by_hash)
            report.outcomes.append(outcome)
            chunks_total += outcome.chunks
            embedded_total += outcome.embedded
            if outcome.status in ("added", "updated", "moved"):
                self.dense.sync()
                if time.perf_counter() - last_save > self.save_every_s:
                    self.dense.save()
                    last_save = time.perf_counter()
            if progress is not None:
                progress(Progress(i, len(files), outcome.source, chunks_total, embedded_total,
                                  time.perf_counter() - start))
        if prune:
            report.outcomes.extend(self.prune(paths))
        self.dense.sync()
        self.dense.save()
        report.elapsed_s = time.perf_counter() - start
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

    def _ingest_file(self, path: Path, known: dict[str, tuple[str, str]], by_hash: dict[str, str]) -> FileOutcome:
        source = source_name(path)
        try:
            source.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 cannot be stored, shown or found again
            shown = source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return FileOutcome(shown, "error", "Fichier ignoré : son nom n'est pas en UTF-8 valide ; renommez-le.")
        try:
            data = self._read_bytes(path)
            content_hash = hashlib.sha256(data).hexdigest()
            previous = known.get(source)
            if previous and previous[1] == content_hash:
                return FileOutcome(source, "unchanged", "Inchangé.", previous[0])
            parsed = self._parse(path)
            # Same bytes under a new name: « moved » when the old file is gone, a plain copy otherwise
            # (either way the cached vectors are reused, nothing is embedded again).
            twin = by_hash.get(content_hash)
            status = "updated" if previous else ("moved" if twin and not os.path.lexists(twin) else "added")
            outcome = self.store_parsed(parsed, content_hash, len(data), status)
            known[source] = (outcome.doc_id or "", content_hash)
            by_hash.setdefault(content_hash, source)
            return outcome
        except AcvError as exc:
            log.warning("skipped %s: %s", source, exc.message)
            return FileOutcome(source, "error", exc.message)
        except MemoryError:
            return FileOutcome(source, "error", "Fichier ignoré : sa lecture demandait trop de mémoire.")
        except RecursionError:
            return FileOutcome(source, "error", "Fichier ignoré : structure trop profondément imbriquée.")
        except Exception as exc:  # a reader bug must not stop the batch
            log.exception("unexpected error on %s", source)
            return FileOutcome(source, "error", f"Fichier ignoré : erreur inattendue ({type(exc).__name__}).")

    def _parse(self, path: Path) -> ParsedDocument:
        """Read the file, in a time- and memory-bounded child process unless isolation is off."""
        if not self.parse_isolation:
            return read_file(path, max_bytes=self.max_bytes)
        return read_isolated(read_file, path, max_bytes=self.max_bytes, timeout_s=self.parse_timeout_s,
                             memory_mb=self.parse_memory_mb)

    def _read_bytes(self, path: Path) -> bytes:
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
        chunks = chunk_document(parsed, self.chunk_min_words, self.chunk_max_words)
        if not chunks:
            raise UnreadableFileError("Aucun texte exploitable dans ce document.")
        chunk_metas = [self.extractor.chunk(c.text, c.section) for c in chunks]
        for chunk, meta in zip(chunks, chunk_metas):
            chunk.meta = meta
        meta = self.extractor.document(parsed, chunk_metas)
        doc_id = document_id(parsed.source)

        texts = [embedding_text(c, meta.title) for c in chunks]
        keys = [embed_key(self.embedder.id, t) for t in texts]
        cached = self.store.existing_embeddings(keys)
        missing = [i for i, k in enumerate(keys) if k not in cached]
        fresh: dict[str, bytes] = {}
        for b in range(0, len(missing), self.batch_size):
            part = missing[b : b + self.batch_size]
            vecs = self.embedder.embed_passages([texts[i] for i in part])
            for i, vec in zip(part, vecs):
                fresh[keys[i]] = np.asarray(vec, dtype=np.float32).tobytes()

        rows = [
            ChunkRow(
                ordinal=c.ordinal,
                text=c.text,
                analysed=self.analyzer.analyse(" ".join(filter(None, [c.section or "", c.text]))),
                page=c.page,
                section=c.section,
                start=c.start,
                end=c.end,
                embed_key=k,
                metadata={**asdict(c.meta), "ocr": c.ocr},
                facets=chunk_facets(c.meta, meta, self.extractor),
            )
            for c, k in zip(chunks, keys)
        ]
        doc_row = DocumentRow(
            id=doc_id,
            source=parsed.source,
            content_hash=content_hash,
            format=parsed.format,
            title=meta.title or parsed.title,
            doc_type=meta.doc_type,
            date=meta.date,
            page_count=parsed.page_count,
            size=size,
            ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            metadata=document_metadata_json(meta, parsed),
        )
        self.store.replace_document(doc_row, rows, fresh)
        return FileOutcome(parsed.source, status, "", doc_id, len(rows), len(fresh))


def document_metadata_json(meta: DocumentMetadata, parsed: ParsedDocument | None) -> dict[str, Any]:
    out = asdict(meta)
    if parsed is not None:
        kept = ("pdf", "html", "front_matter", "warnings", "origin")  # origin: the root checked when serving the file
        out["reader"] = {k: v for k, v in parsed.meta.items() if k in kept}
    return out


def chunk_facets(chunk: ChunkMetadata, doc: DocumentMetadata, extractor: Extractor) -> dict[str, list[str]]:
    """Facet values of a chunk: its own axes and themes (or the document's when it has none), the document's places."""
    gaz = extractor.gazetteer
    dep_codes: list[str] = []
    regions: list[str] = list(doc.regions)
    for insee in doc.cities:
        commune = gaz.get(insee)
        if commune is not None:
            dep_codes.append(commune.departement_code)
            regions.append(commune.region)
    dep_codes.extend(departement_code(gaz, name) for name in doc.departements)
    return {
        "axis": [str(a) for a in (chunk.axes or doc.axes)],
        "theme": list(chunk.themes or doc.themes),
        "city": list(doc.cities),
        "mentioned_city": list(doc.mentioned_cities),
        "departement": sorted(set(filter(None, dep_codes))),
        "region": sorted(set(filter(None, regions))),
        "doc_type": [doc.doc_type],
    }


def departement_code(gazetteer: Any, name_or_code: str) -> str:
    """The code of a département given by name or code (unknown names are kept as given)."""
    from index.analysis import fold

    key = fold(name_or_code).replace("-", " ").strip()
    for commune in gazetteer.all():
        if key in (fold(commune.departement).replace("-", " "), commune.departement_code.lower()):
            return commune.departement_code
    return name_or_code

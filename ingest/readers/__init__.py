"""Turn a file into a ParsedDocument: detect the format by content, then call its reader.

The format is decided from the bytes (PDF signature, HTML markup) before the
extension, because saved web pages and exported PDFs are often misnamed.
Every failure is an UnreadableFileError with a French reason, so that one bad
file never stops a batch.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from acv import paths
from acv.errors import (
    AcvError,
    FileTooLargeError,
    PathRefusedError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from acv.paths import check_entry
from acv.records import ParsedDocument
from ingest.readers import html, markdown, pdf, text

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".html", ".htm", ".xhtml", ".md", ".markdown", ".txt", ".text")

READERS: dict[str, Callable[[Path, bytes], ParsedDocument]] = {
    "pdf": pdf.read,
    "html": html.read,
    "markdown": markdown.read,
    "text": text.read,
}

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(rb"<(?:html|head|body)[\s>]", re.IGNORECASE)
_HTML_SOME_TAGS = re.compile(rb"<(?:p|div|title|h[1-6]|article|main|section|meta|table|ul)[\s>/]", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# A few NUL bytes in a long text are damage (they are dropped with the other control characters); more mean
# binary content after the sniffed head, such as an archive glued to a page
_MAX_STRAY_NULS = 8
# Archives named like documents: said by name in the refusal (offset, signature, French name)
_ARCHIVES = (
    (0, b"PK\x03\x04", "archive ZIP"), (0, b"PK\x05\x06", "archive ZIP"),
    (0, b"\x1f\x8b", "archive gzip"), (257, b"ustar", "archive tar"), (0, b"7z\xbc\xaf\x27\x1c", "archive 7-Zip"),
    (0, b"Rar!\x1a\x07", "archive RAR"), (0, b"\xfd7zXZ\x00", "archive xz"),
    (0, b"\x28\xb5\x2f\xfd", "archive zstd"),
)


def read_file(path: Path, *, max_bytes: int | None = None) -> ParsedDocument:
    """Read one document; `max_bytes` defaults to the configured `max_file_mb`.

    The path goes through the path policy first (`acv.paths.check_entry`), and
    the file opened is the resolved one, so a link swapped after discovery
    cannot lead the reader out of its folder.
    """
    limit = max_bytes if max_bytes is not None else _default_limit()
    try:
        real = check_entry(path)
    except PathRefusedError as exc:
        if exc.message == paths.MISSING:  # the readers' own wording for a missing file
            raise UnreadableFileError("fichier introuvable") from exc
        raise
    try:
        info = real.stat()
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError("ce n'est pas un fichier ordinaire (dossier, tube ou périphérique)")
        size = info.st_size
        if size > limit:
            raise FileTooLargeError(
                f"fichier trop volumineux : {size / 1_048_576:.1f} Mo (maximum {limit / 1_048_576:.1f} Mo)",
                {"size": size, "max_bytes": limit},
            )
        with open(os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as handle:
            data = handle.read(limit + 1)
    except AcvError:
        raise
    except IsADirectoryError as exc:
        raise UnreadableFileError("ce chemin est un dossier, pas un fichier") from exc
    except FileNotFoundError as exc:
        raise UnreadableFileError("fichier introuvable") from exc
    except PermissionError as exc:
        raise UnreadableFileError("lecture du fichier refusée (droits insuffisants)") from exc
    except OSError as exc:
        raise UnreadableFileError(f"lecture du fichier impossible : {os_error_reason(exc)}") from exc
    if len(data) > limit:
        raise FileTooLargeError(f"fichier trop volumineux (maximum {limit / 1_048_576:.1f} Mo)")
    recorded = paths.origin(path, real)  # before `Path()` drops the entry's root
    path = Path(path)
    fmt = detect_format(path, data)
    try:
        parsed = READERS[fmt](path, data)
    except AcvError:
        raise
    except RecursionError as exc:
        raise UnreadableFileError("document trop profondément imbriqué") from exc
    except MemoryError as exc:
        raise UnreadableFileError("document trop volumineux une fois décompressé") from exc
    except Exception as exc:
        log.exception("unexpected error while reading %s", path)
        raise UnreadableFileError(f"lecture impossible ({type(exc).__name__})") from exc
    parsed.meta[paths.ORIGIN_KEY] = recorded
    return parsed


def detect_format(path: Path, data: bytes) -> str:
    """"pdf", "html", "markdown" or "text", from the content first and the extension second."""
    if not data.strip():
        raise UnreadableFileError("fichier vide")
    head = data[:8192]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    archive = next((name for offset, magic, name in _ARCHIVES if data[offset:offset + len(magic)] == magic), None)
    if archive is not None:
        raise UnsupportedFormatError(f"format non pris en charge : {archive} (ouvrez-la et ingérez ses fichiers)")
    if _looks_binary(head):
        raise UnsupportedFormatError("format non pris en charge : contenu binaire (ni PDF, ni HTML, ni texte)")
    if not head.startswith(_BOMS[1:]) and data.count(b"\x00") > _MAX_STRAY_NULS:  # text, then an archive glued on
        raise UnsupportedFormatError("format non pris en charge : contenu binaire mêlé au texte (octets nuls)")
    if head.startswith(_BOMS[1:]):  # UTF-16: look for markup in the decoded text, not in the raw bytes
        head = head[:8190].decode("utf-16", errors="ignore").encode("utf-8")
    suffix = path.suffix.lower()
    if _HTML_START.match(head) or (suffix not in (".md", ".markdown") and _HTML_TAGS.search(head)):
        return "html"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html" if _HTML_SOME_TAGS.search(head) else "text"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix in (".txt", ".text", ""):
        return "text"
    raise UnsupportedFormatError(
        f"format non pris en charge : extension « {suffix} » (formats acceptés : PDF, HTML, Markdown, texte)"
    )


_OS_REASONS = {
    errno.ELOOP: "lien symbolique en boucle",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EACCES: "droits insuffisants",
    errno.ENOENT: "fichier introuvable",
}


def os_error_reason(exc: OSError) -> str:
    """A French reason for a system error (the OS's own text is English)."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    name = errno.errorcode.get(exc.errno or 0)
    return f"erreur système {name}" if name else "erreur système"


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: not a text document (UTF-16 with a BOM is text)."""
    if head.startswith(_BOMS[1:]):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def _default_limit() -> int:
    try:
        from acv.settings import get_settings

        return get_settings().max_file_mb * 1024 * 1024
    except Exception:  # noqa: BLE001 - settings unavailable: fall back to the documented default
        return 50 * 1024 * 1024

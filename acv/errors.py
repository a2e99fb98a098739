"""Domain exceptions of the core, each carrying a French message for users.

Edges (CLI, API, UI) translate them once: the CLI prints the message, the API
maps `code` to an HTTP status, the UI shows it with `st.error`.
"""

from __future__ import annotations

from typing import Any


class AcvError(Exception):
    """Base class: `message` is French and safe to show to a user."""

    code = "erreur_interne"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class UnreadableFileError(AcvError):
    """A file could not be read or parsed; the batch goes on without it."""

    code = "fichier_illisible"


class UnsupportedFormatError(UnreadableFileError):
    """The file's content is not PDF, HTML, Markdown or plain text."""

    code = "format_non_pris_en_charge"


class FileTooLargeError(UnreadableFileError):
    code = "fichier_trop_volumineux"


class ReadLimitError(UnreadableFileError):
    """Reading the file went past its time or memory bound: a heavy file, not one of an unsupported type."""

    code = "lecture_trop_couteuse"


class InvalidQueryError(AcvError):
    """A query or a filter value is not acceptable."""

    code = "requete_invalide"


class NotFoundError(AcvError):
    code = "introuvable"


class IndexMismatchError(AcvError):
    """The index on disk was built with another embedder than the one configured."""

    code = "index_incompatible"


class EmbedderUnavailableError(AcvError):
    """The configured embedding model cannot be loaded (not installed, offline…)."""

    code = "modele_indisponible"


class StoreError(AcvError):
    """The store on disk is unreadable or locked."""

    code = "stockage_indisponible"


class PathRefusedError(UnreadableFileError):
    """A path the path policy (acv/paths.py) will not read or serve: outside the allowed roots, not a regular file."""

    code = "chemin_refuse"


DISK_FULL_MESSAGE = "Disque plein : rien n'a été perdu, libérez de l'espace et relancez."


class DiskFullError(StoreError):
    """The file system holding the data is full (SQLite « database or disk is full », ENOSPC, EDQUOT).

    Raised by the core where it writes; nothing half-written stays (the transaction is rolled back, temporary
    files are removed), so the same operation can simply be run again once space is freed.
    """

    code = "disque_plein"

    def __init__(self, message: str = DISK_FULL_MESSAGE, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, details)


_SQLITE_FULL = 13  # SQLITE_FULL, the primary result code behind « database or disk is full »
_DISK_FULL_ERRNOS = frozenset({28, 122})  # ENOSPC, EDQUOT (Linux)


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc`, or an exception it was raised from, says the disk is full."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DiskFullError):
            return True
        if isinstance(current, OSError) and current.errno in _DISK_FULL_ERRNOS:
            return True
        code = getattr(current, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF == _SQLITE_FULL:
            return True
        text = str(current)
        if "database or disk is full" in text or "No space left on device" in text:
            return True
        current = current.__cause__ or current.__context__
    return False


def disk_full(exc: BaseException, where: str = "") -> DiskFullError:
    """The domain error for a full disk met at `where` (a path or a step, kept in the details)."""
    return DiskFullError(details={"where": where} if where else None)

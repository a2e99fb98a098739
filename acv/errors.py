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

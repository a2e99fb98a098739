"""Which files may be read and served: one path policy for ingest, uploads and `/documents/{id}/file`.

A path is resolved (every symbolic link followed to its end) before anything is
opened, then refused when it leaves its allowed root or is not a regular file:

- a file found while walking a folder must resolve inside that folder (a link
  to /etc/passwd, to a directory elsewhere, a chain of links that ends outside,
  a loop: never read);
- a path the user names explicitly is its own root (they chose it);
- an uploaded file must land directly in the upload directory;
- a stored document is served only from inside the root it was ingested from
  (recorded at ingest under `origin`) or from the upload directory;
- named pipes (opening one blocks), devices (endless or harmful) and sockets
  are never opened.

Every refusal is a `PathRefusedError` (or a `NotFoundError` when serving) whose
French message says why. Only `acv.errors` is imported: the ingest pipeline,
the readers and the edges all call this module.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path, PosixPath
from typing import Any

from acv.errors import NotFoundError, PathRefusedError

LINK_OUT_OF_FOLDER = "Fichier ignoré : lien symbolique qui mène hors du dossier ingéré."
DIR_LINK_OUT_OF_FOLDER = "Dossier ignoré : lien symbolique qui mène hors du dossier ingéré."
LINK_LOOP = "Fichier ignoré : lien symbolique en boucle."
BROKEN_LINK = "Fichier introuvable : lien symbolique cassé."
MISSING = "Fichier introuvable."
NO_PERMISSION = "Lecture du fichier refusée (droits insuffisants)."
NOT_REGULAR = "Fichier ignoré : ce n'est pas un fichier ordinaire ({kind})."

SERVE_MISSING = "Le fichier original n'est plus disponible."
SERVE_OUTSIDE = "Fichier original non servi : il se trouve hors du dossier d'où il a été ingéré."
SERVE_NOT_REGULAR = "Fichier original non servi : ce n'est pas un fichier ordinaire."

UPLOAD_NAME = "Nom de fichier refusé : {why}."

ORIGIN_KEY = "origin"  # in ParsedDocument.meta, then in the stored metadata under "reader"


def _kind(mode: int) -> str | None:
    """The French name of what is not a regular file, None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "dossier"
    if stat.S_ISFIFO(mode):
        return "tube nommé"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "périphérique"
    return "type inconnu"


def is_inside(real: Path, root: Path) -> bool:
    """`real` is `root` or below it; both already resolved."""
    return real == root or real.is_relative_to(root)


def absolute_source(path: Path | str) -> str:
    """A document's source: the absolute path, its folders resolved (links followed), its own name as named.

    Stored this way, a source means the same file whatever folder `acv ingest` or the server runs from
    (a file that is itself a link keeps its name: the path policy checks where it leads when it is opened).
    """
    text = os.path.abspath(os.fsdecode(path))
    head, tail = os.path.split(text)
    return os.path.join(os.path.realpath(head), tail) if tail else text


UPLOADS_SHOWN = "uploads"


def shown_source(source: str, uploads_dir: Path | str) -> str:
    """The source as users see it: `uploads/<name>` for an uploaded file (never the server's folder)."""
    parent, name = os.path.split(source)
    if name and os.path.isabs(source) and parent == str(real_root(uploads_dir)):
        return f"{UPLOADS_SHOWN}/{name}"
    return source


def real_root(folder: Path | str) -> Path:
    """The resolved form of a folder being ingested or served from (links followed)."""
    return Path(os.path.realpath(folder))


def check(path: Path | str, root: Path | None = None) -> Path:
    """The resolved path of a regular file, inside `root` when one is given; PathRefusedError otherwise."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PathRefusedError(LINK_LOOP, {"path": os.fsdecode(path)}) from exc
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            if root is not None and not is_inside(Path(os.path.realpath(path)), root):
                raise PathRefusedError(LINK_OUT_OF_FOLDER) from exc  # never say whether the outside target exists
            raise PathRefusedError(BROKEN_LINK if os.path.islink(path) else MISSING) from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise PathRefusedError(NO_PERMISSION) from exc
        name = errno.errorcode.get(exc.errno or 0, "inconnue")
        raise PathRefusedError(f"Fichier ignoré : chemin illisible (erreur système {name}).") from exc
    if root is not None and not is_inside(real, root):
        raise PathRefusedError(LINK_OUT_OF_FOLDER)
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        raise PathRefusedError(MISSING) from exc
    kind = _kind(mode)
    if kind is not None:
        raise PathRefusedError(NOT_REGULAR.format(kind=kind))
    return real


# -- ingest ----------------------------------------------------------------------------------------------------


class IngestPath(PosixPath):
    """A path handed out by `ingest.pipeline.discover`: the root it must stay in and, if refused, why.

    It is still the path as found (the document's source name); the file is
    opened only after `check_entry` has resolved it again.
    """

    __slots__ = ("base", "refusal")
    base: Path | None  # the resolved root the file must stay in (its own resolved path when named explicitly)
    refusal: PathRefusedError | None  # why it must not be opened, None when it may

    def __reduce__(self) -> tuple[Any, ...]:  # keep the policy across pickling (process pools)
        return (_ingest_path, (str(self), getattr(self, "base", None), getattr(self, "refusal", None)))


def _ingest_path(path: Path | str, base: Path | None, refusal: PathRefusedError | None) -> IngestPath:
    entry = IngestPath(path)
    entry.base = base
    entry.refusal = refusal
    return entry


def walked_file(path: Path, root: Path) -> IngestPath:
    """A file met while walking `root` (resolved): refused if it resolves outside `root`."""
    try:
        check(path, root)
    except PathRefusedError as exc:
        return _ingest_path(path, root, exc)
    return _ingest_path(path, root, None)


def walked_dir_link(path: Path, root: Path) -> IngestPath | None:
    """A link to a directory met while walking `root`: never followed (no loops, nothing read twice).

    Reported as refused when it leads outside `root`; a link inside is simply
    skipped, its files being walked where they really are.
    """
    target = Path(os.path.realpath(path))
    if is_inside(target, root):
        return None
    return _ingest_path(path, root, PathRefusedError(DIR_LINK_OUT_OF_FOLDER))


def explicit_file(path: Path) -> IngestPath:
    """A file the user named: its own root (even through a link), but still a regular file or refused."""
    try:
        real = check(path)
    except PathRefusedError as exc:
        return _ingest_path(path, None, exc)
    return _ingest_path(path, real, None)


def check_entry(path: Path | str) -> Path:
    """Just before a file is opened for ingest: its refusal, or the check again (it may have changed)."""
    refusal = getattr(path, "refusal", None)
    if refusal is not None:
        raise refusal
    return check(path, getattr(path, "base", None))


def origin(path: Path | str, real: Path) -> dict[str, str]:
    """What ingest records about where a document came from, for `served_file` to check later."""
    base = getattr(path, "base", None)
    return {"root": str(base if base is not None else real)}


# -- uploads ---------------------------------------------------------------------------------------------------


def upload_target(uploads_dir: Path, name: str) -> Path:
    """`uploads_dir/name`, refused unless `name` is a plain file name that stays directly in `uploads_dir`."""
    why = None
    if not name:
        why = "nom vide"
    elif "\x00" in name:
        why = "caractère NUL"
    elif os.path.isabs(name) or name.startswith("~"):
        why = "chemin absolu"
    elif name in (".", "..") or "/" in name or "\\" in name or os.sep in name:
        why = "il désigne un dossier ou un autre emplacement"
    if why is None:
        target = Path(uploads_dir) / name
        if Path(os.path.realpath(target.parent)) != real_root(uploads_dir):
            why = "il sort du dossier des envois"
        else:
            return target
    raise PathRefusedError(UPLOAD_NAME.format(why=why), {"name": name.replace("\x00", "\\0")})


def upload_folder(uploads_dir: Path, name: str) -> Path:
    """A working folder directly in `uploads_dir` (created if needed), refused if something made it a link."""
    folder = upload_target(uploads_dir, name)
    folder.mkdir(parents=True, exist_ok=True)
    if os.path.islink(folder) or Path(os.path.realpath(folder)) != real_root(uploads_dir) / name:
        raise PathRefusedError(f"Dossier des envois refusé : « {name} » est un lien symbolique.")
    return folder


# -- serving ---------------------------------------------------------------------------------------------------


def recorded_root(metadata: str | Mapping[str, Any] | None) -> Path | None:
    """The root recorded at ingest in a document's stored metadata (None for documents stored before it was)."""
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return None
    if not isinstance(metadata, Mapping):
        return None
    reader = metadata.get("reader")
    found = reader.get(ORIGIN_KEY) if isinstance(reader, Mapping) else None
    root = found.get("root") if isinstance(found, Mapping) else None
    return Path(root) if isinstance(root, str) and os.path.isabs(root) else None


def served_file(source: str, metadata: str | Mapping[str, Any] | None, uploads_dir: Path,
                doc_id: str | None = None) -> Path:
    """The resolved file of a stored document, if it lies inside its ingest root or the upload directory.

    A document stored before roots were recorded is served only when no link
    is involved (its resolved path is its own path).
    """
    details = {"doc_id": doc_id} if doc_id else {}
    try:
        real = Path(os.path.realpath(source, strict=True))
        mode = os.stat(real).st_mode
    except OSError as exc:
        raise NotFoundError(SERVE_MISSING, details) from exc
    root = recorded_root(metadata)
    roots = [real_root(uploads_dir)] + ([root] if root is not None else [])
    allowed = any(is_inside(real, r) for r in roots)
    if not allowed and root is None:
        allowed = real == Path(os.path.abspath(source))
    if not allowed:
        raise NotFoundError(SERVE_OUTSIDE, details)
    if _kind(mode) is not None:
        raise NotFoundError(SERVE_NOT_REGULAR, details)
    return real

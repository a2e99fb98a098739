"""Receiving an uploaded file safely: streamed to disk, size-capped, typed by content, safely named.

The multipart body is parsed as it arrives (python-multipart's streaming
parser), so reading stops as soon as the file passes the limit and nothing is
held in memory. The type comes from the bytes (`ingest.readers.detect_format`,
the same rule the ingester applies); the client's file name only contributes a
sanitised stem, and the stored name is claimed atomically so that no upload
ever replaces another document's file.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from acv.errors import AcvError, UnreadableFileError, UnsupportedFormatError
from acv.paths import upload_folder, upload_target
from ingest.readers import SUPPORTED_SUFFIXES, detect_format
from search_api.errors import ApiError

FIELD = "file"
MULTIPART_OVERHEAD = 64 * 1024  # headers and boundaries around the file in the request body
SUFFIX_BY_FORMAT = {"pdf": ".pdf", "html": ".html", "markdown": ".md", "text": ".txt"}
_SNIFF_BYTES = 8192


@dataclass(slots=True)
class ReceivedFile:
    path: Path  # temporary file under uploads/.incoming
    client_name: str
    size: int
    sha256: str


def too_large(limit: int) -> ApiError:
    return ApiError(413, "fichier_trop_volumineux",
                    f"Fichier trop volumineux : la limite est de {limit / 1_048_576:g} Mo (ACV_MAX_UPLOAD_MB).",
                    {"max_bytes": limit})


class _Receiver:
    """python-multipart callbacks writing the one `file` part to a temporary file."""

    def __init__(self, incoming: Path, limit: int) -> None:
        self.incoming = incoming
        self.limit = limit
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.current: IO[bytes] | None = None
        self.path: Path | None = None
        self.client_name = ""
        self.size = 0
        self.files = 0
        self.hasher = hashlib.sha256()

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.on_part_begin, "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value, "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished, "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def on_part_begin(self) -> None:
        self.headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field = b""
        self.header_value = b""

    def on_headers_finished(self) -> None:
        _disp, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if name != FIELD or filename is None:
            return  # other form fields are ignored (and never buffered)
        self.files += 1
        if self.files > 1:
            raise ApiError(400, "un_seul_fichier", "Envoyez un seul fichier par requête (champ « file »).")
        self.client_name = filename.decode("utf-8", "replace")
        self.path = self.incoming / f"{uuid.uuid4().hex}.part"
        self.current = open(self.path, "xb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.current is None:
            return
        self.size += end - start
        if self.size > self.limit:
            raise too_large(self.limit)
        chunk = data[start:end]
        self.current.write(chunk)
        self.hasher.update(chunk)

    def on_part_end(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None

    def discard(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)


async def receive_file(request: Request, uploads_dir: Path, limit: int) -> ReceivedFile:
    """Stream the `file` part of a multipart request to `uploads_dir/.incoming`; 413 past `limit` bytes."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise ApiError(415, "format_non_pris_en_charge",
                       "Envoyez le fichier en multipart/form-data, dans le champ « file ».")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
        raise too_large(limit)  # refused before reading a byte of the body
    incoming = upload_folder(uploads_dir, ".incoming")
    receiver = _Receiver(incoming, limit)
    parser = MultipartParser(boundary, receiver.callbacks())  # type: ignore[arg-type]
    read = 0
    try:
        async for chunk in request.stream():
            read += len(chunk)
            if read > limit + MULTIPART_OVERHEAD:
                raise too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except ApiError:
        receiver.discard()
        raise
    except Exception as exc:  # malformed multipart body
        receiver.discard()
        raise ApiError(400, "requete_invalide", "Corps multipart/form-data illisible.") from exc
    receiver.on_part_end()
    if receiver.path is None:
        raise ApiError(422, "parametres_invalides", "Champ « file » : valeur obligatoire manquante.",
                       {"errors": [{"location": "body", "field": FIELD,
                                    "message": "valeur obligatoire manquante"}]})
    return ReceivedFile(receiver.path, receiver.client_name, receiver.size, receiver.hasher.hexdigest())


def sniff_format(received: ReceivedFile) -> str:
    """pdf, html, markdown or text from the bytes; the client's extension only separates Markdown from text."""
    with open(received.path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if received.size == 0 or not head.strip():
        raise ApiError(400, "fichier_vide", "Le fichier envoyé est vide.")
    suffix = Path(_basename(received.client_name)).suffix.lower()
    hint = Path("upload" + (suffix if suffix in SUPPORTED_SUFFIXES else ""))
    try:
        return detect_format(hint, head)
    except UnsupportedFormatError as exc:
        raise ApiError(415, "format_non_pris_en_charge",
                       f"Type de fichier refusé ({exc.message}). Formats acceptés : PDF, HTML, Markdown, texte.",
                       {"file_name": safe_stem(received.client_name)}) from exc
    except (UnreadableFileError, AcvError) as exc:
        raise ApiError(415, "fichier_illisible", f"Fichier illisible : {exc.message}.") from exc


def _basename(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def safe_stem(client_name: str) -> str:
    """An ASCII stem from the client's name: no directory part, no dots, no control or shell characters."""
    base = _basename(client_name)
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[:80]
    return stem or "document"


def store_upload(received: ReceivedFile, fmt: str, uploads_dir: Path) -> Path:
    """Move the upload to `uploads_dir` under a name no other file has (claimed with O_EXCL)."""
    stem = safe_stem(received.client_name)
    suffix = SUFFIX_BY_FORMAT[fmt]
    for n in range(1, 10_000):
        name = f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}"
        target = upload_target(uploads_dir, name)  # the path policy: a plain name, directly in uploads_dir
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        except FileExistsError:
            continue
        os.close(fd)
        os.replace(received.path, target)
        return target
    raise ApiError(409, "nom_indisponible", "Impossible de trouver un nom libre pour ce fichier.")

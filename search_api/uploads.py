"""Receiving an uploaded file over HTTP: the multipart body streamed to disk and size-capped.

The multipart body is parsed as it arrives (python-multipart's streaming
parser), so reading stops as soon as the file passes the limit and nothing is
held in memory. What happens next — typing by content, duplicate check, safe
name, ingest — is the one upload flow of `service.uploads`, shared with the UI.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from acv.errors import AcvError, DiskFullError, is_disk_full
from acv.paths import upload_folder
from search_api.errors import ApiError
from service.uploads import IncomingFile, part_name, too_large

FIELD = "file"
MULTIPART_OVERHEAD = 64 * 1024  # headers and boundaries around the file in the request body
ReceivedFile = IncomingFile  # a temporary file under uploads/.incoming


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
        self.path = self.incoming / part_name()
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
    try:
        incoming = upload_folder(uploads_dir, ".incoming")
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFullError(details={"where": "upload"}) from exc
        raise
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
    except AcvError:  # ApiError, or the size limit (FileTooLargeError)
        receiver.discard()
        raise
    except Exception as exc:  # malformed multipart body, or the server's disk
        receiver.discard()
        if is_disk_full(exc):
            raise DiskFullError(details={"where": "upload"}) from exc
        if isinstance(exc, OSError):  # writing the temporary file failed: not the client's fault
            raise
        raise ApiError(400, "requete_invalide", "Corps multipart/form-data illisible.") from exc
    receiver.on_part_end()
    if receiver.path is None:
        raise ApiError(422, "parametres_invalides", "Champ « file » : valeur obligatoire manquante.",
                       {"errors": [{"location": "body", "field": FIELD,
                                    "message": "valeur obligatoire manquante"}]})
    return ReceivedFile(receiver.path, receiver.client_name, receiver.size, receiver.hasher.hexdigest())

"""What the UI may ask of acv-kb, in-process or over the search API.

The pages only call a `Client`; `LocalClient` wraps the `KnowledgeBase` (the
default) and `HttpClient` calls the API when `ACV_API_URL` is set. Both return
the same plain data and raise `AcvError` with a French message, so each page
catches one exception type.
"""

from __future__ import annotations

import mimetypes
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from acv.errors import AcvError, InvalidQueryError
from acv.settings import Settings


class ClientError(AcvError):
    """An error reported by the search API (or its absence), with a French message."""

    code = "api_indisponible"


class AccessDeniedError(AcvError):
    """A write was attempted without the right API key."""

    code = "acces_refuse"


@dataclass(slots=True)
class FileData:
    """An original document, ready for `st.download_button`."""

    name: str
    data: bytes
    mime: str


class Client(Protocol):
    """The read and write operations the pages use (a subset of the API)."""

    def search(self, query: str, filters: Mapping[str, Any], k: int = 20) -> dict[str, Any]: ...

    def similar(self, chunk_id: int, k: int = 5) -> dict[str, Any]: ...

    def documents(self, filters: Mapping[str, Any] | None = None, limit: int | None = None) -> dict[str, Any]: ...

    def document(self, doc_id: str) -> dict[str, Any]: ...

    def document_file(self, doc_id: str) -> FileData: ...

    def file_url(self, doc_id: str, page: int | None = None) -> str | None: ...

    def cities(self) -> list[dict[str, Any]]: ...

    def city(self, insee: str) -> dict[str, Any]: ...

    def facets(self) -> dict[str, list[dict[str, Any]]]: ...

    def upload(self, name: str, data: bytes, api_key: str) -> dict[str, Any]: ...


def safe_filename(name: str) -> str:
    """A plain file name: no folders, no odd characters, never empty."""
    base = Path(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-")
    return base[:120] or "document"


class LocalClient:
    """In-process access to one `KnowledgeBase` (opened once per server process)."""

    def __init__(self, settings: Settings) -> None:
        from acv.knowledge_base import KnowledgeBase

        self.settings = settings
        self.kb = KnowledgeBase(settings)

    def search(self, query: str, filters: Mapping[str, Any], k: int = 20) -> dict[str, Any]:
        return self.kb.search(query, dict(filters), k=k, group_by_document=True, with_facets=True)

    def similar(self, chunk_id: int, k: int = 5) -> dict[str, Any]:
        return self.kb.similar(chunk_id, k=k)

    def documents(self, filters: Mapping[str, Any] | None = None, limit: int | None = None) -> dict[str, Any]:
        return self.kb.documents(dict(filters or {}), limit=limit)

    def document(self, doc_id: str) -> dict[str, Any]:
        return self.kb.document(doc_id)

    def document_file(self, doc_id: str) -> FileData:
        path = self.kb.document_file(doc_id)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileData(path.name, path.read_bytes(), mime)

    def file_url(self, doc_id: str, page: int | None = None) -> str | None:
        return None  # Streamlit cannot serve the file itself; the document page offers a download.

    def cities(self) -> list[dict[str, Any]]:
        return self.kb.cities()

    def city(self, insee: str) -> dict[str, Any]:
        return self.kb.city(insee)

    def facets(self) -> dict[str, list[dict[str, Any]]]:
        return self.kb.facets()

    def upload(self, name: str, data: bytes, api_key: str) -> dict[str, Any]:
        check_api_key(self.settings, api_key)
        limit = self.settings.max_upload_mb * 1024 * 1024
        if len(data) > limit:
            raise InvalidQueryError(
                f"Le fichier dépasse la taille maximale autorisée ({self.settings.max_upload_mb} Mo).",
                {"max_mb": self.settings.max_upload_mb},
            )
        folder = self.settings.uploads_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / safe_filename(name)
        n = 1
        while path.exists() and path.read_bytes() != data:
            path = folder / f"{Path(safe_filename(name)).stem}-{n}{Path(safe_filename(name)).suffix}"
            n += 1
        path.write_bytes(data)
        report = self.kb.ingest([path])
        outcome = report.outcomes[0] if report.outcomes else None
        if outcome is None or outcome.status == "error" or not outcome.doc_id:
            path.unlink(missing_ok=True)
            message = outcome.message if outcome and outcome.message else "Le fichier n'a pas pu être ingéré."
            raise AcvError(message, {"file": name})
        return {"status": outcome.status, "chunks": outcome.chunks, "document": self.kb.document(outcome.doc_id)}


def check_api_key(settings: Settings, given: str) -> None:
    """Refuse writes when no key is configured or the given one differs (constant-time comparison)."""
    if settings.api_key is None or not settings.api_key.get_secret_value():
        raise AccessDeniedError(
            "L'ajout de documents est désactivé : aucune clé d'API n'est configurée (variable ACV_API_KEY)."
        )
    if not given or not secrets.compare_digest(given.encode(), settings.api_key.get_secret_value().encode()):
        raise AccessDeniedError("Clé d'API incorrecte : l'ajout de documents est refusé.")


class HttpClient:
    """The same operations over the search API (`ACV_API_URL`)."""

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        import httpx

        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def _get(self, path: str, params: Any = None) -> Any:
        return self._request("GET", path, params=params).json()

    def _request(self, method: str, path: str, **kwargs: Any):
        import httpx

        try:
            resp = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ClientError(
                f"L'API de recherche ({self.base_url}) ne répond pas : vérifiez qu'elle est lancée (acv serve).",
                {"cause": type(exc).__name__},
            ) from exc
        if resp.status_code >= 400:
            try:
                err = resp.json().get("error", {})
            except ValueError:
                err = {}
            raise ClientError(err.get("message") or f"L'API a répondu par une erreur {resp.status_code}.",
                              {"status": resp.status_code, "code": err.get("code")})
        return resp

    @staticmethod
    def _params(filters: Mapping[str, Any] | None) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for key, value in (filters or {}).items():
            for v in value if isinstance(value, (list, tuple)) else [value]:
                if v not in (None, ""):
                    out.append((key, str(v)))
        return out

    def search(self, query: str, filters: Mapping[str, Any], k: int = 20) -> dict[str, Any]:
        params = [("q", query), ("k", str(k)), ("group", "document"), *self._params(filters)]
        return self._get("/search", params)

    def similar(self, chunk_id: int, k: int = 5) -> dict[str, Any]:
        return self._get(f"/chunks/{int(chunk_id)}/similar", {"k": k})

    def documents(self, filters: Mapping[str, Any] | None = None, limit: int | None = None) -> dict[str, Any]:
        params = self._params(filters)
        params.append(("limit", str(limit or 500)))  # the API pages by 500 at most
        return self._get("/documents", params)

    def document(self, doc_id: str) -> dict[str, Any]:
        return self._get(f"/documents/{doc_id}")

    def document_file(self, doc_id: str) -> FileData:
        resp = self._request("GET", f"/documents/{doc_id}/file")
        match = re.search(r'filename="?([^";]+)"?', resp.headers.get("content-disposition", ""))
        name = match.group(1) if match else f"{doc_id}"
        return FileData(name, resp.content, resp.headers.get("content-type", "application/octet-stream"))

    def file_url(self, doc_id: str, page: int | None = None) -> str | None:
        return f"{self.base_url}/documents/{doc_id}/file" + (f"#page={page}" if page else "")

    def cities(self) -> list[dict[str, Any]]:
        data = self._get("/cities")
        return data["cities"] if isinstance(data, dict) else data

    def city(self, insee: str) -> dict[str, Any]:
        return self._get(f"/cities/{insee}")

    def facets(self) -> dict[str, list[dict[str, Any]]]:
        data = self._get("/facets")
        return data.get("facets", data)

    def upload(self, name: str, data: bytes, api_key: str) -> dict[str, Any]:
        resp = self._request("POST", "/documents", files={"file": (safe_filename(name), data)},
                             headers={"X-API-Key": api_key})
        body = resp.json()
        doc = body.get("document") or body
        if "chunks" not in doc or not isinstance(doc.get("chunks"), list):
            doc = self.document(doc["doc_id"])
        return {"status": body.get("status", "added"), "chunks": len(doc.get("chunks") or []), "document": doc}


def make_client(settings: Settings) -> Client:
    """The in-process client, or the HTTP one when an API URL is configured."""
    if settings.api_url:
        return HttpClient(settings.api_url)
    return LocalClient(settings)

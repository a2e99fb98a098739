"""What the UI may ask of acv-kb, in-process or over the search API.

The pages only call a `Client`; `LocalClient` wraps the service layer's
`KnowledgeBase` (the default) and `HttpClient` calls the API when `ACV_API_URL`
is set. Both return the service's typed results (`service.types`) and raise
`AcvError` with a French message, so each page catches one exception type.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from acv.errors import AcvError
from acv.settings import Settings
from service.auth import InvalidApiKeyError, WritesDisabledError, check_api_key as check_key
from service.types import (
    CityCard,
    CityDetail,
    DocumentDetail,
    DocumentPage,
    FacetValue,
    Facets,
    SavedSearch,
    SearchResponse,
    SimilarResponse,
    UploadResult,
)


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

    def search(self, query: str, filters: Mapping[str, Any], k: int = 20) -> SearchResponse: ...

    def similar(self, chunk_id: int, k: int = 5) -> SimilarResponse: ...

    def documents(self, filters: Mapping[str, Any] | None = None, limit: int | None = None) -> DocumentPage: ...

    def document(self, doc_id: str) -> DocumentDetail: ...

    def document_file(self, doc_id: str) -> FileData: ...

    def file_url(self, doc_id: str, page: int | None = None) -> str | None: ...

    def cities(self) -> list[CityCard]: ...

    def city(self, insee: str) -> CityDetail: ...

    def facets(self) -> Facets: ...

    def upload(self, name: str, data: bytes, api_key: str) -> UploadResult: ...

    def save_search(self, name: str, query: str, filters: Mapping[str, Any], api_key: str) -> SavedSearch: ...

    def saved_searches(self) -> list[SavedSearch]: ...

    def feed_url(self, search_id: str) -> str: ...


class LocalClient:
    """In-process access to one `KnowledgeBase` (opened once per server process)."""

    def __init__(self, settings: Settings) -> None:
        from service import KnowledgeBase

        self.settings = settings
        self.kb = KnowledgeBase(settings)
        self.kb.warm_up(background=True)  # retriever and files ready before the first search

    def search(self, query: str, filters: Mapping[str, Any], k: int = 20) -> SearchResponse:
        return self.kb.search(query, dict(filters), k=k, group_by_document=True, with_facets=True)

    def similar(self, chunk_id: int, k: int = 5) -> SimilarResponse:
        return self.kb.similar(chunk_id, k=k)

    def documents(self, filters: Mapping[str, Any] | None = None, limit: int | None = None) -> DocumentPage:
        return self.kb.documents(dict(filters or {}), limit=limit)

    def document(self, doc_id: str) -> DocumentDetail:
        return self.kb.document(doc_id)

    def document_file(self, doc_id: str) -> FileData:
        path = self.kb.document_file(doc_id)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileData(path.name, path.read_bytes(), mime)

    def file_url(self, doc_id: str, page: int | None = None) -> str | None:
        return None  # Streamlit cannot serve the file itself; the document page offers a download.

    def cities(self) -> list[CityCard]:
        return self.kb.cities()

    def city(self, insee: str) -> CityDetail:
        return self.kb.city(insee)

    def facets(self) -> Facets:
        return self.kb.facets()

    def upload(self, name: str, data: bytes, api_key: str) -> UploadResult:
        """The service's one upload flow (size, type by content, duplicate check, safe name, ingest)."""
        check_api_key(self.settings, api_key)
        return self.kb.uploads.add_bytes(name, data)

    def save_search(self, name: str, query: str, filters: Mapping[str, Any], api_key: str) -> SavedSearch:
        check_api_key(self.settings, api_key, "le suivi de recherches")
        return self.kb.feeds.create(name, query, dict(filters))

    def saved_searches(self) -> list[SavedSearch]:
        return self.kb.feeds.all()

    def feed_url(self, search_id: str) -> str:
        """Served by the search API (`acv serve`) on the configured host and port."""
        return f"http://{self.settings.host}:{self.settings.port}/feeds/{search_id}.atom"


def check_api_key(settings: Settings, given: str, what: str = "l'ajout de documents") -> None:
    """The service's key check (constant-time), worded for the UI action `what` (uploads by default)."""
    try:
        check_key(settings, given)
    except WritesDisabledError:
        raise AccessDeniedError(
            f"{what[0].upper()}{what[1:]} est désactivé : aucune clé d'API n'est configurée (variable ACV_API_KEY)."
        ) from None
    except InvalidApiKeyError:
        raise AccessDeniedError(f"Clé d'API incorrecte : {what} est refusé.") from None


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

    def search(self, query: str, filters: Mapping[str, Any], k: int = 20) -> SearchResponse:
        params = [("q", query), ("k", str(k)), ("group", "document"), *self._params(filters)]
        return SearchResponse.from_dict(self._get("/search", params))

    def similar(self, chunk_id: int, k: int = 5) -> SimilarResponse:
        return SimilarResponse.from_dict(self._get(f"/chunks/{int(chunk_id)}/similar", {"k": k}))

    def documents(self, filters: Mapping[str, Any] | None = None, limit: int | None = None) -> DocumentPage:
        params = self._params(filters)
        params.append(("limit", str(limit or 500)))  # the API pages by 500 at most
        return DocumentPage.from_dict(self._get("/documents", params))

    def document(self, doc_id: str) -> DocumentDetail:
        return DocumentDetail.from_dict(self._get(f"/documents/{doc_id}"))

    def document_file(self, doc_id: str) -> FileData:
        resp = self._request("GET", f"/documents/{doc_id}/file")
        match = re.search(r'filename="?([^";]+)"?', resp.headers.get("content-disposition", ""))
        name = match.group(1) if match else f"{doc_id}"
        return FileData(name, resp.content, resp.headers.get("content-type", "application/octet-stream"))

    def file_url(self, doc_id: str, page: int | None = None) -> str | None:
        return f"{self.base_url}/documents/{doc_id}/file" + (f"#page={page}" if page else "")

    def cities(self) -> list[CityCard]:
        return [CityCard.from_dict(c) for c in self._get("/cities")]

    def city(self, insee: str) -> CityDetail:
        return CityDetail.from_dict(self._get(f"/cities/{insee}"))

    def facets(self) -> Facets:
        return {name: [FacetValue.from_dict(v) for v in values] for name, values in self._get("/facets").items()}

    def upload(self, name: str, data: bytes, api_key: str) -> UploadResult:
        # The file name goes as the user gave it: the API makes it safe (service.uploads.safe_stem).
        resp = self._request("POST", "/documents", files={"file": (name, data)}, headers={"X-API-Key": api_key})
        doc = DocumentDetail.from_dict(resp.json())  # POST /documents answers with the new document
        return UploadResult("added", len(doc.chunks), doc)

    def save_search(self, name: str, query: str, filters: Mapping[str, Any], api_key: str) -> SavedSearch:
        resp = self._request("POST", "/saved-searches", json={"name": name, "query": query, "filters": dict(filters)},
                             headers={"X-API-Key": api_key})
        return SavedSearch.from_dict(resp.json())

    def saved_searches(self) -> list[SavedSearch]:
        return [SavedSearch.from_dict(s) for s in self._get("/saved-searches")]

    def feed_url(self, search_id: str) -> str:
        return f"{self.base_url}/feeds/{search_id}.atom"


def make_client(settings: Settings) -> Client:
    """The in-process client, or the HTTP one when an API URL is configured."""
    if settings.api_url:
        return HttpClient(settings.api_url)
    return LocalClient(settings)

"""Dependencies shared by the routes: settings, the one KnowledgeBase, write access, filters.

The filter parameters are generated from `acv.filters.FILTERS`, like the CLI flags and the UI widgets.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader

from acv.filters import FILTERS, FilterDef, non_empty
from acv.settings import Settings
from search_api.errors import ApiError
from service import KnowledgeBase
from service.auth import InvalidApiKeyError, WritesDisabledError, check_api_key


class KnowledgeBaseHolder:
    """Opens the KnowledgeBase once per process, on first use, behind a lock (store, model and index together).

    `factory` builds it from the settings (tests give one that shares their reference data)."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None,
                 factory: Callable[[Settings], KnowledgeBase] = KnowledgeBase) -> None:
        self.settings = settings
        self._kb = kb
        self.owned = kb is None
        self._factory = factory
        self._lock = threading.Lock()

    def get(self) -> KnowledgeBase:
        if self._kb is None:
            with self._lock:
                if self._kb is None:
                    self._kb = self._factory(self.settings)
        return self._kb

    def close(self) -> None:
        if self._kb is not None and self.owned:
            self._kb.close()
            self._kb = None


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_kb(request: Request) -> KnowledgeBase:
    return request.app.state.kb_holder.get()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
KB = Annotated[KnowledgeBase, Depends(get_kb)]

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, scheme_name="CleAPI",
    description="Clé d'écriture (variable ACV_API_KEY du serveur). Les lectures sont libres.",
)


def require_api_key(settings: SettingsDep, key: Annotated[str | None, Depends(api_key_header)]) -> None:
    """Writes need the configured key; with none configured they are refused outright (403)."""
    try:
        check_api_key(settings, key)
    except WritesDisabledError as exc:
        raise ApiError(403, exc.code, "Les écritures sont désactivées : aucune clé d'API n'est configurée sur le "
                       "serveur (ACV_API_KEY).") from None
    except InvalidApiKeyError as exc:
        raise ApiError(401, exc.code, "Clé d'API absente ou invalide : envoyez-la dans l'en-tête « X-API-Key ».",
                       headers={"WWW-Authenticate": "APIKey"}) from None


WriteAccess = Depends(require_api_key)


def _filter_param(f: FilterDef) -> inspect.Parameter:
    """The query parameter of one filter: repeatable for value filters, one ISO date for the date bounds."""
    if f.is_date:
        annotation: Any = Annotated[str | None, Query(description=f.help,
                                                      openapi_examples={"exemple": {"value": f.example}})]
    else:
        annotation = Annotated[list[str] | None, Query(description=f.help, openapi_examples={
            "exemple": {"summary": "Exemple", "value": [f.example]}})]
    return inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)


def filter_params(**raw: Any) -> dict[str, Any]:
    """The raw filter values given; `acv.filters.resolve_filters` checks them and answers in French."""
    return non_empty(raw)


# FastAPI reads the parameters from the signature: one per filter of `acv.filters.FILTERS`.
filter_params.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [_filter_param(f) for f in FILTERS], return_annotation=dict[str, Any])

FilterParams = Annotated[dict[str, Any], Depends(filter_params)]


def file_url(doc_id: str, fmt: str | None = None, page: int | None = None) -> str:
    """Link to a document's original file; PDFs open at the passage's page."""
    url = f"/documents/{doc_id}/file"
    if fmt == "pdf" and page:
        url += f"#page={page}"
    return url

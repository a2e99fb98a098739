"""Dependencies shared by the routes: settings, the one KnowledgeBase, write access, filters."""

from __future__ import annotations

import secrets
import threading
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader

from acv.knowledge_base import KnowledgeBase
from acv.settings import Settings
from search_api.errors import ApiError


class KnowledgeBaseHolder:
    """Opens the KnowledgeBase once per process, on first use, behind a lock (store, model and index together)."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None) -> None:
        self.settings = settings
        self._kb = kb
        self.owned = kb is None
        self._lock = threading.Lock()

    def get(self) -> KnowledgeBase:
        if self._kb is None:
            with self._lock:
                if self._kb is None:
                    self._kb = KnowledgeBase(self.settings)
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
    configured = settings.api_key.get_secret_value() if settings.api_key is not None else ""
    if not configured:
        raise ApiError(403, "ecriture_desactivee",
                       "Les écritures sont désactivées : aucune clé d'API n'est configurée sur le serveur "
                       "(ACV_API_KEY).")
    if not key or not secrets.compare_digest(key.encode("utf-8"), configured.encode("utf-8")):
        raise ApiError(401, "cle_api_invalide",
                       "Clé d'API absente ou invalide : envoyez-la dans l'en-tête « X-API-Key ».",
                       headers={"WWW-Authenticate": "APIKey"})


WriteAccess = Depends(require_api_key)


def _values(*examples: str, description: str) -> Any:
    return Query(description=description, openapi_examples={
        "exemple": {"summary": "Exemple", "value": list(examples)}})


def filter_params(
    axis: Annotated[list[str] | None, _values("2", description="Axe du programme, de 1 à 5 (répétable).")] = None,
    theme: Annotated[list[str] | None, _values("vacance-commerciale",
                                               description="Thème (identifiant ou libellé, répétable).")] = None,
    city: Annotated[list[str] | None, _values("47001", description="Commune : code INSEE ou nom (répétable).")] = None,
    departement: Annotated[list[str] | None, _values("Vienne", description="Département : nom ou code (répétable).")]
    = None,
    region: Annotated[list[str] | None, _values("Occitanie", description="Région : nom ou code (répétable).")] = None,
    doc_type: Annotated[list[str] | None, _values(
        "convention", description="Type : convention, communique, bonne_pratique, autre (répétable).")] = None,
    date_from: Annotated[str | None, Query(description="Date minimale, AAAA-MM-JJ.",
                                           openapi_examples={"exemple": {"value": "2018-01-01"}})] = None,
    date_to: Annotated[str | None, Query(description="Date maximale, AAAA-MM-JJ.",
                                         openapi_examples={"exemple": {"value": "2019-12-31"}})] = None,
) -> dict[str, Any]:
    """The raw filter values; `KnowledgeBase.resolve_filters` checks them and answers in French."""
    raw: dict[str, Any] = {"axis": axis, "theme": theme, "city": city, "departement": departement,
                           "region": region, "doc_type": doc_type, "date_from": date_from, "date_to": date_to}
    return {k: v for k, v in raw.items() if v not in (None, [], "")}


FilterParams = Annotated[dict[str, Any], Depends(filter_params)]


def file_url(doc_id: str, fmt: str | None = None, page: int | None = None) -> str:
    """Link to a document's original file; PDFs open at the passage's page."""
    url = f"/documents/{doc_id}/file"
    if fmt == "pdf" and page:
        url += f"#page={page}"
    return url

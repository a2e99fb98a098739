"""Followed searches: save, list, delete, what is new since a date, and the Atom feed of each one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from search_api.deps import KB, WriteAccess, file_url
from search_api.models import SavedSearchIn, SavedSearchOut, WatchResponse
from search_api.proxies import public_base
from search_api.routes.documents import WRITE_ERRORS, _error
from service.types import SavedSearch, WatchEntry

router = APIRouter(tags=["suivi"])

SEARCH_ID = Annotated[str, Path(description="Identifiant de la recherche suivie.", max_length=64,
                                openapi_examples={"id": {"value": "3f2a9c1b7d4e6a80"}})]
NOT_FOUND = {404: _error(404, "introuvable", "Recherche suivie introuvable : « 0000000000000000 ».",
                         {"id": "0000000000000000"}, "Recherche suivie introuvable.")}
BAD_REQUEST = {400: _error(400, "requete_invalide", "Donnez un nom à la recherche suivie.", {"name": ""},
                           "Nom, requête, filtre ou date refusés (message en français).")}

_SAVED_EXAMPLE = {"id": "3f2a9c1b7d4e6a80", "name": "Vacance commerciale à Agen", "query": "vacance commerciale",
                  "filters": {"city": ["47001"]}, "created_at": "2026-12-02T09:30:00+00:00",
                  "feed_url": "/feeds/3f2a9c1b7d4e6a80.atom"}
_ENTRY_EXAMPLE = {"doc_id": "d1a2b3c4d5e6f7a8", "title": "Agen reconquiert ses cellules commerciales vacantes",
                  "source": "uploads/agen-vacance-commerciale.md", "date": "2019-03-12",
                  "ingested_at": "2026-12-01T08:00:00+00:00", "chunk_id": 42, "page": None, "format": "markdown",
                  "snippet": "…plan de lutte contre la vacance commerciale dans le centre-ville…", "ocr": False,
                  "file_url": "/documents/d1a2b3c4d5e6f7a8/file"}
_ATOM_EXAMPLE = """<?xml version='1.0' encoding='utf-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><id>urn:uuid:…</id>
<title>Action cœur de ville — Vacance commerciale à Agen</title><updated>2026-12-01T08:00:00+00:00</updated>
<author><name>Base de connaissances Action cœur de ville</name></author>
<link rel="self" type="application/atom+xml" href="http://localhost:8000/feeds/3f2a9c1b7d4e6a80.atom" />
<entry><id>urn:uuid:…</id><title>Agen reconquiert ses cellules commerciales vacantes</title>
<updated>2026-12-01T08:00:00+00:00</updated>
<link rel="alternate" href="http://localhost:8000/documents/d1a2b3c4d5e6f7a8/file" />
<summary type="text">…vacance commerciale dans le centre-ville…</summary></entry></feed>"""


def _example(value: Any, media: str = "application/json") -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media: {"example": value}}}}


def feed_path(search_id: str) -> str:
    return f"/feeds/{search_id}.atom"


def _out(saved: SavedSearch) -> dict[str, Any]:
    return {**saved.to_dict(), "feed_url": feed_path(saved.id)}


def _entry(e: WatchEntry) -> dict[str, Any]:
    return {**e.to_dict(), "file_url": file_url(e.doc_id, e.format, e.page)}


@router.post("/saved-searches", response_model=SavedSearchOut, status_code=201, summary="Suivre une recherche",
             description="Enregistre une recherche (nom, texte, filtres) ; son flux Atom est à l'adresse "
                         "« feed_url ». Clé d'API obligatoire.",
             dependencies=[WriteAccess],
             responses={201: {"content": {"application/json": {"example": _SAVED_EXAMPLE}}}, **WRITE_ERRORS,
                        **BAD_REQUEST})
def create_saved_search(kb: KB, body: SavedSearchIn) -> dict[str, Any]:
    return _out(kb.feeds.create(body.name, body.query, body.filters))


@router.get("/saved-searches", response_model=list[SavedSearchOut], summary="Lister les recherches suivies",
            description="Les recherches suivies, les plus récentes d'abord, avec l'adresse de leur flux.",
            responses=_example([_SAVED_EXAMPLE]))
def list_saved_searches(kb: KB) -> list[dict[str, Any]]:
    return [_out(s) for s in kb.feeds.all()]


@router.delete("/saved-searches/{search_id}", summary="Ne plus suivre une recherche",
               description="Supprime la recherche suivie et son flux. Clé d'API obligatoire.",
               dependencies=[WriteAccess],
               responses={**_example({"id": "3f2a9c1b7d4e6a80", "deleted": True}), **WRITE_ERRORS, **NOT_FOUND})
def delete_saved_search(kb: KB, search_id: SEARCH_ID) -> dict[str, Any]:
    kb.feeds.delete(search_id)
    return {"id": search_id, "deleted": True}


@router.get("/saved-searches/{search_id}/new", response_model=WatchResponse, summary="Nouveautés d'une recherche",
            description="Documents de la recherche suivie entrés dans la base depuis « since », les plus récents "
                        "d'abord (tous sans « since »).",
            responses={**_example({"query": "vacance commerciale", "filters": {"city": ["47001"]},
                                   "since": "2026-11-01T00:00:00+00:00", "results": [_ENTRY_EXAMPLE],
                                   "saved_search": _SAVED_EXAMPLE}), **NOT_FOUND, **BAD_REQUEST})
def saved_search_news(
    kb: KB, search_id: SEARCH_ID,
    since: Annotated[str | None, Query(description="Date ou date-heure ISO (AAAA-MM-JJ), en UTC.",
                                       openapi_examples={"date": {"value": "2026-01-01"}})] = None,
) -> dict[str, Any]:
    res = kb.feeds.watch_saved(search_id, since)
    return {**res.to_dict(), "results": [_entry(e) for e in res.results],
            "saved_search": _out(res.saved_search) if res.saved_search else None}


@router.get("/feeds/{search_id}.atom", summary="Flux Atom d'une recherche suivie", response_class=Response,
            description="Flux Atom (RFC 4287) des documents de la recherche suivie, les plus récents d'abord ; "
                        "chaque entrée renvoie au document, à la page du passage trouvé.",
            responses={**_example(_ATOM_EXAMPLE, "application/atom+xml"), **NOT_FOUND})
def atom_feed(kb: KB, request: Request, search_id: SEARCH_ID) -> Response:
    base = public_base(request, request.app.state.settings)  # ACV_PUBLIC_URL; Host only from a trusted proxy
    body = kb.feeds.atom(search_id, feed_url=base + feed_path(search_id),
                         link=lambda e: base + file_url(e.doc_id, e.format, e.page))
    return Response(body, media_type="application/atom+xml; charset=utf-8")

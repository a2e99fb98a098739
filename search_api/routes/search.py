"""Search, export and comparable passages: thin calls to the search service and the export writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from search_api.deps import KB, FilterParams, file_url
from search_api.models import ErrorResponse, SearchResponse, SimilarResponse
from service import exports
from service.search import check_k
from service.types import SearchHit

router = APIRouter(tags=["recherche"])

SQLITE_MAX_INT = 2**63 - 1  # the largest integer SQLite stores; past it a lookup cannot even be asked

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Requête ou filtre refusé (message en français).",
          "content": {"application/json": {"example": {"error": {
              "code": "requete_invalide", "message": "Ville inconnue : « Gotham ». Indiquez une commune du programme "
              "Action cœur de ville ou son code INSEE.", "details": {"city": "Gotham"}}}}}},
    422: {"model": ErrorResponse, "description": "Paramètre absent ou mal typé.",
          "content": {"application/json": {"example": {"error": {
              "code": "parametres_invalides", "message": "Paramètre « k » : nombre entier attendu.",
              "details": {"errors": [{"location": "query", "field": "k", "message": "nombre entier attendu"}]}}}}}},
}

_RESULT_EXAMPLE = {
    "rank": 1, "score": 0.8123, "chunk_id": 42, "doc_id": "d1a2b3c4d5e6f7a8",
    "source": "corpus/documents/conventions/convention-agen.pdf", "title": "Convention-cadre Action cœur de ville — Agen",
    "doc_type": "convention", "date": "2018-07-05", "format": "pdf",
    "cities": [{"insee": "47001", "name": "Agen", "departement": "Lot-et-Garonne", "departement_code": "47",
                "region": "Nouvelle-Aquitaine"}],
    "departements": ["Lot-et-Garonne"], "regions": ["Nouvelle-Aquitaine"], "axes": [2],
    "themes": ["vacance-commerciale"], "page": 7, "section": "Axe 2 — Développement économique et commercial",
    "text": "La ville engage un plan de reconquête des cellules commerciales vacantes…",
    "snippet": "…plan de reconquête des cellules commerciales vacantes du centre…", "highlights": [[31, 52]],
    "amounts": [{"text": "1,2 M€", "value": 1200000.0}], "funders": ["Banque des Territoires"],
    "file_url": "/documents/d1a2b3c4d5e6f7a8/file#page=7", "passages": None, "ocr": False,
    "duplicates": [{"doc_id": "0f9e8d7c6b5a4f3e", "source": "uploads/signature-convention-agen-presse.html",
                    "title": "Agen signe pour cinq ans de travaux en centre-ville",
                    "file_url": "/documents/0f9e8d7c6b5a4f3e/file"}],
}


@dataclass(slots=True)
class SearchParams:
    q: str
    filters: dict[str, Any]
    k: int
    offset: int
    group: str | None
    method: str | None


def search_params(
    filters: FilterParams,
    q: Annotated[str, Query(description='Texte de la recherche (500 caractères au plus). Syntaxe : "phrase exacte", '
                                        '-mot (écarter), titre:mot (titre du document).',
                            openapi_examples={"commerce": {"summary": "Vacance commerciale",
                                                           "value": "lutte contre la vacance commerciale"},
                                              "habitat": {"summary": "Habitat", "value": "rénovation des logements"},
                                              "phrase": {"summary": "Phrase exacte, sans un mot",
                                                         "value": '"secteur sauvegardé" façades -Agen'}})],
    k: Annotated[int, Query(description="Nombre de résultats, de 1 à 100.", openapi_examples={"dix": {"value": 10}})]
    = 10,
    offset: Annotated[int, Query(description="Décalage pour la pagination (0 à 10 000).",
                                 openapi_examples={"debut": {"value": 0}})] = 0,
    group: Annotated[Literal["document"] | None, Query(
        description="« document » : un résultat par document, ses autres passages dans « passages ».",
        openapi_examples={"document": {"value": "document"}})] = None,
    method: Annotated[Literal["weighted", "rrf", "lexical", "dense"] | None, Query(
        description="Méthode de classement (par défaut celle du serveur).",
        openapi_examples={"hybride": {"value": "weighted"}})] = None,
) -> SearchParams:
    return SearchParams(q, filters, k, offset, group, method)


Params = Annotated[SearchParams, Depends(search_params)]


def _linked(hit: SearchHit) -> dict[str, Any]:
    """The hit's JSON with links to its file (at its page for a PDF), its passages' too."""
    out = {**hit.to_dict(), "file_url": file_url(hit.doc_id, hit.format, hit.page)}
    out["duplicates"] = [{**d.to_dict(), "file_url": file_url(d.doc_id)} for d in hit.duplicates]
    if hit.passages is not None:
        out["passages"] = [_linked(p) for p in hit.passages]
    return out


def run_search(kb: Any, p: SearchParams) -> dict[str, Any]:
    res = kb.search(p.q, p.filters, k=p.k, offset=p.offset, group_by_document=p.group == "document",
                    method=p.method, with_facets=True)
    return {**res.to_dict(), "results": [_linked(r) for r in res.results]}


@router.get(
    "/search", response_model=SearchResponse, summary="Rechercher des passages",
    description="Recherche hybride (lexicale et sémantique) avec filtres ; renvoie les passages classés, les comptes "
                "par filtre sur l'ensemble des résultats, le total et la durée.",
    responses={200: {"content": {"application/json": {"example": {
        "query": "lutte contre la vacance commerciale", "filters": {"city": ["47001"]}, "total": 1,
        "no_relevant_result": False, "results": [_RESULT_EXAMPLE],
        "facets": {"doc_type": [{"value": "convention", "label": "Convention", "count": 1}]}, "took_ms": 12.5,
        "relevance_reason": None}}}},
        **_ERRORS},
)
def search(kb: KB, params: Params) -> dict[str, Any]:
    return run_search(kb, params)


@router.get(
    "/export", summary="Exporter les résultats d'une recherche",
    description="Mêmes paramètres que /search. CSV : séparateur « ; », UTF-8 avec BOM (s'ouvre directement dans "
                f"Excel), colonnes {', '.join(exports.CSV_COLUMNS)} ; listes séparées par « , ». "
                "JSON : la réponse de /search.",
    response_class=Response,
    responses={200: {"content": {
        "text/csv": {"example": "\ufeff" + ";".join(exports.CSV_COLUMNS) + "\r\n"
                                "1;0.8123;Convention-cadre — Agen;convention;2018-07-05;Agen;2;vacance-commerciale;7;"
                                "Axe 2;…vacance commerciale…;d1a2b3c4d5e6f7a8;42;"
                                "corpus/documents/conventions/convention-agen.pdf\r\n"},
        "application/json": {"example": {"query": "vacance commerciale", "total": 1, "results": [_RESULT_EXAMPLE]}}}},
        **_ERRORS},
)
def export(
    kb: KB, params: Params,
    format: Annotated[Literal["csv", "json"], Query(description="csv ou json.",
                                                    openapi_examples={"csv": {"value": "csv"}})] = "csv",
) -> Response:
    res = run_search(kb, params)
    if format == "json":
        return Response(exports.json_bytes(res), media_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="acv-recherche.json"'})
    return Response(exports.csv_bytes(res["results"]), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="acv-recherche.csv"'})


@router.get(
    "/chunks/{chunk_id}/similar", response_model=SimilarResponse, summary="Projets comparables",
    description="Passages proches d'un passage donné, pris dans les documents d'autres communes (filtres possibles).",
    responses={200: {"content": {"application/json": {"example": {
        "chunk_id": 42, "doc_id": "d1a2b3c4d5e6f7a8", "results": [_RESULT_EXAMPLE]}}}},
        404: {"model": ErrorResponse, "description": "Passage introuvable.", "content": {"application/json": {
            "example": {"error": {"code": "introuvable", "message": "Passage introuvable : 999999.",
                                  "details": {"chunk_id": 999999}}}}}},
        **_ERRORS},
)
def similar(
    kb: KB, filters: FilterParams,
    chunk_id: Annotated[int, Path(description="Identifiant du passage.", ge=0, le=SQLITE_MAX_INT,
                                  openapi_examples={"p": {"value": 42}})],
    k: Annotated[int, Query(description="Nombre de passages, de 1 à 100.", openapi_examples={"dix": {"value": 10}})]
    = 10,
) -> dict[str, Any]:
    check_k(kb.settings, k)
    res = kb.similar(chunk_id, k=k, filters=filters)
    return {**res.to_dict(), "results": [_linked(r) for r in res.results]}

"""Search, export and comparable passages: thin calls to `KnowledgeBase.search` / `.similar`."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from search_api.deps import KB, FilterParams, file_url
from acv.errors import InvalidQueryError
from search_api.models import ErrorResponse, SearchResponse, SimilarResponse

router = APIRouter(tags=["recherche"])

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
    "file_url": "/documents/d1a2b3c4d5e6f7a8/file#page=7", "passages": None,
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
    q: Annotated[str, Query(description="Texte de la recherche (500 caractères au plus).",
                            openapi_examples={"commerce": {"summary": "Vacance commerciale",
                                                           "value": "lutte contre la vacance commerciale"},
                                              "habitat": {"summary": "Habitat", "value": "rénovation des logements"}})],
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


def _linked(result: dict[str, Any]) -> dict[str, Any]:
    result["file_url"] = file_url(result["doc_id"], result.get("format"), result.get("page"))
    for passage in result.get("passages") or []:
        _linked(passage)
    return result


def run_search(kb: Any, p: SearchParams) -> dict[str, Any]:
    res = kb.search(p.q, p.filters, k=p.k, offset=p.offset, group_by_document=p.group == "document",
                    method=p.method, with_facets=True)
    res["results"] = [_linked(r) for r in res["results"]]
    return res


@router.get(
    "/search", response_model=SearchResponse, summary="Rechercher des passages",
    description="Recherche hybride (lexicale et sémantique) avec filtres ; renvoie les passages classés, les comptes "
                "par filtre sur l'ensemble des résultats, le total et la durée.",
    responses={200: {"content": {"application/json": {"example": {
        "query": "lutte contre la vacance commerciale", "filters": {"city": ["47001"]}, "total": 1,
        "no_relevant_result": False, "results": [_RESULT_EXAMPLE],
        "facets": {"doc_type": [{"value": "convention", "label": "Convention", "count": 1}]}, "took_ms": 12.5}}}},
        **_ERRORS},
)
def search(kb: KB, params: Params) -> dict[str, Any]:
    return run_search(kb, params)


CSV_COLUMNS = ("rank", "score", "title", "doc_type", "date", "cities", "page", "section", "snippet", "source")
CSV_DELIMITER = ";"  # the list separator of French spreadsheets; Excel opens it without an import dialog


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in document text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(results: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in results:
        row = {**r, "cities": ", ".join(c["name"] for c in r.get("cities", []))}
        writer.writerow([_cell(row.get(col)) if row.get(col) is not None else "" for col in CSV_COLUMNS])
    return out.getvalue()


@router.get(
    "/export", summary="Exporter les résultats d'une recherche",
    description="Mêmes paramètres que /search. CSV : séparateur « ; », UTF-8 avec BOM (s'ouvre directement dans "
                "Excel), colonnes rank, score, title, doc_type, date, cities, page, section, snippet, source. "
                "JSON : la réponse de /search.",
    response_class=Response,
    responses={200: {"content": {
        "text/csv": {"example": "\ufeffrank;score;title;doc_type;date;cities;page;section;snippet;source\r\n"
                                "1;0.8123;Convention-cadre — Agen;convention;2018-07-05;Agen;7;Axe 2;…vacance "
                                "commerciale…;corpus/documents/conventions/convention-agen.pdf\r\n"},
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
        body = json.dumps(res, ensure_ascii=False, indent=2).encode("utf-8")
        return Response(body, media_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="acv-recherche.json"'})
    body = ("\ufeff" + to_csv(res["results"])).encode("utf-8")
    return Response(body, media_type="text/csv; charset=utf-8",
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
    chunk_id: Annotated[int, Path(description="Identifiant du passage.", openapi_examples={"p": {"value": 42}})],
    k: Annotated[int, Query(description="Nombre de passages, de 1 à 100.", openapi_examples={"dix": {"value": 10}})]
    = 10,
) -> dict[str, Any]:
    if not 1 <= k <= kb.settings.max_k:
        raise InvalidQueryError(f"Le nombre de résultats doit être entre 1 et {kb.settings.max_k}.", {"k": k})
    res = kb.similar(chunk_id, k=k, filters=filters)
    res["results"] = [_linked(r) for r in res["results"]]
    return res

"""The communes of the programme: list with document counts, and one town's page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from search_api.deps import KB
from search_api.models import CityDetail, CityOut, ErrorResponse
from search_api.routes.documents import with_link

router = APIRouter(prefix="/cities", tags=["communes"])

_CITY = {"insee": "47001", "name": "Agen", "departement": "Lot-et-Garonne", "departement_code": "47",
         "region": "Nouvelle-Aquitaine", "population": 32485, "longitude": 0.6176, "latitude": 44.2049}


@router.get(
    "", response_model=list[CityOut], summary="Les communes du programme",
    description="Les 244 communes Action cœur de ville, par ordre alphabétique, avec leur nombre de documents.",
    responses={200: {"content": {"application/json": {"example": [{**_CITY, "documents": 3}]}}}},
)
def list_cities(kb: KB) -> list[dict[str, Any]]:
    return [c.to_dict() for c in kb.cities()]


@router.get(
    "/{insee}", response_model=CityDetail, summary="Une commune",
    description="Les documents de la commune par axe, la chronologie de ses annonces et les communes comparables "
                "(population et région proches, projets semblables). Accepte aussi le nom de la commune.",
    responses={
        200: {"content": {"application/json": {"example": {
            **_CITY, "documents": [],
            "by_axis": {"2": [{"doc_id": "d1a2b3c4d5e6f7a8", "title": "Convention-cadre — Agen", "date": "2018-07-05",
                               "doc_type": "convention"}]},
            "timeline": [{"doc_id": "d1a2b3c4d5e6f7a8", "title": "Convention-cadre — Agen", "date": "2018-07-05",
                          "doc_type": "convention"}],
            "comparable_cities": [{"insee": "46042", "name": "Cahors", "departement": "Lot", "departement_code": "46",
                                   "region": "Occitanie", "population": 19405, "documents": 2,
                                   "shared_themes": ["vacance-commerciale"]}]}}}},
        404: {"model": ErrorResponse, "description": "Commune inconnue.", "content": {"application/json": {
            "example": {"error": {"code": "introuvable", "message": "Commune inconnue : « 99999 ».",
                                  "details": {"insee": "99999"}}}}}},
    },
)
def get_city(kb: KB, insee: Annotated[str, Path(description="Code INSEE (ou nom) de la commune.", max_length=100,
                                                openapi_examples={"agen": {"value": "47001"}})]) -> dict[str, Any]:
    city = kb.city(insee)
    return {**city.to_dict(), "documents": [with_link(d) for d in city.documents]}

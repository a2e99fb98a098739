"""Request and response models of the HTTP API, apart from the stored records (`acv.records`).

They mirror the typed results of the service layer (`service.types`), plus the
links to original files the API adds, so the OpenAPI page documents exactly
what a client receives; the routes build them from those results.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from acv.filters import FILTER_KEYS
from acv.text import has_surrogate


FilterName = Literal[FILTER_KEYS]  # type: ignore[valid-type]  # the names of acv.filters.FILTERS


class ErrorDetail(BaseModel):
    code: str = Field(description="Code stable, lisible par un programme.")
    message: str = Field(description="Message en français, affichable tel quel.")
    details: dict[str, Any] = Field(default_factory=dict, description="Précisions (paramètre fautif, limites…).")


class ErrorResponse(BaseModel):
    """The one error shape of the API."""

    error: ErrorDetail


class CityRef(BaseModel):
    insee: str
    name: str
    departement: str
    departement_code: str
    region: str


class AmountOut(BaseModel):
    text: str
    value: float


class DuplicateOut(BaseModel):
    """Another publication of the same announcement (same text, same town, a few days apart)."""

    doc_id: str
    source: str
    title: str | None = None
    file_url: str = Field(description="Lien vers le fichier de cette autre publication.")


class SearchResult(BaseModel):
    rank: int
    score: float
    chunk_id: int
    doc_id: str
    source: str
    title: str | None = None
    doc_type: str
    date: str | None = None
    format: str | None = None
    cities: list[CityRef] = []
    departements: list[str] = []
    regions: list[str] = []
    axes: list[int] = []
    themes: list[str] = []
    page: int | None = None
    section: str | None = None
    text: str
    snippet: str
    highlights: list[list[int]] = Field(default=[], description="Positions [début, fin] des termes dans l'extrait.")
    amounts: list[AmountOut] = []
    funders: list[str] = []
    file_url: str = Field(description="Lien vers le fichier original (avec #page=N pour un PDF).")
    passages: list[SearchResult] | None = Field(
        default=None, description="Autres passages du même document (seulement avec group=document).")
    ocr: bool = Field(default=False, description="Vrai quand le texte du passage a été reconnu par OCR sur une "
                                                 "page numérisée (il peut contenir des erreurs de lecture).")
    duplicates: list[DuplicateOut] = Field(
        default=[], description="« Aussi publié par … » : la même annonce publiée par d'autres sources "
                                "(préfecture, ville, presse) ; ce résultat les représente toutes. Liste vide sinon.")


class FacetValue(BaseModel):
    value: str
    label: str
    count: int = Field(description="Nombre de documents.")


Facets = dict[str, list[FacetValue]]


class Indexing(BaseModel):
    done: int = Field(description="Fichiers déjà traités.")
    total: int = Field(description="Fichiers à traiter.")


class RelevanceReason(BaseModel):
    code: str = Field(description="Code court : no_candidate, no_query_word, low_support, date_absent, "
                                  "commune_topic, low_coverage.")
    message: str = Field(description="La raison, en français.")


class SearchResponse(BaseModel):
    query: str
    filters: dict[str, Any]
    total: int = Field(description="Nombre de résultats (passages, ou documents avec group=document), gardé pour "
                                   "compatibilité ; préférer total_documents et total_passages.")
    no_relevant_result: bool = Field(description="Vrai quand aucun passage ne répond précisément : les passages "
                                                 "les plus proches sont renvoyés quand même.")
    results: list[SearchResult]
    facets: Facets = Field(default_factory=dict, description="Comptes par filtre sur l'ensemble des résultats.")
    took_ms: float
    total_documents: int = Field(description="Nombre de documents classés (une annonce republiée compte une fois).")
    total_passages: int = Field(description="Nombre de passages classés.")
    indexing: Indexing | None = Field(description="Indexation en cours au moment de la réponse (résultats "
                                                  "partiels) : fichiers traités sur fichiers trouvés ; null sinon.")
    relevance_reason: RelevanceReason | None = Field(
        default=None, description="Pourquoi aucun passage ne répond précisément (null sinon).")


class SimilarResponse(BaseModel):
    chunk_id: int
    doc_id: str
    results: list[SearchResult]


class DocumentSummary(BaseModel):
    doc_id: str
    source: str
    title: str | None = None
    doc_type: str
    date: str | None = None
    format: str
    cities: list[CityRef] = []
    mentioned_cities: list[CityRef] = []
    departements: list[str] = []
    regions: list[str] = []
    axes: list[int] = []
    themes: list[str] = []
    amounts: list[AmountOut] = []
    funders: list[str] = []
    page_count: int | None = None
    chunks: int | None = Field(default=None, description="Nombre de passages.")
    content_hash: str
    ingested_at: str
    file_url: str


class ChunkOut(BaseModel):
    chunk_id: int
    ordinal: int
    page: int | None = None
    section: str | None = None
    start: int
    end: int
    text: str
    axes: list[int] = []
    themes: list[str] = []
    amounts: list[AmountOut] = []
    funders: list[str] = []
    ocr: bool = Field(default=False, description="Texte reconnu par OCR sur une page numérisée.")


class DocumentDetail(DocumentSummary):
    chunks: list[ChunkOut] = []  # type: ignore[assignment]


class DocumentList(BaseModel):
    total: int
    offset: int
    limit: int
    documents: list[DocumentSummary]


class DeleteResponse(BaseModel):
    doc_id: str
    deleted: Literal[True] = True


class CityOut(BaseModel):
    insee: str
    name: str
    departement: str
    departement_code: str
    region: str
    population: int
    longitude: float | None = None
    latitude: float | None = None
    documents: int = Field(description="Nombre de documents qui concernent la commune.")


class DocumentBrief(BaseModel):
    doc_id: str
    title: str | None = None
    date: str | None = None
    doc_type: str


class ComparableCity(BaseModel):
    insee: str
    name: str
    departement: str
    departement_code: str
    region: str
    population: int
    documents: int
    shared_themes: list[str] = []


class CityDetail(BaseModel):
    insee: str
    name: str
    departement: str
    departement_code: str
    region: str
    population: int
    longitude: float | None = None
    latitude: float | None = None
    documents: list[DocumentSummary]
    by_axis: dict[str, list[DocumentBrief]] = Field(description="Documents par axe (« 0 » : sans axe).")
    timeline: list[DocumentBrief] = Field(description="Documents datés, du plus ancien au plus récent.")
    comparable_cities: list[ComparableCity]


class Health(BaseModel):
    status: str
    version: str
    documents: int
    chunks: int
    indexed_vectors: int
    model: str


MAX_FILTER_VALUES = 50
MAX_FILTER_VALUE_CHARS = 200


class SavedSearchIn(BaseModel):
    """A search to follow: a name, the query and its filters (same names and values as /search).

    Bounded (the body itself is limited to `search_api.bodies.MAX_JSON_BYTES`): unknown fields are refused,
    a filter holds 50 values at most; the core then checks every value (`FeedService.create`).
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200, description="Nom de la recherche suivie (200 caractères au plus).",
                      examples=["Vacance commerciale en Occitanie"])
    query: str = Field(max_length=500, description="Texte de la recherche (500 caractères au plus).",
                       examples=["vacance commerciale"])
    filters: dict[FilterName, Any] = Field(
        default_factory=dict, description="Filtres, comme les paramètres de /search : un texte ou une liste de "
        f"{MAX_FILTER_VALUES} textes au plus par filtre "
        "(ex. {\"region\": [\"Occitanie\"], \"date_from\": \"2023-01-01\"}).")

    @field_validator("name", "query")
    @classmethod
    def _text(cls, value: str) -> str:
        return _no_surrogate(value)

    @field_validator("filters")
    @classmethod
    def _bounded(cls, value: dict[str, Any]) -> dict[str, Any]:
        for items in value.values():
            items = items if isinstance(items, list) else [items]
            if len(items) > MAX_FILTER_VALUES:
                raise PydanticCustomError("too_long", "too many values",
                                          {"max_length": MAX_FILTER_VALUES, "actual_length": len(items)})
            for item in items:
                if not isinstance(item, str):
                    raise PydanticCustomError("string_type", "a text is expected")
                if len(item) > MAX_FILTER_VALUE_CHARS:
                    raise PydanticCustomError("string_too_long", "text too long",
                                              {"max_length": MAX_FILTER_VALUE_CHARS})
                _no_surrogate(item)
        return value


def _no_surrogate(value: str) -> str:
    """JSON can carry a lone surrogate (\\ud800), which no UTF-8 text (SQLite, the response) can hold."""
    if has_surrogate(value):
        raise PydanticCustomError("lone_surrogate", "lone surrogate")
    return value


class SavedSearchOut(BaseModel):
    id: str
    name: str
    query: str
    filters: dict[str, Any] = Field(description="Filtres sous forme canonique (codes INSEE, numéros d'axe…).")
    created_at: str
    feed_url: str = Field(description="Adresse du flux Atom de cette recherche.")


class WatchEntryOut(BaseModel):
    doc_id: str
    title: str | None = None
    source: str
    date: str | None = None
    ingested_at: str = Field(description="Entrée du document dans la base (UTC).")
    chunk_id: int
    page: int | None = None
    format: str | None = None
    snippet: str
    ocr: bool = False
    file_url: str = Field(description="Lien vers le fichier, à la page du meilleur passage pour un PDF.")


class WatchResponse(BaseModel):
    query: str
    filters: dict[str, Any]
    since: str | None = Field(description="Date de départ (UTC), ou null pour tout.")
    results: list[WatchEntryOut] = Field(description="Documents entrés dans la base depuis cette date, les plus "
                                                     "récents d'abord.")
    saved_search: SavedSearchOut | None = None

"""The typed results of the service layer: what a search, a document page or a town page returns.

They are dataclasses, apart from the stored records (`acv.records`) and from the API's response models
(`search_api.models`, built from them). Each also reads like the JSON it serialises to
(`hit["title"]`, `res.get("facets")`), so scripts written against `acv search --json` keep working;
`to_dict()` gives that JSON shape exactly (fields marked optional are left out while they are None).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T", bound="Result")


def to_plain(value: Any) -> Any:
    """JSON-ready data: results and records become dicts, recursively."""
    if isinstance(value, Result):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


class Result(Mapping[str, Any]):
    """Base of the typed results: attribute access, plus read-only access by JSON key.

    Equality is the Mapping one (same keys, equal values), so a result equals its own JSON.
    """

    __slots__ = ()
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()  # keys left out of the JSON while None

    def _keys(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self)  # type: ignore[arg-type]
                if not (f.name in self.OPTIONAL and getattr(self, f.name) is None)]

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def to_dict(self) -> dict[str, Any]:
        return {k: to_plain(getattr(self, k)) for k in self._keys()}

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        """Build from JSON (an API answer); unknown keys such as `file_url` are ignored."""
        return _adapter(cls).validate_python(dict(data))


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(cls: type) -> TypeAdapter[Any]:
    if cls not in _ADAPTERS:
        _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]


# -- places ------------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class CityRef(Result):
    """A commune as results name it."""

    insee: str
    name: str
    departement: str
    departement_code: str
    region: str


@dataclass(slots=True, eq=False)
class CityCard(CityRef):
    """A commune of the programme with its place on the map and its number of documents."""

    population: int
    longitude: float | None
    latitude: float | None
    documents: int


@dataclass(slots=True, eq=False)
class ComparableCity(CityRef):
    population: int
    documents: int
    shared_themes: list[str] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class AmountView(Result):
    """A sum of money as the text wrote it, and in euros."""

    text: str
    value: float


# -- search ------------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class DuplicateRef(Result):
    """Another publication of the same announcement (« aussi publié par … »)."""

    doc_id: str
    source: str
    title: str | None


@dataclass(slots=True, eq=False)
class SearchHit(Result):
    """One ranked passage with its document's metadata; `passages` holds the document's other hits when
    results are grouped by document."""

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"passages"})

    rank: int
    score: float
    chunk_id: int
    doc_id: str
    source: str
    title: str | None
    doc_type: str
    date: str | None
    format: str | None
    cities: list[CityRef]
    departements: list[str]
    regions: list[str]
    axes: list[int]
    themes: list[str]
    page: int | None
    section: str | None
    text: str
    snippet: str
    highlights: list[list[int]]
    amounts: list[AmountView]
    funders: list[str]
    passages: list[SearchHit] | None = None
    ocr: bool = False  # the passage's text was recognised by OCR on a scanned page
    duplicates: list[DuplicateRef] = field(default_factory=list)  # the same announcement published elsewhere


@dataclass(slots=True, eq=False)
class FacetValue(Result):
    value: str
    label: str
    count: int  # number of documents


Facets = dict[str, list[FacetValue]]


# What the edges tell people (CLI, UI): the notice above the closest passages, and the search syntax.
NOT_PRECISE_NOTICE = "Aucun passage ne répond précisément ; voici les plus proches."
SEARCH_SYNTAX_HELP = (
    '"phrase exacte" : les mots qui se suivent, tels quels (majuscules et accents mis à part) ; '
    "-mot ou -\"deux mots\" : écarter les passages qui les contiennent ; "
    "titre:mot ou titre:\"deux mots\" : seulement les documents dont le titre les contient. "
    "Les noms, sigles, codes et mots composés (Aristide-Briand, CAF, RD921) sont cherchés tels qu'écrits ; "
    "les autres mots sous toutes leurs formes (façade, façades)."
)


@dataclass(slots=True, eq=False)
class RelevanceReason(Result):
    """Why the product doubts its results: a short code for programs, a French sentence for people."""

    code: str
    message: str


@dataclass(slots=True, eq=False)
class IndexingState(Result):
    """An ingest was running when the answer was made: files done out of files found, so results may be partial."""

    done: int
    total: int


@dataclass(slots=True, eq=False)
class SearchResponse(Result):
    """The answer to one query, in the shape of `acv search --json`.

    `total` is kept as it always was (passages, or documents when grouped by document); `total_documents` and
    `total_passages` say each count by its name (one announcement republished by several sources counts once).
    `indexing` is null unless an ingest was running, i.e. the base was still filling up. `no_relevant_result` is
    advice: the closest passages are returned all the same, with the reason (`relevance_reason`; null when
    confident).
    """

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"facets"})

    query: str
    filters: dict[str, Any]
    total: int
    no_relevant_result: bool
    results: list[SearchHit]
    facets: Facets | None = None
    took_ms: float = 0.0
    total_documents: int = 0
    total_passages: int = 0
    indexing: IndexingState | None = None
    relevance_reason: RelevanceReason | None = None


@dataclass(slots=True, eq=False)
class BatchAnswer(Result):
    """One line of `acv search --batch`: the request's id, then the response or the error."""

    id: Any
    response: SearchResponse | None = None
    query: Any = None
    error: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.response is not None:
            return {"id": self.id, **self.response.to_dict()}
        return {"id": self.id, "query": self.query, "error": self.error}


@dataclass(slots=True, eq=False)
class SimilarResponse(Result):
    chunk_id: int
    doc_id: str
    results: list[SearchHit]


# -- followed searches ---------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class SavedSearch(Result):
    """A followed search: its name, its query and its canonical filters; its feed is `/feeds/{id}.atom`."""

    id: str
    name: str
    query: str
    filters: dict[str, Any]
    created_at: str


@dataclass(slots=True, eq=False)
class WatchEntry(Result):
    """A document that matches a followed search and entered the base after a date."""

    doc_id: str
    title: str | None
    source: str
    date: str | None
    ingested_at: str
    chunk_id: int
    page: int | None
    format: str | None
    snippet: str
    ocr: bool = False


@dataclass(slots=True, eq=False)
class WatchResponse(Result):
    """What is new for a query (or a saved search) since a date, newest first."""

    query: str
    filters: dict[str, Any]
    since: str | None
    results: list[WatchEntry]
    saved_search: SavedSearch | None = None


# -- documents ---------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class DocumentSummary(Result):
    doc_id: str
    source: str
    title: str | None
    doc_type: str
    date: str | None
    format: str
    cities: list[CityRef]
    mentioned_cities: list[CityRef]
    departements: list[str]
    regions: list[str]
    axes: list[int]
    themes: list[str]
    amounts: list[AmountView]
    funders: list[str]
    page_count: int | None
    chunks: int | None  # number of passages
    content_hash: str
    ingested_at: str
    explain: dict[str, Any] | None = None  # which signals decided type, axes, town (`acv docs --explain`)

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"explain"})


@dataclass(slots=True, eq=False)
class ChunkView(Result):
    """A passage as the document page shows it."""

    chunk_id: int
    ordinal: int
    page: int | None
    section: str | None
    start: int
    end: int
    text: str
    axes: list[int] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    amounts: list[AmountView] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    ocr: bool = False  # text recognised by OCR on a scanned page


@dataclass(slots=True, eq=False)
class DocumentDetail(DocumentSummary):
    chunks: list[ChunkView]  # type: ignore[assignment]


@dataclass(slots=True, eq=False)
class DocumentPage(Result):
    total: int
    documents: list[DocumentSummary]


@dataclass(slots=True, eq=False)
class DocumentBrief(Result):
    doc_id: str
    title: str | None
    date: str | None
    doc_type: str


@dataclass(slots=True, eq=False)
class CityDetail(CityRef):
    """A town's page: its documents by axis, the timeline of its announcements, comparable towns."""

    population: int
    longitude: float | None
    latitude: float | None
    documents: list[DocumentSummary]
    by_axis: dict[str, list[DocumentBrief]]
    timeline: list[DocumentBrief]
    comparable_cities: list[ComparableCity]


# -- service state -----------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class Stats(Result):
    """`vectors` counts the passages that have a vector (what /health's `indexed_vectors` holds once synced);
    `embedding_cache` the stored vectors by distinct text, kept so that a re-ingest embeds nothing twice."""

    version: str
    documents: int
    chunks: int
    vectors: int
    by_type: dict[str, int]
    embedder: str
    fusion: str
    data_dir: str
    embedding_cache: int = 0


@dataclass(slots=True, eq=False)
class Health(Result):
    status: str
    version: str
    documents: int
    chunks: int
    indexed_vectors: int
    model: str


@dataclass(slots=True, eq=False)
class UploadResult(Result):
    """What adding one file gave: the ingest status, its number of passages and the document."""

    status: str
    chunks: int
    document: DocumentDetail

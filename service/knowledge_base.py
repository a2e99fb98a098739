"""The knowledge base: one object that the CLI, the API and the UI open, composed of the services.

`KnowledgeBase` is the composition root: it holds the parts (`Components`: store, analyzer, extractor,
embedder, dense index, retriever) and the services built on them — `searcher` (search, comparable
passages), `catalog` (documents, facets, communes, stats), `maintenance` (ingest, delete, reindex) and
`uploads` (the one upload flow). Its methods are the services' own, so callers need one object.
Collaborators are constructor parameters: tests pass a fake embedder, a shared extractor or a clock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from acv.settings import Settings
from index.analysis import FrenchAnalyzer
from index.embedders import Embedder
from index.store import Filters, Store
from ingest.extract import Extractor
from ingest.pipeline import IngestReport, ProgressCallback
from service.catalog import Catalog
from service.components import Components
from service.feeds import FeedService
from service.maintenance import Maintenance
from service.search import SearchService, validate_query
from service.types import (
    BatchAnswer,
    CityCard,
    CityDetail,
    ComparableCity,
    DocumentDetail,
    DocumentPage,
    Facets,
    Health,
    SearchResponse,
    SimilarResponse,
    Stats,
)
from service.uploads import UploadService


class KnowledgeBase(Components):
    """Everything acv-kb can do, over one data directory."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, *, store: Store | None = None,
                 extractor: Extractor | None = None, analyzer: FrenchAnalyzer | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        super().__init__(settings, embedder, store=store, extractor=extractor, analyzer=analyzer)
        self.write_lock = threading.Lock()
        self.catalog = Catalog(self)
        self.searcher = SearchService(self, self.catalog, clock)
        self.maintenance = Maintenance(self)
        self.uploads = UploadService(settings, self.catalog, self.maintenance, self.write_lock)
        self.feeds = FeedService(self, self.searcher)  # saved searches, `acv watch`, Atom feeds

    # -- search -------------------------------------------------------------------------------

    def resolve_filters(self, raw: Mapping[str, Any]) -> Filters:
        """Canonical filters from user values; unknown values get a French error that says what is accepted."""
        return self.vocabulary.filters(raw)

    def validate_query(self, query: str, k: int, offset: int = 0) -> str:
        return validate_query(self.settings, query, k, offset)

    def search(self, query: str, filters: Mapping[str, Any] | None = None, k: int = 10, offset: int = 0,
               *, group_by_document: bool = False, method: str | None = None,
               with_facets: bool = False) -> SearchResponse:
        return self.searcher.search(query, filters, k, offset, group_by_document=group_by_document, method=method,
                                    with_facets=with_facets)

    def search_batch(self, requests: Sequence[Mapping[str, Any]], k: int = 10) -> list[BatchAnswer]:
        return self.searcher.search_batch(requests, k)

    def similar(self, chunk_id: int, k: int = 10, filters: Mapping[str, Any] | None = None) -> SimilarResponse:
        return self.searcher.similar(chunk_id, k, filters)

    # -- catalog --------------------------------------------------------------------------------

    def documents(self, filters: Mapping[str, Any] | None = None, limit: int | None = None,
                  offset: int = 0) -> DocumentPage:
        return self.catalog.documents(filters, limit, offset)

    def document(self, doc_id: str) -> DocumentDetail:
        return self.catalog.document(doc_id)

    def document_by_content(self, content_hash: str) -> str | None:
        return self.catalog.document_by_content(content_hash)

    def document_file(self, doc_id: str) -> Path:
        return self.catalog.document_file(doc_id)

    def facets(self) -> Facets:
        return self.catalog.facets()

    def named_facets(self, counts: Mapping[str, Mapping[str, int]]) -> Facets:
        return self.catalog.named_facets(counts)

    def cities(self) -> list[CityCard]:
        return self.catalog.cities()

    def city(self, insee: str) -> CityDetail:
        return self.catalog.city(insee)

    def comparable_cities(self, insee: str, k: int = 5) -> list[ComparableCity]:
        return self.catalog.comparable_cities(insee, k)

    def stats(self) -> Stats:
        return self.catalog.stats()

    def health(self) -> Health:
        return self.catalog.health()

    # -- maintenance ------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[Path | str], prune: bool = False,
               progress: ProgressCallback | None = None, ray_address: str | None = None) -> IngestReport:
        return self.maintenance.ingest(paths, prune, progress, ray_address)

    def delete_document(self, doc_id: str) -> None:
        self.maintenance.delete_document(doc_id)

    def reindex_metadata(self) -> int:
        return self.maintenance.reindex_metadata()

    def reindex_vectors(self, progress: ProgressCallback | None = None) -> int:
        return self.maintenance.reindex_vectors(progress)


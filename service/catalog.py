"""What the base holds: documents, facets with readable labels, the communes and their pages, stats.

Read-only views over the store, typed (`service.types`) so that the API and the UI show the same thing.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from acv import __version__
from acv.errors import InvalidQueryError, NotFoundError
from acv.labels import axis_label, doc_type_label
from acv.paths import served_file, shown_source
from index.analysis import fold
from index.store import FACET_NAMES, Store
from ingest.progress import read_progress
from service.components import Components
from service.types import (
    AmountView,
    CityCard,
    CityDetail,
    ComparableCity,
    DocumentBrief,
    DocumentDetail,
    DocumentPage,
    DocumentSummary,
    FacetValue,
    Facets,
    Health,
    ChunkView,
    IndexingState,
    Stats,
)

_CHUNK_META_KEYS = ("axes", "themes", "amounts", "funders", "ocr")


class Catalog:
    """Documents, facets, communes and the state of the base."""

    def __init__(self, parts: Components) -> None:
        self.parts = parts

    @property
    def store(self) -> Store:
        return self.parts.store

    # -- documents ----------------------------------------------------------------------------

    def summary(self, row: Any, chunk_count: int | None = None) -> DocumentSummary:
        meta = json.loads(row["metadata"])
        vocab = self.parts.vocabulary
        cities, departements, regions = vocab.places(meta)
        return DocumentSummary(
            doc_id=row["id"],
            source=shown_source(row["source"], self.parts.settings.uploads_dir),
            title=row["title"],
            doc_type=row["doc_type"],
            date=row["date"],
            format=row["format"],
            cities=cities,
            mentioned_cities=vocab.city_refs(meta.get("mentioned_cities", [])),
            departements=departements,
            regions=regions,
            axes=meta.get("axes", []),
            themes=meta.get("themes", []),
            amounts=[AmountView(**a) for a in meta.get("amounts", [])],
            funders=meta.get("funders", []),
            page_count=row["page_count"],
            chunks=chunk_count,
            content_hash=row["content_hash"],
            ingested_at=row["ingested_at"],
            explain=meta.get("explain") or None,
        )

    def documents(self, filters: Mapping[str, Any] | None = None, limit: int | None = None,
                  offset: int = 0) -> DocumentPage:
        """Documents passing the filters, most recent first, with their number of passages."""
        counts = self.store.chunk_counts()
        rows = self.store.documents()
        resolved = self.parts.vocabulary.filters(dict(filters or {}))
        if not resolved.is_empty():
            keep = self.store.document_ids_matching(resolved)
            rows = [r for r in rows if r["id"] in keep]
        total = len(rows)
        rows = rows[offset : offset + limit if limit else None]
        return DocumentPage(total=total, documents=[self.summary(r, counts.get(r["id"], 0)) for r in rows])

    def document(self, doc_id: str) -> DocumentDetail:
        """A document with all its passages."""
        row = self.store.document(doc_id)
        if row is None:
            raise NotFoundError(f"Document introuvable : « {doc_id} ».", {"doc_id": doc_id})
        chunks = self.store.chunks_of(doc_id)
        summary = self.summary(row, len(chunks))
        views = []
        for c in chunks:
            meta = {k: v for k, v in json.loads(c["metadata"]).items() if k in _CHUNK_META_KEYS}
            if "amounts" in meta:
                meta["amounts"] = [AmountView(**a) for a in meta["amounts"]]
            views.append(ChunkView(chunk_id=c["id"], ordinal=c["ordinal"], page=c["page"], section=c["section"],
                                   start=c["start"], end=c["end"], text=c["text"], **meta))
        fields = {k: getattr(summary, k) for k in summary.keys() if k != "chunks"}
        return DocumentDetail(**fields, chunks=views)

    def document_by_content(self, content_hash: str) -> str | None:
        """The id of a stored document with these exact bytes (sha256), so an upload is not stored twice."""
        return self.store.document_id_with_hash(content_hash)

    def document_file(self, doc_id: str) -> Path:
        row = self.store.document(doc_id)
        if row is None:
            raise NotFoundError(f"Document introuvable : « {doc_id} ».", {"doc_id": doc_id})
        return served_file(row["source"], row["metadata"], self.parts.settings.uploads_dir, doc_id)  # acv/paths.py

    # -- facets ---------------------------------------------------------------------------------

    def named_facets(self, counts: Mapping[str, Mapping[str, int]]) -> Facets:
        """Facet counts with labels users can read, most frequent first."""
        vocab = self.parts.vocabulary
        themes = vocab.theme_labels()
        deps = vocab.departement_names()

        def label(name: str, value: str) -> str:
            if name == "axis":
                return axis_label(value)
            if name == "theme":
                return themes.get(value, value)
            if name in ("city", "mentioned_city"):
                c = vocab.communes.get(value)
                return c.name if c else value
            if name == "departement":
                return f"{deps.get(value, value)} ({value})"
            if name == "doc_type":
                return doc_type_label(value)
            return value

        out: Facets = {}
        for name in FACET_NAMES:
            items = [FacetValue(value, label(name, value), n) for value, n in counts.get(name, {}).items()]
            items.sort(key=lambda x: (-x.count, x.label))
            out[name] = items
        return out

    def facets(self) -> Facets:
        return self.named_facets(self.store.all_facet_counts())

    # -- communes ---------------------------------------------------------------------------------

    def cities(self) -> list[CityCard]:
        """Every commune of the programme, alphabetically, with its number of documents."""
        counts = self.store.all_facet_counts().get("city", {})
        vocab = self.parts.vocabulary
        out = []
        for c in sorted(vocab.communes.values(), key=lambda c: fold(c.name)):
            out.append(CityCard(c.insee, c.name, c.departement, c.departement_code, c.region, population=c.population,
                                longitude=c.longitude, latitude=c.latitude, documents=counts.get(c.insee, 0)))
        return out

    def city(self, insee: str) -> CityDetail:
        """A town's page: its documents by axis, the timeline of its announcements, comparable towns."""
        vocab = self.parts.vocabulary
        c = vocab.communes.get(insee)
        if c is None:
            try:
                c = vocab.find_commune(insee)
            except InvalidQueryError as exc:
                raise NotFoundError(f"Commune inconnue : « {insee} ».", {"insee": insee}) from exc
        docs = self.documents({"city": c.insee}).documents
        by_axis: dict[str, list[DocumentBrief]] = defaultdict(list)
        for d in docs:
            for a in d.axes or [0]:
                by_axis[str(a)].append(DocumentBrief(d.doc_id, d.title, d.date, d.doc_type))
        timeline = sorted((DocumentBrief(d.doc_id, d.title, d.date, d.doc_type) for d in docs if d.date),
                          key=lambda x: x.date or "")
        return CityDetail(c.insee, c.name, c.departement, c.departement_code, c.region, population=c.population,
                          longitude=c.longitude, latitude=c.latitude, documents=docs,
                          by_axis=dict(sorted(by_axis.items())), timeline=timeline,
                          comparable_cities=self.comparable_cities(c.insee))

    def comparable_cities(self, insee: str, k: int = 5) -> list[ComparableCity]:
        """Towns of similar size, the same region first, and those whose documents share themes."""
        communes = self.parts.vocabulary.communes
        c = communes[insee]
        counts = self.store.all_facet_counts().get("city", {})
        my_themes: set[str] = set()
        for d in self.documents({"city": insee}).documents:
            my_themes.update(d.themes)
        theme_by_city: dict[str, set[str]] = defaultdict(set)
        if my_themes:
            for city, theme in self.store.co_occurring_facets("city", "theme"):
                theme_by_city[city].add(theme)
        scored = []
        for other in communes.values():
            if other.insee == insee:
                continue
            size = abs(math.log(max(other.population, 1) / max(c.population, 1)))
            shared = sorted(theme_by_city.get(other.insee, set()) & my_themes)
            score = size + (0.0 if other.region == c.region else 0.7) - 0.25 * len(shared)
            scored.append((score, other, shared))
        scored.sort(key=lambda x: (x[0], x[1].name))
        return [
            ComparableCity(o.insee, o.name, o.departement, o.departement_code, o.region, population=o.population,
                           documents=counts.get(o.insee, 0), shared_themes=shared)
            for _s, o, shared in scored[:k]
        ]

    # -- state ------------------------------------------------------------------------------------

    def stats(self) -> Stats:
        docs = self.store.documents()
        by_type: dict[str, int] = defaultdict(int)
        for d in docs:
            by_type[d["doc_type"]] += 1
        s = self.parts.settings
        chunks = self.store.count("chunks")
        return Stats(
            version=__version__,
            documents=len(docs),
            chunks=chunks,
            vectors=chunks - len(self.store.chunks_missing_vectors()),
            by_type=dict(by_type),
            embedder=self.store.get_meta("embedder") or f"{s.embedder} (non initialisé)",
            fusion=s.fusion,
            data_dir=str(s.data_dir),
            embedding_cache=self.store.count("embeddings"),
        )

    def indexing(self) -> IndexingState | None:
        """Files done out of files found while an ingest runs (in any process), else None: answers made
        meanwhile say the base is still filling up."""
        progress = read_progress(self.parts.settings.store_path)
        if progress is None or not progress.running:
            return None
        return IndexingState(done=progress.files_done, total=progress.files_total)

    def health(self) -> Health:
        return Health(
            status="ok",
            version=__version__,
            documents=self.store.count("documents"),
            chunks=self.store.count("chunks"),
            indexed_vectors=self._synced_dense_count(),
            model=self.parts.embedder.id,
        )

    def _synced_dense_count(self) -> int:
        """The FAISS count after catching up with writes made by other processes (an `acv ingest`)."""
        dense = self.parts.dense
        dense.sync()
        return dense.count()

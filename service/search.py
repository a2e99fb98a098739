"""Searching: query checks, ranking through the hybrid retriever, and results shaped for people.

The ranking itself lives in `index.search`; this service validates the query, resolves the filters
(`acv.filters`), reads the ranked passages with their documents and turns them into `SearchHit`s.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from acv.errors import InvalidQueryError, NotFoundError
from acv.paths import shown_source
from acv.text import has_surrogate, searchable, without_controls
from acv.settings import Settings
from index.query_syntax import parse
from index.relevance import REASONS
from index.search import Ranking
from index.snippets import make_snippet
from service.catalog import Catalog
from service.components import Components
from service.types import (
    AmountView,
    BatchAnswer,
    DuplicateRef,
    RelevanceReason,
    SearchHit,
    SearchResponse,
    SimilarResponse,
)

MAX_OFFSET = 10_000


def validate_query(settings: Settings, query: str, k: int, offset: int = 0) -> str:
    """The stripped query (control characters removed), or a French error for an empty or too long one, one
    with nothing to search (no letter or digit) or a lone surrogate, or `k`/`offset` out of range."""
    query = query or ""
    if has_surrogate(query):
        raise InvalidQueryError("La requête contient des caractères invalides (demi-paires UTF-16 isolées).", {})
    query = without_controls(query).strip()
    if not query:
        raise InvalidQueryError("La requête est vide : saisissez quelques mots.", {"q": query})
    if len(query) > settings.max_query_chars:
        raise InvalidQueryError(
            f"La requête est trop longue ({len(query)} caractères ; maximum {settings.max_query_chars}).",
            {"max": settings.max_query_chars},
        )
    if not searchable(query):
        raise InvalidQueryError("La requête ne contient ni lettre ni chiffre : rien à rechercher.", {"q": query})
    if not parse(query).text:
        raise InvalidQueryError("La requête ne contient que des exclusions (-mot) : ajoutez un mot à chercher.",
                                {"q": query})
    check_k(settings, k)
    if offset < 0 or offset > MAX_OFFSET:
        raise InvalidQueryError("Le décalage doit être entre 0 et 10 000.", {"offset": offset})
    return query


def relevance_reason(code: str | None, any_result: bool) -> RelevanceReason | None:
    """The reason shown with `no_relevant_result`, its French sentence capitalised."""
    code = code if any_result else "no_candidate"
    if code is None:
        return None
    text = REASONS.get(code, code)
    return RelevanceReason(code, text[:1].upper() + text[1:] + ".")


def check_k(settings: Settings, k: int) -> None:
    if not 1 <= k <= settings.max_k:
        raise InvalidQueryError(f"Le nombre de résultats doit être entre 1 et {settings.max_k}.", {"k": k})


class SearchService:
    """Ranked passages for a query, and passages comparable to one passage."""

    def __init__(self, parts: Components, catalog: Catalog, clock: Callable[[], float] = time.perf_counter) -> None:
        self.parts = parts
        self.catalog = catalog
        self.clock = clock

    def search(self, query: str, filters: Mapping[str, Any] | None = None, k: int = 10, offset: int = 0,
               *, group_by_document: bool = False, method: str | None = None,
               with_facets: bool = False) -> SearchResponse:
        """Ranked passages (or documents, with `group_by_document`), in the shape of `acv search --json`."""
        with self.parts.foreground.busy():  # a background warm-up waits meanwhile
            return self._search(query, filters, k, offset, group_by_document, method, with_facets)

    def _search(self, query: str, filters: Mapping[str, Any] | None, k: int, offset: int,
                group_by_document: bool, method: str | None, with_facets: bool) -> SearchResponse:
        t0 = self.clock()
        parts = self.parts
        query = validate_query(parts.settings, query, k, offset)
        resolved = parts.vocabulary.filters(dict(filters or {}))
        ranking = parts.retriever.rank(query, resolved, limit=k + offset, method=method)
        hits = ranking.hits  # « nothing relevant » is advice: the closest passages are shown all the same
        # Every ranked passage's document (for the republished groups, the total and the grouping); the full
        # rows (text, metadata) are read only for the passages shown on the page.
        doc_of = dict(ranking.documents)  # those the ranking looked up; the others read here
        doc_of.update(parts.store.chunk_doc_ids([h.chunk_id for h in hits if h.chunk_id not in doc_of]))
        matched = [h.chunk_id for h in hits]  # facets: every matching passage, a group counted once
        hits, groups = self.collapse_republished(hits, {c: {"doc_id": d} for c, d in doc_of.items()})
        results: list[SearchHit] = []
        if group_by_document:
            by_doc: dict[str, list[Any]] = {}
            for h in hits:
                doc = doc_of.get(h.chunk_id)
                if doc is not None:
                    by_doc.setdefault(doc, []).append(h)
            total = len(by_doc)
            page = [by_doc[d] for d in list(by_doc)[offset : offset + k]]
            rows = parts.store.chunks_with_documents([h.chunk_id for members in page for h in members])
            for members in page:
                first: SearchHit | None = None
                for h in members:
                    row = rows.get(h.chunk_id)
                    if row is None:
                        continue
                    hit = self.hit(h.chunk_id, h.score, row, ranking, 0)
                    if first is None:
                        hit.passages = []
                        first = hit
                        results.append(hit)
                    else:
                        first.passages.append(hit)  # type: ignore[union-attr]
        else:
            total = len(hits)
            page_hits = hits[offset : offset + k]
            rows = parts.store.chunks_with_documents([h.chunk_id for h in page_hits])
            for rank, h in enumerate(page_hits, start=offset + 1):
                row = rows.get(h.chunk_id)
                if row is not None:
                    results.append(self.hit(h.chunk_id, h.score, row, ranking, rank))
        self.add_duplicates(results, groups)
        for i, r in enumerate(results, start=offset + 1):
            r.rank = i
        out = SearchResponse(query=query, filters=resolved.as_dict(), total=total,
                             no_relevant_result=ranking.no_relevant_result or not ranking.hits, results=results,
                             total_documents=len({doc_of[h.chunk_id] for h in hits if h.chunk_id in doc_of}),
                             total_passages=len(hits), indexing=self.catalog.indexing(),
                             relevance_reason=relevance_reason(ranking.reason, bool(ranking.hits)))
        if with_facets:
            out.facets = self.catalog.named_facets(parts.groups.facet_counts(matched))
        out.took_ms = round((self.clock() - t0) * 1000, 1)
        return out

    def collapse_republished(self, hits: list[Any],
                             rows: Mapping[int, Any]) -> tuple[list[Any], dict[str, list[str]]]:
        """Keep one document per group of republished announcements: the best ranked one stands for its
        group, the others' passages are dropped (they are listed under « aussi publié par »)."""
        doc_ids = list(dict.fromkeys(rows[h.chunk_id]["doc_id"] for h in hits if h.chunk_id in rows))
        groups = self.parts.groups.groups_of(doc_ids)
        if not groups:
            return hits, groups
        leader: dict[str, str] = {}  # first member of the group seen in the ranking → stands for it
        kept = []
        for h in hits:
            row = rows.get(h.chunk_id)
            if row is None:
                continue
            doc = row["doc_id"]
            members = groups.get(doc)
            if members:
                key = members[0]
                if leader.setdefault(key, doc) != doc:
                    continue
            kept.append(h)
        return kept, groups

    def add_duplicates(self, results: Sequence[SearchHit], groups: Mapping[str, list[str]]) -> None:
        """Name the other publications of each result's announcement, first publication first."""
        others = {d for r in results for d in groups.get(r.doc_id, []) if d != r.doc_id}
        if not others:
            return
        docs = {d["id"]: d for d in self.parts.store.documents(sorted(others))}
        uploads = self.parts.settings.uploads_dir
        for r in results:
            r.duplicates = [DuplicateRef(doc_id=d, source=shown_source(docs[d]["source"], uploads),
                                         title=docs[d]["title"])
                            for d in groups.get(r.doc_id, []) if d != r.doc_id and d in docs]
            for p in r.passages or []:
                p.duplicates = r.duplicates

    def search_batch(self, requests: Sequence[Mapping[str, Any]], k: int = 10) -> list[BatchAnswer]:
        """One answer per request `{"id", "query", "filters", "k"}`; a refused query gives its error, not a stop."""
        out = []
        for req in requests:
            try:
                res = self.search(str(req.get("query", "")), req.get("filters") or {}, int(req.get("k", k)))
                out.append(BatchAnswer(req.get("id"), response=res))
            except InvalidQueryError as exc:
                out.append(BatchAnswer(req.get("id"), query=req.get("query"),
                                       error={"code": exc.code, "message": exc.message, "details": exc.details}))
        return out

    def similar(self, chunk_id: int, k: int = 10, filters: Mapping[str, Any] | None = None) -> SimilarResponse:
        """Comparable passages from other towns ("projets comparables")."""
        with self.parts.foreground.busy():
            return self._similar(chunk_id, k, filters)

    def _similar(self, chunk_id: int, k: int, filters: Mapping[str, Any] | None) -> SimilarResponse:
        parts = self.parts
        row = parts.store.chunk(chunk_id)
        if row is None:
            raise NotFoundError(f"Passage introuvable : {chunk_id}.", {"chunk_id": chunk_id})
        doc = parts.store.document(row["doc_id"])
        resolved = parts.vocabulary.filters(dict(filters or {}))
        resolved.exclude_docs = [row["doc_id"]]
        resolved.exclude_cities = list(json.loads(doc["metadata"]).get("cities", []) if doc else [])
        ids, vecs = parts.store.vectors_for([chunk_id], parts.embedder.dimension)
        if not len(ids):
            raise NotFoundError("Ce passage n'a pas de vecteur ; relancez l'ingestion.", {"chunk_id": chunk_id})
        allowed = parts.store.allowed_chunk_ids(resolved)
        found, scores = parts.dense.search(vecs[0], k, allowed)
        rows = parts.store.chunks_with_documents([int(i) for i in found])
        ranking = Ranking([], parts.analyzer.terms(row["text"])[:30], 0.0, 0.0)
        results = []
        for rank, (cid, score) in enumerate(zip(found, scores), start=1):
            r = rows.get(int(cid))
            if r is not None:
                results.append(self.hit(int(cid), float(score), r, ranking, rank))
        return SimilarResponse(chunk_id=chunk_id, doc_id=row["doc_id"], results=results)

    def hit(self, chunk_id: int, score: float, row: Any, ranking: Ranking, rank: int) -> SearchHit:
        """A passage with its document's metadata, a snippet around the query terms and their positions."""
        doc_meta = json.loads(row["doc_metadata"])
        chunk_meta = json.loads(row["chunk_metadata"])
        snippet, highlights = make_snippet(row["text"], ranking.terms, self.parts.analyzer)
        cities, departements, regions = self.parts.vocabulary.places(doc_meta)
        return SearchHit(
            rank=rank,
            score=round(float(score), 6),
            chunk_id=chunk_id,
            doc_id=row["doc_id"],
            source=shown_source(row["source"], self.parts.settings.uploads_dir),
            title=row["title"],
            doc_type=row["doc_type"],
            date=row["date"],
            format=row["format"],
            cities=cities,
            departements=departements,
            regions=regions,
            axes=chunk_meta.get("axes") or doc_meta.get("axes", []),
            themes=chunk_meta.get("themes") or doc_meta.get("themes", []),
            page=row["page"],
            section=row["section"],
            text=row["text"],
            snippet=snippet,
            highlights=highlights,
            amounts=[AmountView(**a) for a in chunk_meta.get("amounts", [])],
            funders=chunk_meta.get("funders", []),
            ocr=bool(chunk_meta.get("ocr", False)),
        )

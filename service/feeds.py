"""Following a search: saved searches, what is new since a date, and the Atom feed of a saved search.

A saved search keeps its query and its filters in canonical form (`Filters.as_dict`), so the feed re-runs
exactly what was saved. « New » means entered the base (`ingested_at`) after the date: a journalist wants
the documents added since their last visit, whatever their publication date. Entries are documents (one
per document, its best passage), newest first. The Atom document is built with ElementTree (RFC 4287:
feed id, title, updated, author; entries with id, title, updated, link, summary); the edge gives the links,
since only it knows the addresses.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import Any

from acv.errors import InvalidQueryError, NotFoundError
from acv.text import has_surrogate, without_controls, xml_safe
from index.saved_searches import SavedSearchRow
from service.components import Components
from service.search import SearchService, validate_query
from service.types import SavedSearch, WatchEntry, WatchResponse

ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_NAME_CHARS = 200
MAX_FILTER_VALUES = 50  # values of one filter in a saved search
FEED_SIZE = 50

LinkBuilder = Callable[[WatchEntry], str]


def check_filter_sizes(filters: Mapping[str, Any]) -> None:
    """A saved search is re-run by every feed request: its filters stay small (each is one SQL parameter)."""
    for name, value in filters.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        if len(values) > MAX_FILTER_VALUES:
            raise InvalidQueryError(
                f"Trop de valeurs pour le filtre « {str(name)[:40]} » ({len(values)} ; maximum {MAX_FILTER_VALUES}).",
                {"filter": str(name)[:40], "max": MAX_FILTER_VALUES})


def _saved(row: SavedSearchRow) -> SavedSearch:
    return SavedSearch(id=row.id, name=row.name, query=row.query, filters=dict(row.filters),
                       created_at=row.created_at)


def parse_since(value: str | None) -> str | None:
    """An ISO date or date-time as the UTC ISO string `ingested_at` is compared with; a French error otherwise."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidQueryError(f"Date invalide : « {text} ». Format attendu : AAAA-MM-JJ (ou AAAA-MM-JJTHH:MM).",
                                {"since": text}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


class FeedService:
    """Saved searches, `acv watch`, and the Atom feeds."""

    def __init__(self, parts: Components, searcher: SearchService,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)) -> None:
        self.parts = parts
        self.searcher = searcher
        self.now = now

    # -- saved searches ------------------------------------------------------------------------

    def create(self, name: str, query: str, filters: Mapping[str, Any] | None = None) -> SavedSearch:
        """Check the name, the query and the filters, then save them (filters in canonical form)."""
        name = name or ""
        if has_surrogate(name):
            raise InvalidQueryError("Le nom contient des caractères invalides (demi-paires UTF-16 isolées).", {})
        name = without_controls(name).strip()  # a name goes into XML and terminals: no control characters
        if not name:
            raise InvalidQueryError("Donnez un nom à la recherche suivie.", {"name": name})
        if len(name) > MAX_NAME_CHARS:
            raise InvalidQueryError(f"Le nom est trop long ({len(name)} caractères ; maximum {MAX_NAME_CHARS}).",
                                    {"max": MAX_NAME_CHARS})
        query = validate_query(self.parts.settings, query, 1)
        check_filter_sizes(filters or {})
        canonical = self.parts.vocabulary.filters(dict(filters or {})).as_dict()
        created = self.now().astimezone(dt.timezone.utc).isoformat(timespec="seconds")
        return _saved(self.parts.saved_searches.add(name, query, canonical, created))

    def all(self) -> list[SavedSearch]:
        return [_saved(r) for r in self.parts.saved_searches.all()]

    def get(self, search_id: str) -> SavedSearch:
        row = self.parts.saved_searches.get(search_id)
        if row is None:
            raise NotFoundError(f"Recherche suivie introuvable : « {search_id} ».", {"id": search_id})
        return _saved(row)

    def delete(self, search_id: str) -> None:
        if not self.parts.saved_searches.delete(search_id):
            raise NotFoundError(f"Recherche suivie introuvable : « {search_id} ».", {"id": search_id})

    # -- what is new ---------------------------------------------------------------------------

    def watch(self, query: str, filters: Mapping[str, Any] | None = None, since: str | None = None,
              limit: int = FEED_SIZE) -> WatchResponse:
        """Documents matching the query that entered the base after `since` (all when None), newest first."""
        after = parse_since(since)
        settings = self.parts.settings
        res = self.searcher.search(query, filters, k=settings.max_k, group_by_document=True)
        # A feed lists what answers the query: the closest passages of a query nothing answers are no news.
        found = [] if res.no_relevant_result else res.results
        docs = {d["id"]: d for d in self.parts.store.documents([r.doc_id for r in found])}
        entries = []
        for r in found:
            doc = docs.get(r.doc_id)
            if doc is None or (after is not None and doc["ingested_at"] < after):
                continue
            entries.append(WatchEntry(doc_id=r.doc_id, title=r.title, source=r.source, date=r.date,
                                      ingested_at=doc["ingested_at"], chunk_id=r.chunk_id, page=r.page,
                                      format=r.format, snippet=r.snippet, ocr=r.ocr))
        entries.sort(key=lambda e: (e.ingested_at, e.date or ""), reverse=True)
        return WatchResponse(query=res.query, filters=res.filters, since=after, results=entries[:limit])

    def watch_saved(self, search_id: str, since: str | None = None, limit: int = FEED_SIZE) -> WatchResponse:
        saved = self.get(search_id)
        out = self.watch(saved.query, saved.filters, since, limit)
        out.saved_search = saved
        return out

    # -- Atom --------------------------------------------------------------------------------

    def atom(self, search_id: str, feed_url: str, link: LinkBuilder, limit: int = FEED_SIZE) -> bytes:
        """The saved search's Atom feed (UTF-8 XML): its newest matching documents, each linked by `link`."""
        res = self.watch_saved(search_id, None, limit)
        saved = res.saved_search
        assert saved is not None
        ET.register_namespace("", ATOM_NS)

        def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
            # XML 1.0 cannot carry control characters, even escaped: a title read from a PDF may hold some
            el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_safe(v) for k, v in attrs.items()})
            if text is not None:
                el.text = xml_safe(text)
            return el

        feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
        sub(feed, "id", _urn("feed", saved.id))
        sub(feed, "title", f"Action cœur de ville — {saved.name}")
        sub(feed, "subtitle", f"Nouveaux documents pour la recherche « {saved.query} »")
        sub(feed, "updated", res.results[0].ingested_at if res.results else saved.created_at)
        sub(sub(feed, "author"), "name", "Base de connaissances Action cœur de ville")
        sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
        sub(feed, "generator", "acv-kb")
        for e in res.results:
            entry = sub(feed, "entry")
            sub(entry, "id", _urn("doc", f"{saved.id}/{e.doc_id}"))
            sub(entry, "title", e.title or e.source)
            sub(entry, "updated", e.ingested_at)
            if e.date:
                sub(entry, "published", f"{e.date}T00:00:00+00:00")
            sub(entry, "link", rel="alternate", href=link(e))
            page = f" (p. {e.page})" if e.page else ""
            sub(entry, "summary", f"{e.snippet}{page}", type="text")
        return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _urn(kind: str, key: str) -> str:
    """A stable URI for an Atom id: the same feed or entry keeps its id across runs and hosts."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"acv-kb:{kind}:{key}").urn

"""The knowledge base: one object that the CLI, the API and the UI all call.

It opens the store, the embedder and the dense index once, and offers every
capability as a plain function returning plain data (dicts and lists that are
ready for JSON), so the edges stay thin.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from acv import __version__
from acv.errors import InvalidQueryError, NotFoundError
from acv.records import DOC_TYPES
from acv.settings import Settings
from index.analysis import fold, get_analyzer
from index.embedders import Embedder, make_embedder
from index.expansion import ThemeExpander
from index.search import HybridRetriever, Ranking, RetrievalConfig
from index.snippets import make_snippet
from index.store import FACET_NAMES, Filters, Store
from index.vectors import DenseIndex, index_mismatch
from ingest.extract import Extractor
from ingest.pipeline import IngestReport, Ingestor, ProgressCallback, chunk_facets, departement_code, document_metadata_json

log = logging.getLogger(__name__)

AXIS_LABELS = {
    1: "Réhabilitation-restructuration de l'habitat",
    2: "Développement économique et commercial équilibré",
    3: "Accessibilité, mobilité et connexions",
    4: "Formes urbaines, espace public et patrimoine",
    5: "Accès aux équipements et services publics",
}
DOC_TYPE_LABELS = {
    "convention": "Convention",
    "communique": "Communiqué",
    "bonne_pratique": "Bonne pratique",
    "autre": "Autre",
}
FILTER_KEYS = ("axis", "theme", "city", "departement", "region", "doc_type", "date_from", "date_to")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(slots=True)
class SearchRequest:
    query: str
    filters: Mapping[str, Any]
    k: int = 10
    offset: int = 0
    group_by_document: bool = False
    method: str | None = None


class KnowledgeBase:
    """Everything acv-kb can do, over one data directory."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.analyzer = get_analyzer()
        self.store = Store(settings.store_path)
        self.extractor = Extractor.from_paths(settings.gazetteer_path, settings.themes_path)
        self._embedder = embedder
        self._dense: DenseIndex | None = None
        self._retriever: HybridRetriever | None = None
        self._lock = threading.RLock()
        self._communes = {c.insee: c for c in self.extractor.gazetteer.all()}

    # -- lazily opened heavy parts -------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    @property
    def dense(self) -> DenseIndex:
        with self._lock:
            if self._dense is None:
                emb = self.embedder
                stored = self.store.get_meta("embedder")
                if stored is None:
                    self.store.set_meta("embedder", emb.id)
                elif stored != emb.id:
                    raise index_mismatch(stored, emb.id)
                self._dense = DenseIndex(self.store, self.settings.vectors_dir, emb.id, emb.dimension)
            return self._dense

    @property
    def retriever(self) -> HybridRetriever:
        with self._lock:
            if self._retriever is None:
                s = self.settings
                self._retriever = HybridRetriever(
                    self.store, self.analyzer, self.embedder, self.dense,
                    RetrievalConfig(fusion=s.fusion, lexical_weight=s.bm25_weight, rrf_k=s.rrf_k,
                                    candidates=s.candidates, correct_typos=s.correct_typos,
                                    expand_themes=s.expand_themes, adaptive=s.adaptive_fusion,
                                    min_coverage=s.relevance_min_coverage, min_dense=s.relevance_min_dense),
                    city_names={fold(c.name) for c in self._communes.values()},
                    expander=ThemeExpander(self.extractor.taxonomy.themes, self.analyzer, self.embedder, self.store),
                )
            return self._retriever

    def ingestor(self) -> Ingestor:
        s = self.settings
        return Ingestor(
            self.store, self.analyzer, self.extractor, self.embedder, self.dense,
            chunk_min_words=s.chunk_min_words, chunk_max_words=s.chunk_max_words,
            max_bytes=s.max_file_mb * 1024 * 1024, batch_size=s.embed_batch_size,
            parse_isolation=s.parse_isolation, parse_timeout_s=s.parse_timeout_s,
            parse_memory_mb=s.parse_memory_mb or None,
            workers=s.ingest_workers, max_passages=s.max_passages_per_document,
        )

    # -- writing ---------------------------------------------------------------------

    def ingest(self, paths: Sequence[Path | str], prune: bool = False,
               progress: ProgressCallback | None = None) -> IngestReport:
        return self.ingestor().ingest([Path(p) for p in paths], prune=prune, progress=progress)

    def delete_document(self, doc_id: str) -> None:
        if not self.store.delete_document(doc_id):
            raise NotFoundError(f"Document introuvable : « {doc_id} ».", {"doc_id": doc_id})
        self.dense.sync()
        self.dense.save()

    def reindex_metadata(self) -> int:
        """Re-run document understanding on stored chunks; no re-embedding, no re-reading."""
        from acv.records import Block, ParsedDocument

        count = 0
        for doc in self.store.documents():
            chunks = self.store.chunks_of(doc["id"])
            old_meta = json.loads(doc["metadata"])
            reader = old_meta.get("reader", {})
            blocks = [Block(text=c["text"], page=c["page"]) for c in chunks]
            parsed = ParsedDocument.build(doc["source"], doc["format"], blocks, title=doc["title"], meta=reader,
                                          page_count=doc["page_count"])
            chunk_metas = [self.extractor.chunk(c["text"], c["section"]) for c in chunks]
            meta = self.extractor.document(parsed, chunk_metas)
            from dataclasses import asdict

            updates = [
                (c["id"], asdict(cm), chunk_facets(cm, meta, self.extractor)) for c, cm in zip(chunks, chunk_metas)
            ]
            doc_json = document_metadata_json(meta, None)
            doc_json["reader"] = reader
            self.store.update_metadata(
                doc["id"],
                {"title": meta.title or doc["title"], "doc_type": meta.doc_type, "date": meta.date, "metadata": doc_json},
                updates,
            )
            count += 1
        return count

    def reindex_vectors(self, progress: ProgressCallback | None = None) -> int:
        """Re-embed every chunk with the configured embedder (after a model change)."""
        from ingest.pipeline import embed_key
        import numpy as np

        emb = self.embedder
        rows = self.store.con.execute("SELECT id, text, doc_id FROM chunks ORDER BY id").fetchall()
        done = 0
        batch = self.settings.embed_batch_size
        for i in range(0, len(rows), batch):
            part = rows[i : i + batch]
            keys = [embed_key(emb.id, r["text"]) for r in part]
            cached = self.store.existing_embeddings(keys)
            need = [j for j, k in enumerate(keys) if k not in cached]
            vecs = emb.embed_passages([part[j]["text"] for j in need]) if need else []
            with self.store.transaction() as con:
                con.executemany(
                    "INSERT OR IGNORE INTO embeddings(key, vector) VALUES (?, ?)",
                    [(keys[j], np.asarray(v, dtype=np.float32).tobytes()) for j, v in zip(need, vecs)],
                )
                con.executemany("UPDATE chunks SET embed_key = ? WHERE id = ?", [(k, r["id"]) for k, r in zip(keys, part)])
                con.executemany("INSERT INTO vector_log(chunk_id, op) VALUES (?, 'add')", [(r["id"],) for r in part])
            done += len(need)
        self.store.set_meta("embedder", emb.id)
        for name in ("dense.faiss", "dense.json"):
            (self.settings.vectors_dir / name).unlink(missing_ok=True)
        with self._lock:
            self._dense = None
            self._retriever = None
        self.dense.save()
        return done

    # -- filters -----------------------------------------------------------------

    def resolve_filters(self, raw: Mapping[str, Any]) -> Filters:
        """Canonical filters from user values; unknown values get a French error that says what is accepted."""
        unknown = set(raw) - set(FILTER_KEYS)
        if unknown:
            raise InvalidQueryError(
                f"Filtre inconnu : {', '.join(sorted(unknown))}. Filtres possibles : {', '.join(FILTER_KEYS)}.",
                {"filters": sorted(unknown)},
            )
        f = Filters()

        def values(key: str) -> list[str]:
            v = raw.get(key)
            if v is None or v == "" or v == []:
                return []
            items = v if isinstance(v, (list, tuple)) else [v]
            return [str(x).strip() for x in items if str(x).strip()]

        for v in values("axis"):
            if v not in {"1", "2", "3", "4", "5"}:
                raise InvalidQueryError(f"Axe inconnu : « {v} ». Les axes vont de 1 à 5.", {"axis": v})
            f.axis.append(v)
        for v in values("theme"):
            f.theme.append(self._theme_id(v))
        for v in values("city"):
            f.city.append(self._commune(v).insee)
        for v in values("departement"):
            f.departement.append(self._departement(v))
        for v in values("region"):
            f.region.append(self._region(v))
        for v in values("doc_type"):
            if v not in DOC_TYPES:
                raise InvalidQueryError(
                    f"Type de document inconnu : « {v} ». Types possibles : {', '.join(DOC_TYPES)}.", {"doc_type": v}
                )
            f.doc_type.append(v)
        f.date_from = self._date(raw.get("date_from"), "date_from")
        f.date_to = self._date(raw.get("date_to"), "date_to")
        if f.date_from and f.date_to and f.date_from > f.date_to:
            raise InvalidQueryError("La date de début est postérieure à la date de fin.",
                                    {"date_from": f.date_from, "date_to": f.date_to})
        return f

    @staticmethod
    def _date(value: Any, key: str) -> str | None:
        if value in (None, ""):
            return None
        text = str(value).strip()
        if _DATE.match(text):
            try:
                date.fromisoformat(text)
                return text
            except ValueError:
                pass
        raise InvalidQueryError(f"Date invalide pour « {key} » : « {text} ». Format attendu : AAAA-MM-JJ.", {key: text})

    def _commune(self, value: str):
        if value in self._communes:
            return self._communes[value]
        key = _place_key(value)
        for c in self._communes.values():
            if _place_key(c.name) == key:
                return c
        raise InvalidQueryError(
            f"Ville inconnue : « {value} ». Indiquez une commune du programme Action cœur de ville ou son code INSEE.",
            {"city": value},
        )

    def _departement(self, value: str) -> str:
        key = _place_key(value)
        for c in self._communes.values():
            if key in (_place_key(c.departement), c.departement_code.lower()):
                return c.departement_code
        raise InvalidQueryError(f"Département inconnu : « {value} ».", {"departement": value})

    def _region(self, value: str) -> str:
        key = _place_key(value)
        for c in self._communes.values():
            if key in (_place_key(c.region), c.region_code):
                return c.region
        raise InvalidQueryError(f"Région inconnue : « {value} ».", {"region": value})

    def _theme_id(self, value: str) -> str:
        key = fold(value).replace("-", " ").strip()
        for theme in self.extractor.taxonomy.themes:
            names = [theme["id"], theme.get("label", "")]
            if key in (fold(n).replace("-", " ").strip() for n in names):
                return theme["id"]
        raise InvalidQueryError(f"Thème inconnu : « {value} ».", {"theme": value})

    # -- search ------------------------------------------------------------------------

    def validate_query(self, query: str, k: int, offset: int = 0) -> str:
        query = (query or "").strip()
        if not query:
            raise InvalidQueryError("La requête est vide : saisissez quelques mots.", {"q": query})
        if len(query) > self.settings.max_query_chars:
            raise InvalidQueryError(
                f"La requête est trop longue ({len(query)} caractères ; maximum {self.settings.max_query_chars}).",
                {"max": self.settings.max_query_chars},
            )
        if not 1 <= k <= self.settings.max_k:
            raise InvalidQueryError(f"Le nombre de résultats doit être entre 1 et {self.settings.max_k}.", {"k": k})
        if offset < 0 or offset > 10_000:
            raise InvalidQueryError("Le décalage doit être entre 0 et 10 000.", {"offset": offset})
        return query

    def search(self, query: str, filters: Mapping[str, Any] | None = None, k: int = 10, offset: int = 0,
               *, group_by_document: bool = False, method: str | None = None,
               with_facets: bool = False) -> dict[str, Any]:
        """Ranked passages for a query, in the shape of `acv search --json`."""
        t0 = time.perf_counter()
        raw_filters = dict(filters or {})
        query = self.validate_query(query, k, offset)
        resolved = self.resolve_filters(raw_filters)
        ranking = self.retriever.rank(query, resolved, limit=k + offset, method=method)
        hits = ranking.hits
        if ranking.no_relevant_result:
            hits = []
        wanted = hits if group_by_document else hits[offset : offset + k]
        rows = self.store.chunks_with_documents([h.chunk_id for h in wanted])
        results: list[dict[str, Any]] = []
        if group_by_document:
            seen: dict[str, dict[str, Any]] = {}
            for h in hits:
                row = rows.get(h.chunk_id)
                if row is None:
                    continue
                if row["doc_id"] in seen:
                    seen[row["doc_id"]]["passages"].append(self._result(h.chunk_id, h.score, row, ranking, 0))
                    continue
                entry = self._result(h.chunk_id, h.score, row, ranking, 0)
                entry["passages"] = []
                seen[row["doc_id"]] = entry
            grouped = list(seen.values())
            total = len(grouped)
            results = grouped[offset : offset + k]
        else:
            total = len(hits)
            for rank, h in enumerate(hits[offset : offset + k], start=offset + 1):
                row = rows.get(h.chunk_id)
                if row is not None:
                    results.append(self._result(h.chunk_id, h.score, row, ranking, rank))
        for i, r in enumerate(results, start=offset + 1):
            r["rank"] = i
        out: dict[str, Any] = {
            "query": query,
            "filters": resolved.as_dict(),
            "total": total,
            "no_relevant_result": ranking.no_relevant_result,
            "results": results,
        }
        if with_facets:
            out["facets"] = self.named_facets(self.store.facet_counts([h.chunk_id for h in hits]))
        out["took_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        return out

    def search_batch(self, requests: Sequence[Mapping[str, Any]], k: int = 10) -> list[dict[str, Any]]:
        out = []
        for req in requests:
            try:
                res = self.search(str(req.get("query", "")), req.get("filters") or {}, int(req.get("k", k)))
            except InvalidQueryError as exc:
                res = {"query": req.get("query"), "error": {"code": exc.code, "message": exc.message,
                                                           "details": exc.details}}
            res = {"id": req.get("id"), **res}
            out.append(res)
        return out

    def _result(self, chunk_id: int, score: float, row: Any, ranking: Ranking, rank: int) -> dict[str, Any]:
        doc_meta = json.loads(row["doc_metadata"])
        chunk_meta = json.loads(row["chunk_metadata"])
        snippet, highlights = make_snippet(row["text"], ranking.terms, self.analyzer)
        cities = [self.city_ref(i) for i in doc_meta.get("cities", [])]
        return {
            "rank": rank,
            "score": round(float(score), 6),
            "chunk_id": chunk_id,
            "doc_id": row["doc_id"],
            "source": row["source"],
            "title": row["title"],
            "doc_type": row["doc_type"],
            "date": row["date"],
            "format": row["format"],
            "cities": [c for c in cities if c],
            "departements": sorted({c["departement"] for c in cities if c} | set(doc_meta.get("departements", []))),
            "regions": sorted({c["region"] for c in cities if c} | set(doc_meta.get("regions", []))),
            "axes": chunk_meta.get("axes") or doc_meta.get("axes", []),
            "themes": chunk_meta.get("themes") or doc_meta.get("themes", []),
            "page": row["page"],
            "section": row["section"],
            "text": row["text"],
            "snippet": snippet,
            "highlights": highlights,
            "amounts": chunk_meta.get("amounts", []),
            "funders": chunk_meta.get("funders", []),
        }

    def city_ref(self, insee: str) -> dict[str, Any] | None:
        c = self._communes.get(insee)
        if c is None:
            return None
        return {"insee": c.insee, "name": c.name, "departement": c.departement, "departement_code": c.departement_code,
                "region": c.region}

    def similar(self, chunk_id: int, k: int = 10, filters: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Comparable passages from other towns ("projets comparables")."""
        row = self.store.chunk(chunk_id)
        if row is None:
            raise NotFoundError(f"Passage introuvable : {chunk_id}.", {"chunk_id": chunk_id})
        doc = self.store.document(row["doc_id"])
        resolved = self.resolve_filters(dict(filters or {}))
        resolved.exclude_docs = [row["doc_id"]]
        doc_cities = json.loads(doc["metadata"]).get("cities", []) if doc else []
        resolved.exclude_cities = list(doc_cities)
        ids, vecs = self.store.vectors_for([chunk_id], self.embedder.dimension)
        if not len(ids):
            raise NotFoundError("Ce passage n'a pas de vecteur ; relancez l'ingestion.", {"chunk_id": chunk_id})
        allowed = self.store.allowed_chunk_ids(resolved)
        found, scores = self.dense.search(vecs[0], k, allowed)
        rows = self.store.chunks_with_documents([int(i) for i in found])
        terms = self.analyzer.terms(row["text"])[:30]
        ranking = Ranking([], terms, 0.0, 0.0)
        results = []
        for rank, (cid, score) in enumerate(zip(found, scores), start=1):
            r = rows.get(int(cid))
            if r is not None:
                results.append(self._result(int(cid), float(score), r, ranking, rank))
        return {"chunk_id": chunk_id, "doc_id": row["doc_id"], "results": results}

    # -- browsing --------------------------------------------------------------------------

    def document_summary(self, row: Any, chunk_count: int | None = None) -> dict[str, Any]:
        meta = json.loads(row["metadata"])
        cities = [c for c in (self.city_ref(i) for i in meta.get("cities", [])) if c]
        mentioned = [c for c in (self.city_ref(i) for i in meta.get("mentioned_cities", [])) if c]
        return {
            "doc_id": row["id"],
            "source": row["source"],
            "title": row["title"],
            "doc_type": row["doc_type"],
            "date": row["date"],
            "format": row["format"],
            "cities": cities,
            "mentioned_cities": mentioned,
            "departements": sorted({c["departement"] for c in cities} | set(meta.get("departements", []))),
            "regions": sorted({c["region"] for c in cities} | set(meta.get("regions", []))),
            "axes": meta.get("axes", []),
            "themes": meta.get("themes", []),
            "amounts": meta.get("amounts", []),
            "funders": meta.get("funders", []),
            "page_count": row["page_count"],
            "chunks": chunk_count,
            "content_hash": row["content_hash"],
            "ingested_at": row["ingested_at"],
        }

    def documents(self, filters: Mapping[str, Any] | None = None, limit: int | None = None,
                  offset: int = 0) -> dict[str, Any]:
        counts = self.store.chunk_counts()
        rows = self.store.documents()
        resolved = self.resolve_filters(dict(filters or {}))
        if not resolved.is_empty():
            keep = {r[0] for r in self.store.con.execute(
                f"SELECT DISTINCT doc_id FROM chunks WHERE id IN ({self.store.filter_sql(resolved)[0]})",
                self.store.filter_sql(resolved)[1])}
            rows = [r for r in rows if r["id"] in keep]
        total = len(rows)
        rows = rows[offset : offset + limit if limit else None]
        return {"total": total, "documents": [self.document_summary(r, counts.get(r["id"], 0)) for r in rows]}

    def document(self, doc_id: str) -> dict[str, Any]:
        row = self.store.document(doc_id)
        if row is None:
            raise NotFoundError(f"Document introuvable : « {doc_id} ».", {"doc_id": doc_id})
        chunks = self.store.chunks_of(doc_id)
        out = self.document_summary(row, len(chunks))
        out["chunks"] = [
            {"chunk_id": c["id"], "ordinal": c["ordinal"], "page": c["page"], "section": c["section"],
             "start": c["start"], "end": c["end"], "text": c["text"], **{
                 k: v for k, v in json.loads(c["metadata"]).items() if k in ("axes", "themes", "amounts", "funders")}}
            for c in chunks
        ]
        return out

    def document_by_content(self, content_hash: str) -> str | None:
        """The id of a stored document with these exact bytes (sha256), so an upload is not stored twice."""
        row = self.store.con.execute("SELECT id FROM documents WHERE content_hash = ? LIMIT 1",
                                     (content_hash,)).fetchone()
        return None if row is None else str(row[0])

    def document_file(self, doc_id: str) -> Path:
        row = self.store.document(doc_id)
        if row is None:
            raise NotFoundError(f"Document introuvable : « {doc_id} ».", {"doc_id": doc_id})
        path = Path(row["source"])
        if not path.is_file():
            raise NotFoundError("Le fichier original n'est plus disponible.", {"doc_id": doc_id})
        return path

    def named_facets(self, counts: Mapping[str, Mapping[str, int]]) -> dict[str, list[dict[str, Any]]]:
        """Facet counts with labels users can read."""
        out: dict[str, list[dict[str, Any]]] = {}
        themes = {t["id"]: t.get("label", t["id"]) for t in self.extractor.taxonomy.themes}
        deps = {c.departement_code: c.departement for c in self._communes.values()}
        for name in FACET_NAMES:
            items = []
            for value, n in counts.get(name, {}).items():
                if name == "axis":
                    label = f"Axe {value} — {AXIS_LABELS.get(int(value), '')}" if value.isdigit() else value
                elif name == "theme":
                    label = themes.get(value, value)
                elif name in ("city", "mentioned_city"):
                    c = self._communes.get(value)
                    label = c.name if c else value
                elif name == "departement":
                    label = f"{deps.get(value, value)} ({value})"
                elif name == "doc_type":
                    label = DOC_TYPE_LABELS.get(value, value)
                else:
                    label = value
                items.append({"value": value, "label": label, "count": n})
            items.sort(key=lambda x: (-x["count"], x["label"]))
            out[name] = items
        return out

    def facets(self) -> dict[str, list[dict[str, Any]]]:
        return self.named_facets(self.store.all_facet_counts())

    def cities(self) -> list[dict[str, Any]]:
        counts = self.store.all_facet_counts().get("city", {})
        out = []
        for c in sorted(self._communes.values(), key=lambda c: fold(c.name)):
            out.append({**(self.city_ref(c.insee) or {}), "population": c.population, "longitude": c.longitude,
                        "latitude": c.latitude, "documents": counts.get(c.insee, 0)})
        return out

    def city(self, insee: str) -> dict[str, Any]:
        c = self._communes.get(insee)
        if c is None:
            try:
                c = self._commune(insee)
            except InvalidQueryError as exc:
                raise NotFoundError(f"Commune inconnue : « {insee} ».", {"insee": insee}) from exc
        docs = self.documents({"city": c.insee})["documents"]
        by_axis: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for d in docs:
            for a in d["axes"] or [0]:
                by_axis[str(a)].append({"doc_id": d["doc_id"], "title": d["title"], "date": d["date"],
                                        "doc_type": d["doc_type"]})
        timeline = sorted(
            ({"date": d["date"], "doc_id": d["doc_id"], "title": d["title"], "doc_type": d["doc_type"]}
             for d in docs if d["date"]),
            key=lambda x: x["date"],
        )
        return {
            **(self.city_ref(c.insee) or {}),
            "population": c.population,
            "longitude": c.longitude,
            "latitude": c.latitude,
            "documents": docs,
            "by_axis": dict(sorted(by_axis.items())),
            "timeline": timeline,
            "comparable_cities": self.comparable_cities(c.insee),
        }

    def comparable_cities(self, insee: str, k: int = 5) -> list[dict[str, Any]]:
        """Towns of similar size, the same region first, and those whose documents share themes."""
        import math

        c = self._communes[insee]
        counts = self.store.all_facet_counts().get("city", {})
        my_themes = set()
        for d in self.documents({"city": insee})["documents"]:
            my_themes.update(d["themes"])
        theme_by_city: dict[str, set[str]] = defaultdict(set)
        if my_themes:
            for value, doc_id in self.store.con.execute(
                "SELECT DISTINCT f2.value, f1.value FROM facets f1 JOIN facets f2 ON f1.doc_id = f2.doc_id"
                " WHERE f1.name = 'theme' AND f2.name = 'city'"
            ):
                theme_by_city[value].add(doc_id)
        scored = []
        for other in self._communes.values():
            if other.insee == insee:
                continue
            size = abs(math.log(max(other.population, 1) / max(c.population, 1)))
            shared = sorted(theme_by_city.get(other.insee, set()) & my_themes)
            score = size + (0.0 if other.region == c.region else 0.7) - 0.25 * len(shared)
            scored.append((score, other, shared))
        scored.sort(key=lambda x: (x[0], x[1].name))
        return [
            {**(self.city_ref(o.insee) or {}), "population": o.population, "documents": counts.get(o.insee, 0),
             "shared_themes": shared}
            for _s, o, shared in scored[:k]
        ]

    def stats(self) -> dict[str, Any]:
        docs = self.store.documents()
        by_type: dict[str, int] = defaultdict(int)
        for d in docs:
            by_type[d["doc_type"]] += 1
        return {
            "version": __version__,
            "documents": len(docs),
            "chunks": self.store.count("chunks"),
            "vectors": self.store.count("embeddings"),
            "by_type": dict(by_type),
            "embedder": self.store.get_meta("embedder") or f"{self.settings.embedder} (non initialisé)",
            "fusion": self.settings.fusion,
            "data_dir": str(self.settings.data_dir),
        }

    def health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "version": __version__,
            "documents": self.store.count("documents"),
            "chunks": self.store.count("chunks"),
            "indexed_vectors": self._synced_dense_count(),
            "model": self.embedder.id,
        }

    def _synced_dense_count(self) -> int:
        """The FAISS count after catching up with writes made by other processes (an `acv ingest`)."""
        self.dense.sync()
        return self.dense.count()

    def close(self) -> None:
        if self._dense is not None:
            self._dense.save()
        self.store.close()


def _place_key(value: str) -> str:
    key = fold(value).replace("-", " ").replace("'", " ").replace("’", " ")
    key = re.sub(r"\bst\b\.?", "saint", key)
    key = re.sub(r"\bste\b\.?", "sainte", key)
    return " ".join(key.split())

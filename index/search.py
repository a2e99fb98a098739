"""Hybrid retrieval: French BM25 and dense vectors, filtered inside each, fused into one ranking.

This module ranks chunk ids; turning them into results with text, metadata
and snippets is the knowledge base's job. Each technique here was kept
because it measured better on the judged queries (docs/DECISIONS.md):
misspelt terms corrected against the index vocabulary, lexical scores scaled
by how much of the query a chunk really holds, near-duplicate passages pushed
down and the first places from distinct documents, and a "nothing relevant"
bar.

`HybridRetriever.rank` is a short pipeline of named steps (analyse and
correct, expand, lexical retrieve, dense retrieve, coverage, fuse, diversify,
relevance bar). Each retriever runs once per query, with the filters applied
inside it; expansion terms, corrections and coverage are scored on that one
lexical candidate set. The fusion is chosen once per query (`FusionPlan`).
"""

from __future__ import annotations

import difflib
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from index.analysis import FrenchAnalyzer
from index.embedders.base import Embedder
from index.exact_lookup import Holders, excluded, holders, promote, title_chunks
from index.exact_lookup import plan as exact_plan
from index.expansion import ThemeExpander
from index.fusion import fuse
from index.grouping import NEAR_DUPLICATES, PageRepeats, distinct_documents_first
from index.lexical import LexicalIndex
from index.lexical_tantivy import Constraint
from index.query_bodies import QueryBodies
from index.query_syntax import parse
from index.relevance import CommuneNames, RelevanceSignals
from index.relevance import assess as assess_relevance
from index.relevance import reason as relevance_reason
from index.store import Filters, Store
from index.vectors import DenseIndex


@dataclass(slots=True)
class RankedChunk:
    chunk_id: int
    score: float
    lexical: float | None = None
    dense: float | None = None


@dataclass(slots=True)
class Ranking:
    hits: list[RankedChunk]
    terms: list[str]
    coverage: float  # idf-weighted share of the query's terms found in the best chunks
    best_dense: float  # cosine of the best dense hit
    no_relevant_result: bool = False
    diagnostics: dict[str, float] = field(default_factory=dict)
    documents: dict[int, str] = field(default_factory=dict)  # the document of each hit looked up while ranking
    reason: str | None = None  # why nothing relevant was found (index/relevance.py REASONS), None otherwise


@dataclass(slots=True)
class RetrievalConfig:
    fusion: str = "weighted"
    lexical_weight: float = 0.5
    rrf_k: int = 60
    candidates: int = 100
    coverage_scaling: bool = True  # lexical scores scaled by the idf-weighted share of the query a chunk holds
    correct_typos: bool = True
    # Passages holding the query as typed first and never « nothing relevant » (index/exact_lookup.py).
    exact_first: bool = True
    expand_themes: bool = True
    expansion_weight: float = 0.5  # idf share an expansion term counts for, against a query term
    dedup_threshold: float = 0.8  # term-set Jaccard above which a passage is a near-duplicate
    distinct_first: int = 5  # first places of the page from distinct documents (index/grouping.py; 0 = off)
    near_duplicates: str = NEAR_DUPLICATES  # which repeats wait below the page (index/grouping.py PageRepeats)
    min_coverage: float = 0.24  # the "nothing relevant" bar of lexical-only rankings (index/relevance.py)
    query_cache_size: int = 256


FUSIONS = ("weighted", "rrf", "lexical", "dense")


@dataclass(frozen=True, slots=True)
class FusionPlan:
    """The retrievers a query runs and the one fusion applied to their rankings."""

    name: str
    lexical: bool
    dense: bool
    weight: float
    rrf_k: int = 60

    def fuse(self, lexical: list[tuple[int, float]], dense: list[tuple[int, float]]) -> list[tuple[int, float]]:
        return fuse(self.name, lexical, dense, self.weight, self.rrf_k)


@dataclass(slots=True)
class Coverage:
    idf: dict[str, float]  # idf of each query term
    chunk: dict[int, float]  # lexical candidate → idf-weighted share of the query's terms it holds
    fusion_lexical: list[tuple[int, float]]  # the lexical ranking handed to the fusion


class HybridRetriever:
    def __init__(
        self,
        store: Store,
        analyzer: FrenchAnalyzer,
        embedder: Embedder | None,
        dense: DenseIndex | None,
        config: RetrievalConfig,
        expander: "ThemeExpander | None" = None,
        lexical: LexicalIndex | None = None,
        communes: CommuneNames | None = None,
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self.embedder = embedder
        self.dense = dense
        # The lexical read side lives beside the store (data_dir/lexical) unless one is passed in.
        self.lexical = lexical if lexical is not None else LexicalIndex(store)
        self.config = config
        self.expander = expander
        self.communes = communes  # gazetteer names for the « nothing relevant » commune rule (off without them)
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vocab: dict[str, int] = {}
        self._vocab_seq = -1
        self._vocab_by_initial: dict[str, list[str]] = {}
        self._corrections: dict[tuple[str, int], str] = {}
        self._lock = threading.Lock()

    # -- query side ------------------------------------------------------------------

    def query_vector(self, query: str) -> np.ndarray | None:
        """The query's embedding, from a small LRU cache when the same query comes again."""
        if self.embedder is None:
            return None
        with self._lock:
            vec = self._query_vectors.get(query)
            if vec is not None:
                self._query_vectors.move_to_end(query)
                return vec
        vec = self.embedder.embed_query(query)
        with self._lock:
            self._query_vectors[query] = vec
            if len(self._query_vectors) > self.config.query_cache_size:
                self._query_vectors.popitem(last=False)
        return vec

    def vocabulary(self) -> dict[str, int]:
        """Index terms and their chunk frequencies, reloaded when the lexical index moves on."""
        self.lexical.sync()
        seq = self.lexical.position
        if seq != self._vocab_seq:
            vocab = self.lexical.vocabulary()
            by_initial: dict[str, list[str]] = {}
            for term in vocab:
                by_initial.setdefault(term[:1], []).append(term)
            with self._lock:
                self._vocab, self._vocab_by_initial, self._vocab_seq = vocab, by_initial, seq
        return self._vocab

    def correct(self, terms: list[str]) -> list[str]:
        """Replace terms absent from the index by their closest indexed term (misspellings)."""
        vocab = self.vocabulary()
        out: list[str] = []
        for term in terms:
            if term in vocab or term.isdigit() or len(term) < 4:
                out.append(term)
                continue
            cached = self._corrections.get((term, self._vocab_seq))
            if cached is not None:
                out.append(cached)
                continue
            pool = [v for v in self._vocab_by_initial.get(term[:1], []) if abs(len(v) - len(term)) <= 5]
            # A stem that is a prefix of the typed word (« rehabilitaton » → « rehabilit »)…
            prefixes = [v for v in pool if len(v) >= 5 and term.startswith(v) and len(term) - len(v) <= 5]
            # …or a close spelling (« comercial » → « commercial »).
            close = difflib.get_close_matches(term, pool, n=3, cutoff=0.8)
            candidates = close or prefixes
            fixed = term
            if candidates:
                fixed = max(candidates, key=lambda v: (difflib.SequenceMatcher(None, term, v).ratio(), vocab[v]))
            if len(self._corrections) > 10_000:
                self._corrections.clear()
            self._corrections[(term, self._vocab_seq)] = fixed
            out.append(fixed)
        return out

    # -- ranking ---------------------------------------------------------------------------

    def rank(self, query: str, filters: Filters, limit: int, method: str | None = None) -> Ranking:
        """One pass per retriever: analyse, expand, retrieve (lexical, dense), cover, fuse, diversify, bar."""
        cfg = self.config
        parsed = parse(query)  # phrases, -word, titre: (index/query_syntax.py); the retrievers read its text
        text = parsed.text or query
        exact = exact_plan(parsed, self.analyzer)
        plan = self.plan(method)
        n = max(cfg.candidates, limit)
        allowed = None if filters.is_empty() else self.store.allowed_chunk_ids(filters)
        if exact.title:
            allowed = title_chunks(self.store, exact.title, allowed)

        raw_terms, terms = self._analyse(text)
        qvec = self.query_vector(text) if plan.dense else None
        expansion = self._expand(terms, qvec) if plan.lexical else {}
        lexical = self._retrieve_lexical(terms, expansion, allowed, n, exact.exclusion) if plan.lexical else []
        dense = self._retrieve_dense(qvec, allowed, n)
        if dense and exact.exclusion.excludes():
            out = excluded(exact, self.lexical, [c for c, _ in dense])
            dense = [(c, s) for c, s in dense if c not in out]
        bodies = self._query_bodies()  # analysed chunk bodies, read once per query and shared by the steps
        cov = self._cover(terms, expansion, lexical, bodies)
        fused = plan.fuse(cov.fusion_lexical, dense)
        # Exact lookups win: the passages holding the query as typed first (index/exact_lookup.py).
        found = holders(exact, self.lexical, [c for c, _ in lexical]) if cfg.exact_first else Holders([], [])
        fused = promote(fused, found, len(exact.terms), exact.quoted)
        documents: dict[int, str] = {}  # chunk → document, read once per query
        lex_map, den_map = dict(lexical), dict(dense)
        hits = self._diversify([RankedChunk(cid, score, lex_map.get(cid), den_map.get(cid)) for cid, score in fused],
                               limit, bodies, documents)
        if cfg.distinct_first > 0:  # the first places from distinct documents, the rest in order
            head = [h.chunk_id for h in hits[: 3 * max(limit, 10)]]
            self._read_documents(head, documents)
            hits = distinct_documents_first(hits, cfg.distinct_first, {c: documents[c] for c in head if c in documents})

        top_ids = [h.chunk_id for h in hits[:10]]
        coverage = max((cov.chunk.get(c, 0.0) for c in top_ids), default=0.0)
        if top_ids and not cov.chunk:  # no lexical candidates (dense-only, or nothing matched): read the top hits
            coverage = self._coverage(cov.idf, top_ids, bodies)
        no_relevant, signals = self._relevance_bar(plan.name, hits, raw_terms, coverage, dense, lexical, bodies,
                                                   query=text, terms=terms)
        why = relevance_reason(signals, cfg.min_coverage) if no_relevant else None
        if found.decisive(exact):  # a passage holds what was typed: never « nothing relevant »
            no_relevant, why = False, None
        return Ranking(hits, terms, coverage, signals.best_dense, no_relevant,
                       {"lexical_weight": plan.weight, "corrected": float(terms != raw_terms),
                        "expansion_terms": float(len(expansion)), "exact_whole": float(len(found.whole)),
                        "exact_every": float(len(found.every)), **signals.as_dict()}, documents, why)

    def _relevance_bar(self, method: str, hits: list[RankedChunk], raw_terms: list[str], coverage: float,
                       dense: list[tuple[int, float]], lexical: list[tuple[int, float]],
                       bodies: QueryBodies | None = None, query: str = "",
                       terms: list[str] | None = None) -> tuple[bool, RelevanceSignals]:
        """The « nothing relevant » decision (index/relevance.py), on the lexical index's statistics, the
        agreement of the two retrievers' candidates, and the communes the query names."""
        cache = self._query_bodies() if bodies is None else bodies
        return assess_relevance(
            method=method, hits=len(hits), raw_terms=raw_terms, coverage=coverage, dense=dense, lexical=lexical,
            doc_freqs=self.lexical.doc_freqs, total_chunks=max(self.lexical.count(), 1),
            matched_terms=lambda ids, terms: cache.present([int(c) for c in ids], terms),
            min_coverage=self.config.min_coverage, body_texts=self.lexical.body_texts,
            query=query, shown=[h.chunk_id for h in hits[:10]], communes=self.communes,
            passage_communes=self._passage_communes, topic_terms=terms)

    def _passage_communes(self, chunk_ids: list[int]) -> dict[int, set[str]]:
        """The communes (INSEE codes) each passage's document is about or mentions, as its facets say."""
        docs = self.store.chunk_doc_ids(chunk_ids)
        rows = self.store.documents(sorted(set(docs.values())))
        meta = {str(r["id"]): json.loads(r["metadata"] or "{}") for r in rows}
        return {c: {*meta[d].get("cities", []), *meta[d].get("mentioned_cities", [])}
                for c, d in docs.items() if d in meta}

    def _query_bodies(self) -> QueryBodies:
        return QueryBodies(self.lexical.body_texts)

    def _read_documents(self, chunk_ids: Sequence[int], documents: dict[int, str]) -> dict[int, str]:
        """The document of each chunk, reading only those not in `documents` (a deleted chunk has none)."""
        missing = [c for c in chunk_ids if c not in documents]
        if missing:
            documents.update(self.store.chunk_doc_ids(missing))
        return documents

    def plan(self, method: str | None = None) -> "FusionPlan":
        """Which retrievers run and how their rankings are fused, decided once per query."""
        cfg = self.config
        name = method or cfg.fusion
        if name not in FUSIONS:
            name = "weighted"
        can_dense = self.dense is not None and self.embedder is not None
        return FusionPlan(name, lexical=name != "dense", dense=name != "lexical" and can_dense,
                          weight=cfg.lexical_weight, rrf_k=cfg.rrf_k)

    def _analyse(self, query: str) -> tuple[list[str], list[str]]:
        """(analysed terms, the same with misspellings corrected against the index vocabulary)."""
        raw = self.analyzer.terms(query)
        return raw, (self.correct(raw) if self.config.correct_typos else raw)

    def _expand(self, terms: list[str], qvec: np.ndarray | None) -> dict[str, float]:
        """Added lexical terms and their boost: synonyms of the themes the query matches (by words or by its
        embedding), at `expansion_weight`."""
        cfg = self.config
        if not cfg.expand_themes or self.expander is None:
            return {}
        return {t: cfg.expansion_weight for t in self.expander.expand(terms, qvec).terms}

    def _retrieve_lexical(
        self, terms: list[str], expansion: dict[str, float], allowed: np.ndarray | None, n: int,
        exclusion: Constraint | None = None,
    ) -> list[tuple[int, float]]:
        """BM25 candidates of the query and its expansion, in one search of the index.

        Expansion terms are boosted by their weight (`expansion_weight` for theme synonyms) in that search.
        The query's own BM25 is then read on those candidates only, and the two parts are each scaled by their
        best (the expansion part then counting for its largest weight), so a rare synonym never outweighs the
        words the user typed.
        """
        weights = {t: 1.0 for t in terms}
        for t, wt in expansion.items():
            weights.setdefault(t, wt)
        typed = set(terms)
        w = max((wt for t, wt in expansion.items() if t not in typed), default=0.0)
        combined = self.lexical.search_weighted(
            weights, n, allowed, constraint=exclusion if exclusion is not None and exclusion.excludes() else None)
        if not combined or len(weights) == len(set(terms)) or w <= 0:
            return combined
        ids = [cid for cid, _ in combined]
        primary = dict(self.lexical.search_weighted({t: 1.0 for t in terms}, len(ids), within=ids)) if terms else {}
        secondary = {cid: (s - primary.get(cid, 0.0)) / w for cid, s in combined}
        noise = 1e-5 * combined[0][1]  # tantivy scores are 32-bit floats: a difference below this is rounding
        return _merge_scaled(sorted(primary.items(), key=lambda kv: -kv[1]),
                             sorted(((c, s) for c, s in secondary.items() if s > noise), key=lambda kv: -kv[1]), w)

    def _retrieve_dense(self, qvec: np.ndarray | None, allowed: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        if qvec is None or self.dense is None:
            return []
        ids, scores = self.dense.search(qvec, n, allowed)
        return [(int(i), float(s)) for i, s in zip(ids, scores)]

    def _cover(self, terms: list[str], expansion: dict[str, float], lexical: list[tuple[int, float]],
               bodies: QueryBodies | None = None) -> "Coverage":
        """Idf-weighted share of the query each lexical candidate holds; BM25 scaled by it for the fusion."""
        cfg = self.config
        bodies = self._query_bodies() if bodies is None else bodies
        idf = self._idf(terms)
        exp_idf = {t: v * expansion[t] for t, v in self._idf(list(expansion)).items() if t not in idf}
        matched = bodies.present([cid for cid, _ in lexical], [*idf, *exp_idf])
        denom = sum(idf.values()) or 1.0
        chunk_cov = {cid: sum(idf.get(t, 0.0) for t in found) / denom for cid, found in matched.items()}
        fusion_lexical = lexical
        if cfg.coverage_scaling and lexical:
            top = lexical[0][1] or 1.0
            fusion_cov = {
                cid: min(1.0, chunk_cov.get(cid, 0.0) + sum(exp_idf.get(t, 0.0) for t in found) / denom)
                for cid, found in matched.items()
            }
            fusion_lexical = sorted(
                ((cid, (s / top) * fusion_cov.get(cid, 0.0)) for cid, s in lexical), key=lambda kv: -kv[1]
            )
        return Coverage(idf, chunk_cov, fusion_lexical)

    def _idf(self, terms: list[str]) -> dict[str, float]:
        unique = list(dict.fromkeys(terms))
        if not unique:
            return {}
        total = max(self.lexical.count(), 1)
        dfs = self.lexical.doc_freqs(unique)
        return {t: math.log(1 + (total - dfs.get(t, 0) + 0.5) / (dfs.get(t, 0) + 0.5)) for t in unique}

    def _coverage(self, idf: dict[str, float], chunk_ids: list[int],
                  bodies: QueryBodies | None = None) -> float:
        """Best idf-weighted share of query terms present in one of the given chunks."""
        if not idf or not chunk_ids:
            return 0.0
        denom = sum(idf.values()) or 1.0
        matched = (self._query_bodies() if bodies is None else bodies).present(chunk_ids, list(idf))
        return max((sum(idf[t] for t in found) / denom for found in matched.values()), default=0.0)

    def _diversify(
        self, hits: list[RankedChunk], limit: int, bodies: QueryBodies | None = None,
        documents: dict[int, str] | None = None,
    ) -> list[RankedChunk]:
        """Keep near-duplicate passages off the first page; drop nothing."""
        cfg = self.config
        page = max(limit, 10)
        if len(hits) <= 1 or cfg.dedup_threshold >= 1.0:
            return hits
        head = hits[: page * 3]
        ids = [h.chunk_id for h in head]
        docs = self._read_documents(ids, {} if documents is None else documents)
        # The analysed bodies SQLite stores, most already read for the lexical candidates' coverage.
        bodies = self._query_bodies() if bodies is None else bodies
        bodies.load(ids)
        info = {c: (docs.get(c, ""), bodies.term_set(c)) for c in ids}
        kept: list[RankedChunk] = []
        deferred: list[RankedChunk] = []
        repeats = PageRepeats(cfg.dedup_threshold, cfg.near_duplicates)  # index/grouping.py: which near-duplicates are pushed down
        for h in head:
            doc, tset = info.get(h.chunk_id, ("", set()))
            if len(kept) >= page or repeats.repeats(tset, doc):
                deferred.append(h)
                continue
            kept.append(h)
            repeats.keep(tset, doc)
        return kept + deferred + hits[page * 3 :]


def _merge_scaled(
    primary: list[tuple[int, float]], secondary: list[tuple[int, float]], weight: float
) -> list[tuple[int, float]]:
    """Primary scores over their best, plus `weight` × secondary scores over theirs."""
    top1 = primary[0][1] if primary and primary[0][1] > 0 else 1.0
    top2 = secondary[0][1] if secondary and secondary[0][1] > 0 else 1.0
    merged: dict[int, float] = {cid: s / top1 for cid, s in primary}
    for cid, s in secondary:
        merged[cid] = merged.get(cid, 0.0) + weight * s / top2
    return sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))

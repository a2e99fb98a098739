"""Hybrid retrieval: French BM25 and dense vectors, filtered inside each, fused into one ranking.

This module ranks chunk ids; turning them into results with text, metadata
and snippets is the knowledge base's job.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from index.analysis import FrenchAnalyzer
from index.embedders.base import Embedder
from index.fusion import fuse
from index.lexical import LexicalIndex
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


@dataclass(slots=True)
class RetrievalConfig:
    fusion: str = "weighted"
    lexical_weight: float = 0.5
    rrf_k: int = 60
    candidates: int = 100
    min_coverage: float = 0.5
    min_dense: float = 0.80
    query_cache_size: int = 256


class HybridRetriever:
    def __init__(
        self,
        store: Store,
        analyzer: FrenchAnalyzer,
        embedder: Embedder | None,
        dense: DenseIndex | None,
        config: RetrievalConfig,
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self.embedder = embedder
        self.dense = dense
        self.lexical = LexicalIndex(store)
        self.config = config
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def query_vector(self, query: str) -> np.ndarray | None:
        """The query's embedding, from a small LRU cache when the same query comes again."""
        if self.embedder is None:
            return None
        vec = self._query_vectors.get(query)
        if vec is None:
            vec = self.embedder.embed_query(query)
            self._query_vectors[query] = vec
            if len(self._query_vectors) > self.config.query_cache_size:
                self._query_vectors.popitem(last=False)
        else:
            self._query_vectors.move_to_end(query)
        return vec

    def rank(self, query: str, filters: Filters, limit: int, method: str | None = None) -> Ranking:
        method = method or self.config.fusion
        terms = self.analyzer.terms(query)
        n = max(self.config.candidates, limit)
        allowed: np.ndarray | None = None
        if not filters.is_empty():
            allowed = self.store.allowed_chunk_ids(filters)

        lexical: list[tuple[int, float]] = []
        if method != "dense":
            lexical = self.lexical.search(terms, filters, n)

        dense: list[tuple[int, float]] = []
        if method != "lexical" and self.dense is not None and self.embedder is not None:
            qvec = self.query_vector(query)
            assert qvec is not None
            ids, scores = self.dense.search(qvec, n, allowed)
            dense = [(int(i), float(s)) for i, s in zip(ids, scores)]

        fused = fuse(method, lexical, dense, self.config.lexical_weight, self.config.rrf_k)
        lex_map = dict(lexical)
        den_map = dict(dense)
        hits = [RankedChunk(cid, score, lex_map.get(cid), den_map.get(cid)) for cid, score in fused]

        coverage = self._coverage(terms, [h.chunk_id for h in hits[:10]])
        best_dense = max((s for _, s in dense), default=0.0)
        no_relevant = not hits or (coverage < self.config.min_coverage and best_dense < self.config.min_dense)
        return Ranking(hits, terms, coverage, best_dense, no_relevant)

    def _coverage(self, terms: list[str], chunk_ids: list[int]) -> float:
        """Best idf-weighted share of query terms present in one of the top chunks."""
        unique = list(dict.fromkeys(terms))
        if not unique or not chunk_ids:
            return 0.0
        total_chunks = max(self.store.count("chunks"), 1)
        dfs = self.store.term_doc_freqs(unique)
        idf = {t: math.log(1 + (total_chunks - dfs.get(t, 0) + 0.5) / (dfs.get(t, 0) + 0.5)) for t in unique}
        denom = sum(idf.values()) or 1.0
        matched = self.lexical.matched_terms(chunk_ids, unique)
        return max((sum(idf[t] for t in found) / denom for found in matched.values()), default=0.0)

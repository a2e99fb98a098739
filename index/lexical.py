"""The lexical retriever: BM25 over the analysed French text, filtered inside the search.

Ranking is done by a tantivy index (index/lexical_tantivy.py), a read side
derived from the SQLite store and kept in step with it through the store's
log; the analysed bodies themselves stay in SQLite, in a plain table
(`chunk_terms`, no full-text index: nothing ranks in SQLite) written in the
same transaction as the chunk, and are read from there for coverage,
diversification and the relevance bar.
Queries are built from analysed terms and words only, never parsed by the
engine: the operators users may type (phrases, exclusions) are read by
index/query_syntax.py and reach the engine as a `Constraint`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.lexical_tantivy import Constraint, TantivyLexical
from index.store import Filters, Store

LEXICAL_DIR = "lexical"


class LexicalIndex:
    """BM25 retrieval, document frequencies and analysed bodies of one store's chunks."""

    def __init__(self, store: Store, directory: Path | None = None) -> None:
        self.store = store
        self.engine = TantivyLexical(store, Path(directory) if directory else store.path.parent / LEXICAL_DIR)

    def search(
        self, terms: Sequence[str], filters: Filters, limit: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(chunk id, BM25 score) best first for the OR of `terms`, among the chunks passing `filters`."""
        if allowed is None and not filters.is_empty():
            allowed = self.store.allowed_chunk_ids(filters)
        return self.search_weighted({t: 1.0 for t in terms if t}, limit, allowed)

    def search_weighted(
        self, terms: dict[str, float], limit: int, allowed: np.ndarray | None = None,
        within: Sequence[int] | None = None, constraint: Constraint | None = None,
    ) -> list[tuple[int, float]]:
        """Like `search`, each term with a boost; `allowed` / `within` restrict the chunks scored, `constraint`
        keeps those holding what it requires (all the terms, the phrases as written) and none it excludes."""
        return self.engine.search(terms, limit, allowed, within, constraint)

    def sync(self) -> int:
        return self.engine.sync()

    def count(self) -> int:
        """Chunks indexed (equal to the store's after a sync)."""
        return self.engine.count()

    def doc_freqs(self, terms: Sequence[str]) -> dict[str, int]:
        return self.engine.doc_freqs(terms)

    def ids(self) -> list[int]:
        return self.engine.ids()

    def vocabulary(self) -> dict[str, int]:
        return self.engine.vocabulary()

    @property
    def position(self) -> int:
        """The store log position the index reflects."""
        return self.engine.position

    def body_texts(self, chunk_ids: Sequence[int]) -> dict[int, str]:
        """The analysed body of each chunk (terms joined by single spaces), read from SQLite, 500 ids a query."""
        return dict(self.store.analysed_bodies(list(dict.fromkeys(int(c) for c in chunk_ids))))

"""BM25 with SQLite FTS5 over the analysed text, as it was before the tantivy read side.

Kept as the measured alternative (bench/scale.py --lexical-engines) and for
reading the analysed bodies. `bounded=True` caps the work of the OR-query:
terms found in more than `common_share` of the chunks are dropped from the
match (as Lucene's common-terms cutoff does), keeping at least the rarest
`keep` terms, so the posting lists read stay short.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.store import Store


def match_expression(terms: Sequence[str]) -> str:
    """An FTS5 OR-query of quoted terms (terms are \\w+ tokens, quotes doubled anyway)."""
    unique = list(dict.fromkeys(t for t in terms if t))
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)


class Fts5Lexical:
    kind = "fts5"

    def __init__(self, store: Store, bounded: bool = False, common_share: float = 0.05, keep: int = 3) -> None:
        self.store = store
        self.bounded = bounded
        self.common_share = common_share
        self.keep = keep

    def search(self, terms: dict[str, float], limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(chunk id, BM25) best first; boosts other than 1 are ignored (FTS5 weighs columns, not terms)."""
        words = list(terms)
        if self.bounded and words:
            total = max(self.store.count("chunks"), 1)
            dfs = self.store.term_doc_freqs(words)
            by_rarity = sorted(words, key=lambda t: dfs.get(t, 0))
            words = [t for i, t in enumerate(by_rarity) if i < self.keep or dfs.get(t, 0) <= self.common_share * total]
        expr = match_expression(words)
        if not expr or limit <= 0:
            return []
        sql = "SELECT rowid, -bm25(chunks_fts) AS score FROM chunks_fts WHERE chunks_fts MATCH ?"
        params: list[object] = [expr]
        if allowed is not None:
            if len(allowed) == 0:
                return []
            self.store.con.execute("CREATE TEMP TABLE IF NOT EXISTS _allowed(id INTEGER PRIMARY KEY)")
            self.store.con.execute("DELETE FROM _allowed")
            self.store.con.executemany("INSERT INTO _allowed(id) VALUES (?)", [(int(i),) for i in allowed])
            # « +rowid »: checked on FTS5's matches, not handed to FTS5 as rowid lookups.
            sql += " AND +rowid IN (SELECT id FROM _allowed)"
        sql += " ORDER BY rank LIMIT ?"
        params.append(limit)
        return [(int(r[0]), float(r[1])) for r in self.store.con.execute(sql, params)]

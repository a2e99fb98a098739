"""BM25 over the analysed French text, with SQLite FTS5.

FTS5 is kept (rather than an in-memory BM25 such as bm25s) because it lives in
the same transaction as the rest of a document: a crash or a concurrent reader
never sees a chunk without its terms, and an update touches one document, not
the whole index. The query is built from analysed terms only, each quoted, so
nothing a user types is read as FTS5 syntax.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.store import Filters, Store


def match_expression(terms: Sequence[str]) -> str:
    """An FTS5 OR-query of quoted terms (terms are \\w+ tokens, quotes doubled anyway)."""
    unique = list(dict.fromkeys(t for t in terms if t))
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)


class LexicalIndex:
    def __init__(self, store: Store) -> None:
        self.store = store

    def search(self, terms: Sequence[str], filters: Filters, limit: int) -> list[tuple[int, float]]:
        """(chunk id, BM25 score) best first; higher is better."""
        expr = match_expression(terms)
        if not expr or limit <= 0:
            return []
        sql = "SELECT rowid, -bm25(chunks_fts) AS score FROM chunks_fts WHERE chunks_fts MATCH ?"
        params: list[object] = [expr]
        if not filters.is_empty():
            sub, sub_params = self.store.filter_sql(filters)
            sql += f" AND rowid IN ({sub})"
            params.extend(sub_params)
        sql += " ORDER BY rank LIMIT ?"
        params.append(limit)
        return [(int(r[0]), float(r[1])) for r in self.store.con.execute(sql, params)]

    def matched_terms(self, chunk_ids: Sequence[int], terms: Sequence[str]) -> dict[int, set[str]]:
        """Which query terms each chunk holds (for the relevance bar and highlighting)."""
        out: dict[int, set[str]] = {int(c): set() for c in chunk_ids}
        if not chunk_ids:
            return out
        marks = ",".join("?" * len(chunk_ids))
        for term in dict.fromkeys(terms):
            expr = match_expression([term])
            rows = self.store.con.execute(
                f"SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid IN ({marks})",
                [expr, *chunk_ids],
            )
            for (rowid,) in rows:
                out[int(rowid)].add(term)
        return out

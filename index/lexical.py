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
            # « +rowid »: the filter is checked on FTS5's matches instead of being handed to FTS5 as rowid
            # lookups, each of which re-runs the whole OR-query (1.1 s → 0.3 s at 100k chunks, bench/scale.py).
            sql += f" AND +rowid IN ({sub})"
            params.extend(sub_params)
        sql += " ORDER BY rank LIMIT ?"
        params.append(limit)
        return [(int(r[0]), float(r[1])) for r in self.store.con.execute(sql, params)]

    def matched_terms(self, chunk_ids: Sequence[int], terms: Sequence[str]) -> dict[int, set[str]]:
        """Which query terms each chunk holds (for the relevance bar and highlighting).

        Read from the chunks' analysed text (what FTS5 indexed) in one query: one FTS5 MATCH per term
        restricted to the ids costs a lookup per id and term (480 ms for 100 hits × 20 terms at 10k chunks,
        bench/scale.py); splitting the stored bodies costs well under a millisecond.
        """
        out: dict[int, set[str]] = {int(c): set() for c in chunk_ids}
        wanted = set(t for t in terms if t)
        if not out or not wanted:
            return out
        ids = list(out)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for rowid, body in self.store.con.execute(
                f"SELECT rowid, body FROM chunks_fts WHERE rowid IN ({marks})", part
            ):
                out[int(rowid)] = wanted.intersection(body.split())
        return out

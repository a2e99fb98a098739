"""BM25 with SQLite FTS5 over the analysed text, as it was before the tantivy read side (bench only).

Kept as the measured alternative (bench/scale.py --lexical-engines). The product
never creates an FTS5 table: this engine builds its own, from the store's
analysed bodies (`chunk_terms`), in a SQLite file of its own (a temporary file
unless a path is given), with one INSERT … SELECT through an attached read-only
view of the store. It is a snapshot: later changes to the store are not followed.

`bounded=True` caps the work of the OR-query: terms found in more than
`common_share` of the chunks are dropped from the match (as Lucene's
common-terms cutoff does), keeping at least the rarest `keep` terms, so the
posting lists read stay short.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.store import Store

FTS5_TOKENIZER = "unicode61 remove_diacritics 2"  # what schema 1 of the store used for `chunks_fts`


def match_expression(terms: Sequence[str]) -> str:
    """An FTS5 OR-query of quoted terms (terms are \\w+ tokens, quotes doubled anyway)."""
    unique = list(dict.fromkeys(t for t in terms if t))
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)


class Fts5Lexical:
    kind = "fts5"

    def __init__(
        self, store: Store, bounded: bool = False, common_share: float = 0.05, keep: int = 3,
        path: Path | None = None,
    ) -> None:
        self.store = store
        self.bounded = bounded
        self.common_share = common_share
        self.keep = keep
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if path is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="acv-fts5-")
            path = Path(self._tmp.name) / "fts5.sqlite3"
        self.path = Path(path)
        self.con = sqlite3.connect(self.path.resolve().as_uri(), uri=True, isolation_level=None,
                                   check_same_thread=False)
        self.con.execute("PRAGMA journal_mode=OFF")
        self.con.execute("PRAGMA synchronous=OFF")
        self._build()

    def _build(self) -> None:
        con = self.con
        con.execute("DROP TABLE IF EXISTS fts_vocab")
        con.execute("DROP TABLE IF EXISTS fts")
        con.execute(f"CREATE VIRTUAL TABLE fts USING fts5(body, tokenize = '{FTS5_TOKENIZER}')")
        con.execute("CREATE VIRTUAL TABLE fts_vocab USING fts5vocab('fts', 'row')")
        source = self.store.path.resolve().as_uri() + "?mode=ro"
        con.execute("ATTACH DATABASE ? AS src", (source,))
        try:
            con.execute("BEGIN")
            con.execute("INSERT INTO fts(rowid, body) SELECT chunk_id, body FROM src.chunk_terms ORDER BY chunk_id")
            con.execute("COMMIT")
        finally:
            if con.in_transaction:
                con.execute("ROLLBACK")
            con.execute("DETACH DATABASE src")
        self._count = int(con.execute("SELECT count(*) FROM fts").fetchone()[0])

    def count(self) -> int:
        """Chunks in this engine's snapshot."""
        return self._count

    def term_doc_freqs(self, terms: Sequence[str]) -> dict[str, int]:
        """Chunks holding each term (terms absent from every chunk are left out)."""
        if not terms:
            return {}
        marks = ",".join("?" * len(terms))
        rows = self.con.execute(f"SELECT term, doc FROM fts_vocab WHERE term IN ({marks})", list(terms)).fetchall()
        return {r[0]: int(r[1]) for r in rows}

    def search(self, terms: dict[str, float], limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(chunk id, BM25) best first; boosts other than 1 are ignored (FTS5 weighs columns, not terms)."""
        words = list(terms)
        if self.bounded and words:
            total = max(self._count, 1)
            dfs = self.term_doc_freqs(words)
            by_rarity = sorted(words, key=lambda t: dfs.get(t, 0))
            words = [t for i, t in enumerate(by_rarity) if i < self.keep or dfs.get(t, 0) <= self.common_share * total]
        expr = match_expression(words)
        if not expr or limit <= 0:
            return []
        sql = "SELECT rowid, -bm25(fts) AS score FROM fts WHERE fts MATCH ?"
        params: list[object] = [expr]
        if allowed is not None:
            if len(allowed) == 0:
                return []
            self.con.execute("CREATE TEMP TABLE IF NOT EXISTS _allowed(id INTEGER PRIMARY KEY)")
            self.con.execute("DELETE FROM _allowed")
            self.con.executemany("INSERT INTO _allowed(id) VALUES (?)", [(int(i),) for i in allowed])
            # « +rowid »: checked on FTS5's matches, not handed to FTS5 as rowid lookups.
            sql += " AND +rowid IN (SELECT id FROM _allowed)"
        sql += " ORDER BY rank LIMIT ?"
        params.append(limit)
        return [(int(r[0]), float(r[1])) for r in self.con.execute(sql, params)]

    def close(self) -> None:
        self.con.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

"""Saved searches (« suivre une recherche »): a name, a query and its filters, kept in the store's database.

The table lives in the same SQLite file as the documents and is created when it is opened; filters are
stored in their canonical form (the one `Filters.as_dict` gives), so a feed re-runs exactly what was saved.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from index.store import Store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_searches(
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class SavedSearchRow:
    id: str
    name: str
    query: str
    filters: dict[str, Any]
    created_at: str


class SavedSearches:
    """Create, list, read and delete saved searches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        with store.transaction() as con:
            con.execute(_SCHEMA)

    def add(self, name: str, query: str, filters: dict[str, Any], created_at: str) -> SavedSearchRow:
        """Store a new saved search under a fresh random id (unguessable: feed addresses are shared)."""
        row = SavedSearchRow(secrets.token_hex(8), name, query, filters, created_at)
        with self.store.transaction() as con:
            con.execute("INSERT INTO saved_searches(id, name, query, filters, created_at) VALUES (?,?,?,?,?)",
                        (row.id, name, query, json.dumps(filters, ensure_ascii=False, sort_keys=True), created_at))
        return row

    def get(self, search_id: str) -> SavedSearchRow | None:
        r = self.store.con.execute("SELECT * FROM saved_searches WHERE id = ?", (search_id,)).fetchone()
        return None if r is None else _row(r)

    def all(self) -> list[SavedSearchRow]:
        rows = self.store.con.execute("SELECT * FROM saved_searches ORDER BY created_at DESC, name").fetchall()
        return [_row(r) for r in rows]

    def delete(self, search_id: str) -> bool:
        with self.store.transaction() as con:
            return con.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,)).rowcount > 0


def _row(r: Any) -> SavedSearchRow:
    return SavedSearchRow(r["id"], r["name"], r["query"], json.loads(r["filters"]), r["created_at"])

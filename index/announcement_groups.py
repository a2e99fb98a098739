"""Stored groups of near-identical announcements (one news item published by several sites).

`index.grouping` decides which documents belong together; this table keeps the answer so that a query
only reads it (one indexed lookup per result page) instead of comparing texts. Only groups of two or more
documents are stored; a document absent from the table stands alone. The table lives in the store's
SQLite file and is created when it is opened; `store.replace_document` and `delete_document` do not know
it, so the service refreshes it after each ingest or deletion (`refresh`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from index.grouping import Announcement, group_announcements
from index.store import FACET_NAMES, Store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS announcement_groups(
    doc_id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS announcement_groups_group ON announcement_groups(group_id, position);
"""

GROUP_TEXT_CHARS = 20_000  # an announcement is short; a long convention's opening is enough to compare it


class AnnouncementGroups:
    """doc_id → group, over the store's database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        with store.transaction() as con:
            for statement in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
                con.execute(statement)

    # -- reading -------------------------------------------------------------------------------

    def groups_of(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        """For each grouped document among `doc_ids`, all members of its group (first publication first)."""
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        rows = self.store.con.execute(
            "SELECT g.doc_id AS asked, m.doc_id AS member FROM announcement_groups g"
            " JOIN announcement_groups m ON m.group_id = g.group_id"
            f" WHERE g.doc_id IN ({marks}) ORDER BY g.doc_id, m.position",
            list(doc_ids),
        ).fetchall()
        out: dict[str, list[str]] = {}
        for r in rows:
            out.setdefault(r["asked"], []).append(r["member"])
        return out

    def all_groups(self) -> list[list[str]]:
        rows = self.store.con.execute(
            "SELECT group_id, doc_id FROM announcement_groups ORDER BY group_id, position").fetchall()
        out: dict[str, list[str]] = {}
        for r in rows:
            out.setdefault(r["group_id"], []).append(r["doc_id"])
        return list(out.values())

    def facet_counts(self, chunk_ids: Sequence[int]) -> dict[str, dict[str, int]]:
        """Like `Store.facet_counts`, but a group of republished announcements counts once."""
        out: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
        if not len(chunk_ids):
            return out
        con = self.store.con
        con.execute("CREATE TEMP TABLE IF NOT EXISTS _group_hits(id INTEGER PRIMARY KEY)")
        con.execute("DELETE FROM _group_hits")
        con.executemany("INSERT OR IGNORE INTO _group_hits(id) VALUES (?)", [(int(i),) for i in chunk_ids])
        rows = con.execute(
            "SELECT f.name, f.value, COUNT(DISTINCT COALESCE(g.group_id, f.doc_id)) FROM facets f"
            " JOIN _group_hits h ON h.id = f.chunk_id LEFT JOIN announcement_groups g ON g.doc_id = f.doc_id"
            " GROUP BY f.name, f.value"
        ).fetchall()
        for name, value, n in rows:
            out.setdefault(name, {})[value] = n
        return out

    # -- writing -------------------------------------------------------------------------------

    def refresh(self, changed: Iterable[str] | None = None) -> int:
        """Recompute the groups around the documents in `changed` (all documents when None).

        The documents compared are those sharing a main city with a changed one, plus the members of
        their current groups, and so on until no new city appears: grouping needs a common city, so no
        other document can join or leave a group. Returns the number of groups stored after the refresh."""
        store = self.store
        docs = {r["id"]: r for r in store.documents()}
        cities = {doc_id: tuple(json.loads(r["metadata"]).get("cities", [])) for doc_id, r in docs.items()}
        if changed is None:
            scope = set(docs)
        else:
            scope = self._closure({d for d in changed}, docs, cities)
        items = [Announcement(doc_id=d, text=self._text(d), cities=cities[d], date=docs[d]["date"])
                 for d in sorted(scope) if d in docs and cities[d]]
        groups = [g for g in group_announcements(items) if len(g) > 1]
        with store.transaction() as con:
            gone = list(scope) + [d for d in (changed or []) if d not in docs]
            for i in range(0, len(gone), 500):
                part = gone[i:i + 500]
                con.execute(f"DELETE FROM announcement_groups WHERE doc_id IN ({','.join('?' * len(part))})", part)
            # a deleted document may have left a group of one behind
            con.execute("DELETE FROM announcement_groups WHERE group_id IN (SELECT group_id FROM announcement_groups"
                        " GROUP BY group_id HAVING COUNT(*) < 2)")
            for group in groups:
                con.executemany("INSERT INTO announcement_groups(doc_id, group_id, position) VALUES (?,?,?)",
                                [(d, group[0], pos) for pos, d in enumerate(group)])
        return int(store.con.execute("SELECT COUNT(DISTINCT group_id) FROM announcement_groups").fetchone()[0])

    def _closure(self, seeds: set[str], docs: dict, cities: dict[str, tuple[str, ...]]) -> set[str]:
        by_city: dict[str, set[str]] = {}
        for d, cs in cities.items():
            for c in cs:
                by_city.setdefault(c, set()).add(d)
        grouped = self.groups_of([d for d in seeds])
        scope = {d for d in seeds if d in docs} | {m for ms in grouped.values() for m in ms}
        seen_cities: set[str] = set()
        while True:
            new_cities = {c for d in scope for c in cities.get(d, ())} - seen_cities
            if not new_cities:
                return {d for d in scope if d in docs}
            seen_cities |= new_cities
            more = set().union(*(by_city[c] for c in new_cities))
            members = self.groups_of(sorted(more - scope))
            scope |= more | {m for ms in members.values() for m in ms}

    def _text(self, doc_id: str) -> str:
        text = "\n".join(r["text"] for r in self.store.chunks_of(doc_id))
        return text[:GROUP_TEXT_CHARS]

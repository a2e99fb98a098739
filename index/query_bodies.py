"""The analysed bodies one query reads: each read from the store at most once, asked cheaply.

Coverage, diversification and the relevance bar all ask which query terms a passage holds. A body is the
passage's analysed terms joined by single spaces, so « does it hold `t` » is a substring test on the
space-padded body, cheaper than splitting the body for a query of a few terms (a split and an intersection
are cheaper for a query with many expansion terms, so that is used above `SUBSTRING_UP_TO`).
Term sets (for the near-duplicate test) are built only for the passages that need them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

# Up to this many terms, substring tests beat splitting the ~90-term body (3.9 against 8.6 µs a body for 5 terms,
# 13.2 against 8.7 for 20: bench/query_latency.py --bodies-ab on the 100k store); above it the split wins.
SUBSTRING_UP_TO = 12


class QueryBodies:
    """Per-query cache of analysed bodies, keyed by chunk id; a chunk deleted meanwhile reads as absent."""

    def __init__(self, read: Callable[[list[int]], dict[int, str]]) -> None:
        self._read = read
        self._padded: dict[int, str | None] = {}
        self._sets: dict[int, frozenset[str]] = {}

    def load(self, chunk_ids: Iterable[int]) -> None:
        """Read the bodies not read yet, in one call."""
        missing = [c for c in dict.fromkeys(chunk_ids) if c not in self._padded]
        if missing:
            found = self._read(missing)
            for c in missing:
                body = found.get(c)
                self._padded[c] = None if body is None else f" {body} "

    def has(self, chunk_id: int) -> bool:
        """Whether the chunk's body exists (after `load`)."""
        return self._padded.get(chunk_id) is not None

    def present(self, chunk_ids: Sequence[int], terms: Iterable[str]) -> dict[int, set[str]]:
        """Which of `terms` each chunk's body holds (empty for a chunk with no body)."""
        self.load(chunk_ids)
        # A term holding whitespace is never one of a split body's terms.
        needles = [(t, f" {t} ") for t in dict.fromkeys(terms) if t and t.split() == [t]]
        wanted = {t for t, _ in needles}
        by_substring = len(needles) <= SUBSTRING_UP_TO
        out: dict[int, set[str]] = {}
        for c in chunk_ids:
            padded = self._padded.get(c)
            if padded is None or not needles:
                out[c] = set()
            elif by_substring and padded.isascii():  # terms separated by single spaces only: substring is exact
                out[c] = {t for t, needle in needles if needle in padded}
            else:  # many terms (a split is cheaper), or exotic whitespace inside a term: as a split list would
                out[c] = wanted.intersection(padded.split())
        return out

    def term_set(self, chunk_id: int) -> frozenset[str]:
        """The distinct terms of a chunk's body (empty if it has none)."""
        found = self._sets.get(chunk_id)
        if found is None:
            self.load([chunk_id])
            padded = self._padded.get(chunk_id)
            found = frozenset(padded.split()) if padded else frozenset()
            self._sets[chunk_id] = found
        return found

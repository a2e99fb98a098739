"""Group near-identical announcements: one news item published by the prefecture, the city and the press.

A convention signing or a funding decision is republished by several sites, each with its own template,
a reworded lead and a day or two of delay. Two documents belong to one group when their analysed texts
are near-duplicates (MinHash estimate of the Jaccard similarity of their word shingles, over the terms
of index.analysis), they name a common main city and their dates are at most `window_days` apart. Links
are transitive (union-find). Pure function: no store, no API; the search layer decides how to show groups.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set as AbstractSet
from dataclasses import dataclass
from typing import Any, TypeVar, get_args

from datasketch import MinHash

from acv.records import NearDuplicateMode
from index.analysis import get_analyzer

SHINGLE = 3
NUM_PERM = 128
THRESHOLD = 0.25  # estimated Jaccard of 3-shingles; bench/grouping.py measures it
WINDOW_DAYS = 10
_SEED = 17  # fixed: signatures must not change between runs
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Announcement:
    """What grouping needs of a document: its main text, main cities (INSEE codes) and ISO date."""

    doc_id: str
    text: str
    cities: tuple[str, ...] = ()
    date: str | None = None


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Runs of k consecutive analysed terms (stemmed, folded, stop words out)."""
    terms = get_analyzer().terms(text)
    if len(terms) <= k:
        return {" ".join(terms)} if terms else set()
    return {" ".join(terms[i:i + k]) for i in range(len(terms) - k + 1)}


def signature(text: str, *, k: int = SHINGLE, num_perm: int = NUM_PERM) -> MinHash:
    minhash = MinHash(num_perm=num_perm, seed=_SEED)
    for shingle in sorted(shingles(text, k)):
        minhash.update(shingle.encode("utf-8"))
    return minhash


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def group_announcements(items: Sequence[Announcement], *, threshold: float = THRESHOLD,
                        window_days: int = WINDOW_DAYS, k: int = SHINGLE,
                        num_perm: int = NUM_PERM) -> list[list[str]]:
    """Groups of doc_ids (every document in exactly one group), each ordered by date then input order;
    groups in the order of their first document. Documents without a city are never grouped; a
    missing date does not prevent grouping (the text and the city must still match), but the dated
    members of a group always lie within `window_days` of each other."""
    signatures = [signature(item.text, k=k, num_perm=num_perm) for item in items]
    parent = list(range(len(items)))
    days = [_day(item.date) for item in items]
    span: dict[int, tuple[dt.date, dt.date] | None] = {i: (d, d) if d else None for i, d in enumerate(days)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_city: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for city in set(item.cities):
            by_city[city].append(i)
    for members in by_city.values():
        for pos, i in enumerate(members):
            for j in members[pos + 1:]:
                a, b = find(i), find(j)
                if a == b:
                    continue
                # every dated member of the merged group within the window (an undated one cannot bridge)
                spans = [x for x in (span[a], span[b]) if x is not None]
                merged = (min(x[0] for x in spans), max(x[1] for x in spans)) if spans else None
                if merged is not None and (merged[1] - merged[0]).days > window_days:
                    continue
                if signatures[i].jaccard(signatures[j]) >= threshold:
                    parent[b] = a
                    span[a] = merged
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        groups[find(i)].append(i)
    ordered = sorted(groups.values(), key=lambda g: min(g))
    return [[items[i].doc_id for i in sorted(g, key=lambda i: (items[i].date or "9999", i))] for g in ordered]


def pair_scores(predicted: Iterable[Sequence[str]], gold: Iterable[Sequence[str]]) -> tuple[float, float]:
    """Precision and recall of the same-group pairs of `predicted` against `gold`."""

    def pairs(groups: Iterable[Sequence[str]]) -> set[frozenset[str]]:
        return {frozenset((a, b)) for g in groups for i, a in enumerate(g) for b in g[i + 1:]}

    got, want = pairs(predicted), pairs(gold)
    precision = len(got & want) / len(got) if got else 1.0
    recall = len(got & want) / len(want) if want else 1.0
    return precision, recall


# -- the first places of a result page ------------------------------------------------------------------


def _chunk_id(hit: Any) -> int:
    return int(hit.chunk_id)


def distinct_documents_first(hits: Sequence[T], places: int, doc_of: Mapping[int, str],
                             chunk_id: Callable[[T], int] = _chunk_id) -> list[T]:
    """The first `places` hits from distinct documents, then every other hit in its order; nothing dropped.

    A document's second passage waits until `places` documents are shown (or until no other document is
    left in the list), then comes back at its rank among the rest. Only hits found in `doc_of` are
    considered for the first places. Unlike a cap per document on the whole
    page, the right passage of a document that is not its best-scored one still reaches the first page.
    """
    if places <= 0 or len(hits) <= 1:
        return list(hits)
    head: list[T] = []
    waiting: list[T] = []
    seen: set[str] = set()
    rest = list(hits)
    for i, h in enumerate(hits):
        if len(head) >= places:
            rest = waiting + list(hits[i:])
            break
        doc = doc_of.get(chunk_id(h))
        if doc is None:  # beyond the hits whose documents were looked up: the rest keeps its order
            rest = waiting + list(hits[i:])
            break
        if doc in seen:
            waiting.append(h)
            continue
        seen.add(doc)
        head.append(h)
    else:
        rest = waiting
    order = {id(h): n for n, h in enumerate(hits)}
    return head + sorted(rest, key=lambda h: order[id(h)])


# -- near-duplicate passages on a result page ---------------------------------------------------------

# Which near-duplicate passages of a result page are pushed below it (index/search.py `_diversify`):
# - "across": a repeat of any passage already kept, of any document (the nine conventions share template articles:
#   partners' commitments, governance, the fiche action format, so only one convention's copy is shown);
# - "within": only a repeat of a passage of the same document;
# - "best-copies": as "across", except that copies from other documents of the page's best (first kept) passage,
#   and copies of those copies, stay: a question that a template article answers best shows every convention's copy,
#   a question whose best passage is something else does not get copies of a template that answers nothing;
# - "best2-copies": the same with the first two kept passages as seeds.
# Why "best2-copies": docs/DECISIONS.md.
# The mode is a retrieval setting (ACV_NEAR_DUPLICATES, RetrievalConfig.near_duplicates); this is its default.
NEAR_DUPLICATE_MODES: tuple[str, ...] = get_args(NearDuplicateMode)
NEAR_DUPLICATES: NearDuplicateMode = "best2-copies"
_SEEDS = {"best-copies": 1, "best2-copies": 2}


def jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    """Jaccard similarity of two term sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def jaccard_at_least(a: AbstractSet[str], b: AbstractSet[str], threshold: float) -> bool:
    """Whether `jaccard(a, b) >= threshold`, skipping the set operations when the sizes alone rule it out
    (|a ∩ b| / |a ∪ b| is at most the smaller size over the larger): most pairs on a page differ in size."""
    small, large = sorted((len(a), len(b)))
    if small and small / large < threshold:
        return False
    return jaccard(a, b) >= threshold


class PageRepeats:
    """The passages kept so far on one result page, to tell whether the next one repeats one of them.

    Call `repeats` for each candidate in page order and `keep` for each one placed on the page. A repeat is a
    term-set Jaccard ≥ `threshold` with a kept passage; which repeats count depends on the mode (see
    `NEAR_DUPLICATE_MODES`).
    """

    def __init__(self, threshold: float, mode: str = NEAR_DUPLICATES) -> None:
        self.threshold = threshold
        self.mode = mode
        if self.mode not in NEAR_DUPLICATE_MODES:
            raise ValueError(f"unknown near-duplicate mode {self.mode!r}")
        self.seeds = _SEEDS.get(self.mode, 0)
        self.kept: list[tuple[str, AbstractSet[str], bool]] = []  # (document, terms, in the best family)

    def _twins(self, terms: AbstractSet[str]) -> list[tuple[str, AbstractSet[str], bool]]:
        return [k for k in self.kept if jaccard_at_least(terms, k[1], self.threshold)] if terms else []

    def repeats(self, terms: AbstractSet[str], doc: str) -> bool:
        """Whether a passage (its analysed term set, its document) is pushed down as a near-duplicate."""
        twins = self._twins(terms)
        if self.mode == "within":
            return any(d == doc for d, _t, _f in twins)
        if self.seeds:  # best copies: only another document's copy of a best-family passage stays
            return any(d == doc or not family for d, _t, family in twins)
        return bool(twins)  # across

    def keep(self, terms: AbstractSet[str], doc: str) -> None:
        """Record a passage placed on the page (a seed, or a copy of the best family, joins that family)."""
        family = len(self.kept) < self.seeds or (
            self.seeds > 0 and any(fam and d != doc for d, _t, fam in self._twins(terms)))
        self.kept.append((doc, terms, family))


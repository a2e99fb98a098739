"""Exact lookups win: the passages that hold what the user typed go first, and are never hidden.

People look things up by what they remember of a text — a rare word, a street, a person, four words copied out
of it. Fused rankings can bury such a passage under ones closer in meaning, and the « nothing relevant »
support can flag a one-word query whatever the base holds (issue 25: 0.65 of known items found against plain
BM25's 0.98). So, on the candidates the filters allow:

- `whole`: passages holding the query's words as written and consecutive (the query copied from the text;
  one word as typed, « agences » before « agence ») come first;
- `every`: then, for a query of a few words (`EVERY_UP_TO`) or with a quoted phrase, passages holding every
  content word of the query (after the analyser: stems, stop words out), every quoted phrase, and each date,
  name, acronym, code or hyphenated word as written (index/query_syntax.py);
- the rest follows in the fused order.

A query with such passages (`Holders.decisive`) is never flagged « nothing relevant ». `-mot` leaves out the
passages holding the word or phrase; `titre:` keeps the passages of the documents whose title holds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.analysis import FrenchAnalyzer
from index.lexical import LexicalIndex
from index.lexical_tantivy import Constraint
from index.query_syntax import ParsedQuery, as_written, exact_words
from index.store import Store

# Holders of every word go first only for a query of at most this many distinct content words: a few words are
# a lookup; a longer question is a description whose words a passage may all hold without answering it (on the
# judged queries, promoting them for longer questions put such passages above the answer: « regrouper les
# services publics dans un bâtiment du centre-ville », « ce que change une ORT pour une commune »). They are
# never flagged, whatever the length.
EVERY_UP_TO = 4


@dataclass(frozen=True, slots=True)
class ExactPlan:
    """What a query asks to find as typed, read once per query."""

    terms: tuple[str, ...]  # the analysed content words of the query's text (as typed, not corrected)
    sequences: tuple[tuple[str, ...], ...]  # quoted phrases and names/acronyms/codes, as written
    whole: tuple[str, ...]  # the whole text's words as written (an implicit phrase; one word as typed), no quotes
    exclusion: Constraint  # what `-mot` leaves out
    title: tuple[tuple[str, ...], ...] = ()  # what the title must hold (`titre:`), as written
    quoted: bool = False  # the query has a quoted phrase

    @property
    def every(self) -> Constraint:
        return Constraint(terms=self.terms, exact=self.sequences)

    def has_exact(self) -> bool:
        return bool(self.terms or self.sequences)


def plan(parsed: ParsedQuery, analyzer: FrenchAnalyzer) -> ExactPlan:
    terms = tuple(dict.fromkeys(analyzer.terms(parsed.text)))
    sequences = [tuple(exact_words(p)) for p in parsed.phrases]
    sequences += [tuple(w) for w in as_written(parsed.text)]
    whole = tuple(exact_words(parsed.text))
    excluded_terms: list[str] = []
    excluded_exact: list[tuple[str, ...]] = []
    for item in parsed.excluded:
        words = exact_words(item)
        if len(words) > 1:
            excluded_exact.append(tuple(words))
        else:
            excluded_terms += analyzer.terms(item) or []
            if not analyzer.terms(item) and words:  # a stop word: as written
                excluded_exact.append(tuple(words))
    return ExactPlan(
        terms=terms,
        sequences=tuple(dict.fromkeys(s for s in sequences if s)),
        whole=whole if not parsed.phrases else (),
        exclusion=Constraint(excluded_terms=tuple(dict.fromkeys(excluded_terms)),
                             excluded_exact=tuple(dict.fromkeys(excluded_exact))),
        title=tuple(tuple(exact_words(t)) for t in parsed.title if exact_words(t)),
        quoted=bool(parsed.phrases),
    )


@dataclass(slots=True)
class Holders:
    """The candidates holding the query as typed: consecutive (`whole`) and all its words (`every`)."""

    whole: list[int]
    every: list[int]

    def __bool__(self) -> bool:
        return bool(self.whole or self.every)

    def ids(self) -> list[int]:
        return list(dict.fromkeys([*self.whole, *self.every]))

    def decisive(self, p: ExactPlan) -> bool:
        """Whether a passage holds what was typed, so that the query is never « nothing relevant »: the query
        as written, or every word of a query of a few words (`EVERY_UP_TO`) or of one with a quoted phrase. A
        longer question whose words one passage happens to hold may still go unanswered (held-out no-answer
        question « Épernay : aide à la reprise des boulangeries du centre »)."""
        return bool(self.whole) or bool(self.every) and (len(p.terms) <= EVERY_UP_TO or p.quoted)


def holders(p: ExactPlan, lexical: LexicalIndex, candidates: Sequence[int]) -> Holders:
    """Read from the lexical index among `candidates`, the lexical retriever's (inside the filters, without the
    excluded passages): a passage holding every word of a short query is among the best BM25 scores, so the
    lookup costs one search restricted to them (two for a phrase) rather than one over the whole index."""
    if not p.has_exact() or not candidates:
        return Holders([], [])
    ids = list(candidates)
    every = [c for c, _ in lexical.search_weighted({}, len(ids), within=ids,
                                                    constraint=Constraint(p.terms, p.sequences))]
    whole: list[int] = []
    if p.whole and every:
        whole = [c for c, _ in lexical.search_weighted({}, len(every), within=every,
                                                        constraint=Constraint((), (p.whole,)))]
    order = {c: i for i, c in enumerate(ids)}  # the lexical order
    return Holders(sorted(whole, key=order.__getitem__), sorted(every, key=order.__getitem__))


def excluded(p: ExactPlan, lexical: LexicalIndex, chunk_ids: Sequence[int]) -> set[int]:
    """Which of `chunk_ids` hold an excluded word (any form) or phrase (as written)."""
    ex = p.exclusion
    if not ex.excludes() or not chunk_ids:
        return set()
    out: set[int] = set()
    items = [Constraint(terms=(t,)) for t in ex.excluded_terms] + [Constraint(exact=(s,)) for s in ex.excluded_exact]
    for c in items:
        out.update(cid for cid, _ in lexical.search_weighted({}, len(chunk_ids), within=list(chunk_ids),
                                                                constraint=c))
    return out


def promote(fused: list[tuple[int, float]], found: Holders, terms: int = 0,
            quoted: bool = False) -> list[tuple[int, float]]:
    """`whole` holders first, then `every` holders (for a query of at most `EVERY_UP_TO` distinct content words,
    `terms`, or with a quoted phrase), each in the fused order (holders the fusion did not see after those it
    did, in the lexical order), then the rest as fused. Scores are kept."""
    if not found:
        return fused
    score = dict(fused)
    tiers: list[list[tuple[int, float]]] = []
    seen: set[int] = set()
    for ids in (found.whole, found.every if terms <= EVERY_UP_TO or quoted else []):
        members = [c for c in ids if c not in seen]
        seen.update(members)
        inside = [(c, score[c]) for c in sorted((c for c in members if c in score), key=lambda c: -score[c])]
        outside = [(c, 0.0) for c in members if c not in score]
        tiers.append(inside + outside)
    return [*tiers[0], *tiers[1], *((c, s) for c, s in fused if c not in seen)]


def title_chunks(store: Store, title: Sequence[Sequence[str]], allowed: np.ndarray | None) -> np.ndarray:
    """The chunks (inside `allowed`) of the documents whose title holds each of `title`, as written."""
    docs = []
    for row in store.con.execute("SELECT id, title FROM documents"):
        padded = f" {' '.join(exact_words(row[1] or ''))} "
        if all(f" {' '.join(words)} " in padded for words in title):
            docs.append(str(row[0]))
    ids: list[int] = []
    for i in range(0, len(docs), 500):
        part = docs[i: i + 500]
        ids += [int(r[0]) for r in store.con.execute(
            f"SELECT id FROM chunks WHERE doc_id IN ({','.join('?' * len(part))})", part)]
    out = np.array(sorted(ids), dtype=np.int64)
    return out if allowed is None else np.intersect1d(out, allowed)

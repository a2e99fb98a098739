"""The « nothing relevant » decision: when a ranking should be shown as "no result" rather than as its
least bad passages. No cosine threshold, so the decision does not move when the dense model changes.

- Support: how much the two retrievers and the query's own words back each other up. `agreement` is the share
  of the ten best lexical candidates also among the ten closest dense ones, `dense coverage` the idf share of
  the query's words held by the best of those ten dense passages, `words` the query's distinct analysed words:
  support = 3.72 × agreement + 2.23 × dense coverage + 0.50 × words; nothing relevant when support < 2.95
  (a logistic fit on the tuning split, threshold letting ≤ 3 % of its answerable queries be flagged).
- Nothing in common: none of the query's words in any of the best passages on either side.
- R1, absent date: a query holding a date (« 3 mars 2021 ») that none of the ten best lexical candidates holds
  as written. Its mirror, the date guard, never flags a query whose date and every other word are in one of them.
- R2, commune without its topic: a query naming a commune of the gazetteer (a name that is also a common word
  only with its capital) when no candidate passage about that commune (its document's communes, or the name in
  the passage) holds `MIN_TOPIC` of the idf of the query's other, non-programme words, misspellings corrected.
- Lexical-only rankings keep a coverage bar (`min_coverage`, the best idf share of the query's words in one
  passage); dense-only rankings are shown as they are.

A query of six or more distinct words is never flagged by the support alone; long descriptions of something the
corpus lacks, whose words all exist in it, are still shown. The figures are in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

AGREEMENT_WEIGHT = 3.72
DENSE_COVERAGE_WEIGHT = 2.23
WORD_WEIGHT = 0.50
MIN_SUPPORT = 2.95
TOP = 10  # how many candidates of each retriever are compared
DATE_GUARD = True  # a query whose date is in a best lexical candidate is never flagged (needs `body_texts`)
DATE_ABSENT = True  # R1
# R2: half the lowest share of an answerable tuning query naming a commune (0.134), rounded down.
MIN_TOPIC = 0.13
# Programme vocabulary: words that many passages carry whatever their subject, left out of the topic words.
PROGRAMME_WORDS = ("action cœur de ville centre-ville convention programme ACV ORT opération de revitalisation de "
                   "territoire")
# Month names as index.analysis stems them (tests/test_relevance.py checks them against the analyser).
MONTHS = frozenset({"janvi", "fevri", "mar", "avril", "mai", "juin", "juillet", "aout", "septembr", "octobr",
                    "novembr", "decembr"})


@dataclass(frozen=True, slots=True)
class RelevanceSignals:
    """What the decision looks at; returned with the ranking's diagnostics."""

    method: str
    hits: int
    terms: int  # distinct analysed query terms, as typed
    coverage: float  # best idf share of the (corrected) query terms in one of the top-ten passages
    best_dense: float  # cosine of the best dense hit (0 without a dense side); reported, not used
    unknown_share: float  # idf share of the typed terms absent from the index vocabulary; reported, not used
    dense_coverage: float  # best idf share of the typed terms in one of the ten closest dense passages
    agreement: float = 0.0  # share of the ten best lexical candidates also among the ten closest dense ones
    dense_side: bool = True  # the ranking had dense candidates
    # A best lexical candidate holds the query's date as written and all its other words (looked up only for a
    # query the other signals flag).
    date_found: bool = False
    date_absent: bool = False  # the query holds a date, in none of the best lexical candidates as written
    communes: int = 0  # gazetteer names the query holds (a name and its short form count apart)
    topic: float = 1.0  # best share of the topic words in a candidate passage about a named commune

    @property
    def support(self) -> float:
        return (AGREEMENT_WEIGHT * self.agreement + DENSE_COVERAGE_WEIGHT * self.dense_coverage
                + WORD_WEIGHT * self.terms)

    def as_dict(self) -> dict[str, float]:
        return {"coverage": self.coverage, "best_dense": self.best_dense, "unknown_share": self.unknown_share,
                "dense_coverage": self.dense_coverage, "terms": float(self.terms), "agreement": self.agreement,
                "support": self.support, "date_found": float(self.date_found),
                "date_absent": float(self.date_absent), "communes": float(self.communes), "topic": self.topic}


# Why a ranking is flagged: the code each rule gives (machine-readable) and what people read.
REASONS = {
    "no_candidate": "aucun passage ne correspond à la recherche et aux filtres",
    "low_coverage": "les passages trouvés ne contiennent qu'une petite partie des mots de la requête",
    "no_query_word": "aucun des mots de la requête ne figure dans les passages les plus proches",
    "low_support": "les passages les plus proches n'ont que peu de rapport avec la requête",
    "date_absent": "la date demandée ne figure dans aucun des passages trouvés",
    "commune_topic": "aucun passage sur la commune citée ne traite du sujet demandé",
}


def reason(s: RelevanceSignals, min_coverage: float = 0.24, min_support: float = MIN_SUPPORT) -> str | None:
    """The code (a key of `REASONS`) of the rule that finds nothing relevant in the ranking; None when it holds
    something worth reading. Advice only: the caller shows the closest passages either way."""
    if s.hits == 0:
        return "no_candidate"
    if DATE_GUARD and s.date_found:
        return None  # the date the query names is in the index
    if s.terms == 0 or s.method == "dense":
        return None  # nothing to measure the words against; a dense-only ranking is shown as it is
    if s.method == "lexical" or not s.dense_side:  # no dense side to agree with
        return "low_coverage" if s.coverage < min_coverage else None
    if s.coverage == 0.0 and s.dense_coverage == 0.0:
        return "no_query_word"  # none of the query's words in any of the best passages, on either side
    if s.support < min_support:
        return "low_support"
    if DATE_ABSENT and s.date_absent:
        return "date_absent"  # a date the best lexical candidates do not hold as written
    if s.communes > 0 and s.topic < MIN_TOPIC:
        return "commune_topic"  # a commune named, the subject not found with it
    return None


def no_relevant_result(s: RelevanceSignals, min_coverage: float = 0.24, min_support: float = MIN_SUPPORT) -> bool:
    """True when the ranking holds nothing worth showing on its own (see `reason`)."""
    return reason(s, min_coverage, min_support) is not None


@dataclass(frozen=True, slots=True)
class Commune:
    terms: tuple[str, ...]  # analysed name
    insee: str
    written: str  # an ambiguous name counts only written like this (capitalised, accents off); "" otherwise


class CommuneNames:
    """The communes a query names: gazetteer names and aliases whose analysed terms follow each other in the
    query's; a name that is also a common word (« Sens », « Vienne ») only when written with its capital."""

    def __init__(self, names: Iterable[tuple[str, str, bool]], analyse: Callable[[str], list[str]]) -> None:
        """`names`: (name, INSEE code, ambiguous) for each name or alias; `analyse` is the index's analyser."""
        self._by_first: dict[str, list[Commune]] = {}
        for name, insee, ambiguous in names:
            terms = tuple(analyse(name))
            if terms:
                self._by_first.setdefault(terms[0], []).append(
                    Commune(terms, insee, plain(name) if ambiguous else ""))
        self.programme = frozenset(analyse(PROGRAMME_WORDS))

    def named(self, query: str, terms: Sequence[str]) -> list[Commune]:
        written = f" {plain(query)} "
        out: list[Commune] = []
        for i, first in enumerate(terms):
            for c in self._by_first.get(first, ()):
                if tuple(terms[i:i + len(c.terms)]) == c.terms and c not in out and (
                        not c.written or f" {c.written} " in written):
                    out.append(c)
        return out


def plain(text: str) -> str:
    """Accents off, case kept, punctuation, hyphens and apostrophes as spaces."""
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def topic_share(named: Sequence[Commune], programme: frozenset[str], unique: Sequence[str], idf: Mapping[str, float],
                ids: Sequence[int], found: Mapping[int, set[str]], communes_of: Mapping[int, set[str]]) -> float:
    """The best idf share of the query's topic words (not a named commune's, not programme words) in one passage
    about a named commune (its document's communes, or every term of the name in the passage); with no topic
    word, 1.0 when such a passage exists, else 0.0."""
    topic = topic_words(named, programme, unique)
    weight = sum(idf[t] for t in topic)
    best = 0.0
    for cid in about_communes(named, ids, found, communes_of):
        terms = found.get(cid, set())
        best = max(best, sum(idf[t] for t in topic if t in terms) / weight if weight > 0 else 1.0)
    return best


def topic_words(named: Sequence[Commune], programme: frozenset[str], unique: Sequence[str]) -> list[str]:
    """The query's words that say what it asks about: not a named commune's, not programme words."""
    names = {t for c in named for t in c.terms}
    return [t for t in unique if t not in names and t not in programme]


def about_communes(named: Sequence[Commune], ids: Sequence[int], found: Mapping[int, set[str]],
                   communes_of: Mapping[int, set[str]]) -> list[int]:
    """The passages about a named commune: its document's communes, or every term of the name in the passage."""
    return [cid for cid in ids if any(c.insee in communes_of.get(cid, ()) or set(c.terms) <= found.get(cid, set())
                                      for c in named)]


def assess(
    *,
    method: str,
    hits: int,
    raw_terms: Sequence[str],
    coverage: float,
    dense: Sequence[tuple[int, float]],
    lexical: Sequence[tuple[int, float]],
    doc_freqs: Callable[[list[str]], dict[str, int]],
    total_chunks: int,
    matched_terms: Callable[[list[int], list[str]], dict[int, set[str]]],
    min_coverage: float,
    body_texts: Callable[[list[int]], Mapping[int, str]] | None = None,
    query: str = "",
    shown: Sequence[int] = (),
    communes: CommuneNames | None = None,
    passage_communes: Callable[[list[int]], Mapping[int, set[str]]] | None = None,
    topic_terms: Sequence[str] | None = None,
) -> tuple[bool, RelevanceSignals]:
    """Measure the signals of one ranking and decide. `dense` and `lexical` are the two retrievers'
    candidates, best first; `doc_freqs` and `matched_terms` are the lexical index's (chunk frequency of
    terms; which of the terms each chunk holds); `body_texts` (analysed bodies by chunk id) feeds the date
    guard and the absent date, off without it; `communes` (names of the gazetteer), `passage_communes` (the
    communes of each passage's document) and `shown` (the page's chunk ids) feed the commune rule, off without
    them; its topic words are `topic_terms` when given (the query's terms with misspellings corrected, so that a
    typo is not read as a subject the corpus lacks), else the raw terms."""
    unique = [t for t in dict.fromkeys(raw_terms)]
    dfs = doc_freqs(unique) if unique else {}
    total = max(total_chunks, 1)
    idf = {t: math.log(1 + (total - dfs.get(t, 0) + 0.5) / (dfs.get(t, 0) + 0.5)) for t in unique}
    weight = sum(idf.values()) or 1.0
    unknown = sum(v for t, v in idf.items() if dfs.get(t, 0) == 0 and not t.isdigit()) / weight
    best_dense = max((s for _, s in dense), default=0.0)
    near = [cid for cid, _ in dense[:TOP]]
    dense_cov = _best_share(matched_terms(near, unique).values(), idf, weight) if near and unique else 0.0
    agreement = len(set(near) & {cid for cid, _ in lexical[:TOP]}) / TOP
    signals = RelevanceSignals(method, hits, len(unique), coverage, best_dense, unknown, dense_cov, agreement,
                               dense_side=bool(dense))
    if communes is not None and passage_communes is not None:
        named = communes.named(query, unique)
        if named:  # the passages' words and communes are read only for a query naming a commune
            ids = list(dict.fromkeys([*shown[:TOP], *near, *(c for c, _ in lexical[:TOP])]))
            words, word_idf = unique, idf
            if topic_terms is not None and list(dict.fromkeys(topic_terms)) != unique:
                words = list(dict.fromkeys(topic_terms))
                word_dfs = doc_freqs(words)
                word_idf = {t: math.log(1 + (total - word_dfs.get(t, 0) + 0.5) / (word_dfs.get(t, 0) + 0.5))
                            for t in words}
            found, communes_of = matched_terms(ids, words), passage_communes(ids)
            topic = topic_share(named, communes.programme, words, word_idf, ids, found, communes_of)
            signals = dataclasses.replace(signals, communes=len(named), topic=topic)
    # The best lexical candidates' bodies are read only for a query holding a date.
    date = date_terms(list(raw_terms)) if (DATE_GUARD or DATE_ABSENT) and lexical else []
    if date and body_texts is not None:
        bodies = list(body_texts([c for c, _ in lexical[:TOP]]).values())
        signals = dataclasses.replace(signals, date_found=holds_date(bodies, date, unique),
                                      date_absent=not holds_date(bodies, date, []))
    return no_relevant_result(signals, min_coverage), signals


def date_terms(terms: Sequence[str]) -> list[str]:
    """The analysed terms of the first date in `terms`: a month with the day just before it (1–31, « 1er »)
    and/or the four-digit year just after it; [] when the terms hold no such date (a month alone is not one)."""
    for i, term in enumerate(terms):
        if term not in MONTHS:
            continue
        day = terms[i - 1] if i > 0 and _is_day(terms[i - 1]) else None
        year = terms[i + 1] if i + 1 < len(terms) and _is_year(terms[i + 1]) else None
        if day or year:
            return [t for t in (day, term, year) if t]
    return []


def holds_date(bodies: Iterable[str], date: Sequence[str], terms: Iterable[str]) -> bool:
    """Whether one analysed body holds the date's terms consecutively (as written, « 17 octobr 2019 ») and
    every one of `terms` (the query's other words): terms that merely co-occur do not make a date."""
    phrase = " " + " ".join(date) + " "
    needles = [f" {t} " for t in terms]
    for body in bodies:
        padded = f" {body} "
        if phrase in padded and all(n in padded for n in needles):
            return True
    return False


def _is_day(term: str) -> bool:
    return term == "1er" or (term.isdigit() and 1 <= int(term) <= 31 and len(term) <= 2)


def _is_year(term: str) -> bool:
    return len(term) == 4 and term.isdigit() and 1900 <= int(term) <= 2100


def _best_share(found: Iterable[set[str]], idf: dict[str, float], weight: float) -> float:
    return max((sum(idf.get(t, 0.0) for t in terms) / weight for terms in found), default=0.0)

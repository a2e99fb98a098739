"""The search syntax users expect, read into a typed query: `"phrase exacte"`, `-mot`, `titre:mot`.

Everything else a user types stays plain text for the retrievers; nothing is ever passed to an engine as query
syntax (the lexical side builds its queries from terms, index/lexical_tantivy.py). The operators:

- `"rue Aristide-Briand"` (also « … » and “ … ”): the words must follow each other as written in the passage
  (case and accents aside). An unclosed quote is read as plain text.
- `-mot`, `-"deux mots"`: passages holding the word (any form of it: its stem) or the phrase are left out. A
  hyphen inside a word (« centre-ville ») is not an operator.
- `titre:mot`, `titre:"deux mots"`: the document's title must hold the word(s); the words also count as query
  words.

Names, acronyms, codes and hyphenated words are matched as written (`as_written`): « CAF » does not find
« café », « Aristide-Briand » needs both parts next to each other; other words are matched by their stem.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from index.analysis import fold

_TOKEN = re.compile(r"""
    (?P<neg>(?<![\w-])-)?                         # a leading minus: exclusion
    (?:(?P<field>titre|title):)?                  # a field prefix
    (?:(?P<open>["«“„])(?P<phrase>[^"«»“”„]*?)(?P<close>["»”“])
      |(?P<word>[^\s"«»“”„]+))
    """, re.VERBOSE | re.IGNORECASE)
_EXACT_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HAS_DIGIT = re.compile(r"\d")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query split into what the retrievers read and what constrains the passages."""

    text: str  # the words the retrievers rank by: plain words, phrases' and title words, operators removed
    phrases: tuple[str, ...] = ()  # quoted phrases, each to be found as written
    excluded: tuple[str, ...] = ()  # words or phrases whose passages are left out
    title: tuple[str, ...] = ()  # words or phrases the document's title must hold

    @property
    def has_operators(self) -> bool:
        return bool(self.phrases or self.excluded or self.title)


def parse(query: str) -> ParsedQuery:
    """Read the operators of `query`. The text keeps everything else as typed (punctuation included: the dense
    model reads it), with the quotes and prefixes taken off and the exclusions out; a query without operators
    is its own text."""
    pieces: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    title: list[str] = []
    end = 0
    for m in _TOKEN.finditer(query):
        phrase = m.group("phrase")
        quoted = phrase is not None
        value = " ".join(phrase.split()) if quoted else m.group("word")
        if not _HAS_LETTER.search(value) and not _HAS_DIGIT.search(value):
            continue  # punctuation alone, a lone minus: plain text
        if m.group("neg"):
            excluded.append(value)
            value = ""
        elif m.group("field"):
            title.append(value)
        elif quoted and len(_EXACT_WORD.findall(value)) > 1:
            phrases.append(value)
        pieces += [query[end: m.start()], value]
        end = m.end()
    if not (phrases or excluded or title) and not any(ch in query for ch in "\"«»“”„"):
        return ParsedQuery(query)
    pieces.append(query[end:])
    return ParsedQuery(" ".join("".join(pieces).split()), tuple(phrases), tuple(excluded), tuple(title))


def exact_words(text: str) -> list[str]:
    """The words of `text` as written, case and accents aside (« l'Hôtel-Dieu » → l, hotel, dieu): what the
    lexical index's `exact` field holds, with positions, so that phrases can be matched. Each distinct word is
    folded once (a cache), which halves the time of indexing a passage."""
    out: list[str] = []
    for word in _EXACT_WORD.findall(unicodedata.normalize("NFC", text).lower()):
        out += _folded(word)
    return out


@lru_cache(maxsize=200_000)
def _folded(word: str) -> tuple[str, ...]:
    return tuple(_EXACT_WORD.findall(fold(word)))


_MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
           "decembre")
_DATE = re.compile(rf"(?<!\w)(?:(?:1er|\d{{1,2}})\s+(?:{_MONTHS})(?:\s+\d{{4}})?|(?:{_MONTHS})\s+\d{{4}})(?!\w)",
                   re.IGNORECASE)


def as_written(text: str) -> list[list[str]]:
    """The words of plain query text that are matched as written rather than by their stem, each as its exact
    words: dates (« 3 mars 2021 », « octobre 2019 »: the words must follow each other), acronyms (« CAF »,
    « ORT »), codes mixing letters and digits (« RD921 », « A7 »), hyphenated words (« Aristide-Briand »,
    « Saint-Pierre »)."""
    out: list[list[str]] = [exact_words(m.group()) for m in _DATE.finditer(text)]
    for raw in re.findall(r"[^\s\"«»“”„()\[\],;:!?'’]+", text):  # elisions apart: « l'ORT » → ORT
        word = raw.strip(".-")
        parts = exact_words(word)
        if not parts:
            continue
        letters = "".join(ch for ch in word if ch.isalpha())
        acronym = len(letters) >= 2 and letters.isupper() and len(parts) == 1
        code = bool(_HAS_DIGIT.search(word) and _HAS_LETTER.search(word)) and len(parts) == 1
        hyphenated = "-" in word and len(parts) > 1 and all(_HAS_LETTER.search(p) for p in parts)
        if acronym or code or hyphenated:
            out.append(parts)
    return out

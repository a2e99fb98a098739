"""French text analysis shared by indexing and querying.

Both sides must analyse text the same way, so this is the one place that
decides what a term is: lower-cased, split on non-word characters (elisions
such as « l'habitat » give « habitat »), French stop words dropped, Snowball
French stem, then accents folded so that « rehabilitation » finds
« réhabilitation ».
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from index.stopwords_fr import STOPWORDS_FRENCH

_WORD = re.compile(r"\w+", re.UNICODE)
_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'"})


def _is_word_char(ch: str) -> bool:
    return _WORD_CHAR.match(ch) is not None


def fold(text: str) -> str:
    """Lower-case and strip accents (« Épinal » → « epinal »)."""
    text = text.translate(_LIGATURES).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_STOP = frozenset(STOPWORDS_FRENCH) | frozenset(fold(w) for w in STOPWORDS_FRENCH) | {
    "a", "d", "l", "c", "j", "m", "n", "s", "t", "qu", "y", "les", "des", "du", "au", "aux", "un", "une",
}


class FrenchAnalyzer:
    """Turns text into index terms; cheap to call (stems are cached)."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("french")
        self._stem = lru_cache(maxsize=200_000)(self._stem_uncached)

    def _stem_uncached(self, word: str) -> str:
        return fold(self._stemmer.stemWord(word))

    def terms(self, text: str) -> list[str]:
        """Index terms of `text`, in order, stop words removed."""
        out: list[str] = []
        for match in _WORD.finditer(text.translate(_LIGATURES).lower()):
            word = match.group()
            if word in _STOP or (len(word) == 1 and not word.isdigit()):
                continue
            if "_" in word:
                continue
            out.append(self._stem(word))
        return out

    def term_spans(self, text: str) -> list[tuple[str, int, int]]:
        """Terms with their character spans in `text`, for highlighting."""
        out: list[tuple[str, int, int]] = []
        # No ligature translation here: it would shift the offsets (fold() handles « œ » in the stem).
        for match in _WORD.finditer(text.lower()):
            word = match.group()
            if word in _STOP or (len(word) == 1 and not word.isdigit()):
                continue
            out.append((self._stem(word), match.start(), match.end()))
        return out

    def matching_spans(self, text: str, wanted: frozenset[str] | set[str]) -> list[tuple[int, int]]:
        """The spans of the words of `text` whose term is in `wanted`, in text order.

        The same spans as `term_spans` filtered on `wanted`, found faster: each distinct word is stemmed
        once, and only the words that match are located (a match of the whole word, bounded by non-word
        characters, is exactly one of `_WORD`'s maximal runs).
        """
        lowered = text.lower()
        if len(lowered) != len(text):  # « İ » lower-cases to two characters: keep offsets those of `text`
            lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
        distinct = list(set(_WORD.findall(lowered)).difference(_STOP))
        hits = {w for w, term in zip(distinct, map(self._stem, distinct))
                if term in wanted and (len(w) > 1 or w.isdigit())}
        out: list[tuple[int, int]] = []
        for word in hits:
            n = len(word)
            pos = lowered.find(word)
            while pos >= 0:
                end = pos + n
                if not (pos > 0 and _is_word_char(lowered[pos - 1])) and not (
                        end < len(lowered) and _is_word_char(lowered[end])):
                    out.append((pos, end))
                    pos = lowered.find(word, end)
                else:
                    pos = lowered.find(word, pos + 1)
        out.sort()
        return out

    def analyse(self, text: str) -> str:
        """The analysed text as one string of space-separated terms (stored in `chunk_terms`, what tantivy indexes)."""
        return " ".join(self.terms(text))


@lru_cache(maxsize=1)
def get_analyzer() -> FrenchAnalyzer:
    return FrenchAnalyzer()

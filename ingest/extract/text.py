"""Text helpers shared by the extractors: accent/case folding and trie-shaped regexes.

Folding keeps the text length unchanged (one character in, one character out) so that
a match found in the folded text points at the same offsets in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable, Iterator

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006\u3000"
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4`"


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    if ch in _DASHES:
        return "-"
    if ch in _SPACES:
        return " "
    if ch in _APOSTROPHES:
        return "'"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


# Folding tables built once. Latin-1 text (after replacing a few common typographic characters) goes
# through bytes.translate with a 256-entry table, which is much faster than a per-character loop.
_PRE_SAME = (
    [(c, "-") for c in _DASHES]
    + [(c, " ") for c in _SPACES if ord(c) > 255]
    + [(c, "'") for c in _APOSTROPHES if ord(c) > 255]
    + [("œ", "o"), ("Œ", "o"), ("€", "e"), ("…", "."), ("“", '"'), ("”", '"'), ("•", "*"), ("\u200b", " ")]
)
_PRE_EXPANDING = [("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae")] + [p for p in _PRE_SAME if p[0] not in "œŒ"]
_BYTES = bytes(
    ord(_fold_char(chr(i))) if len(_fold_char(chr(i))) == 1 and ord(_fold_char(chr(i))) < 256 else i for i in range(256)
)


def _slow_fold(text: str) -> str:
    return "".join(_fold_char(c) if len(_fold_char(c)) == 1 else c for c in text)


def _fast(text: str, pre: list[tuple[str, str]], table: bytes) -> str:
    if text.isascii():
        return text.lower()
    for a, b in pre:
        if a in text:
            text = text.replace(a, b)
    try:
        return text.encode("latin-1").translate(table).decode("latin-1")
    except UnicodeEncodeError:
        return _slow_fold(text)  # characters outside Latin-1 (already replaced ones aside)


def fold_same_length(text: str) -> str:
    """Lower-case, strip accents and normalise dashes/spaces/apostrophes, one char for one char."""
    return _fast(text, _PRE_SAME, _BYTES)


def fold(text: str) -> str:
    """Lower-case and strip accents (length may change: œ → oe); for keys and phrase matching."""
    return _fast(text, _PRE_EXPANDING, _BYTES)


_BYTES_RULES = bytes(32 if chr(i) in "-\n\t\r\x0b\x0c\xa0" else b for i, b in enumerate(_BYTES))
_RULES_TABLE = str.maketrans({"-": " ", "\n": " ", "\t": " ", "\r": " "})


def rules_form(text: str) -> str:
    """Folded text for phrase rules: accents, case, hyphens and runs of spaces all normalised."""
    if text.isascii():
        out = text.lower().translate(_RULES_TABLE)
    else:
        out = _fast(text, _PRE_EXPANDING, _BYTES_RULES)
        if "-" in out or "\n" in out:  # slow path kept them
            out = out.translate(_RULES_TABLE)
    while "  " in out:
        out = out.replace("  ", " ")
    return out


_BYTES_NAMES = bytes(32 if chr(i) in "-\n\t\r\x0b\x0c" else b for i, b in enumerate(_BYTES))
_NAMES_TABLE = str.maketrans({"-": " ", "\n": " ", "\t": " ", "\r": " "})


def names_form(text: str) -> str:
    """Same-length folded text for place names: hyphens and line breaks also become spaces."""
    if text.isascii():
        return text.lower().translate(_NAMES_TABLE)
    out = _fast(text, _PRE_SAME, _BYTES_NAMES)
    return out.translate(_NAMES_TABLE) if ("-" in out or "\n" in out) else out


def fold_same_length_spaces(text: str) -> str:
    """Replace exotic spaces, dashes and apostrophes only (case and accents kept)."""
    return text.translate(_SPACE_TABLE)


_SPACE_TABLE = str.maketrans(
    {**{c: " " for c in _SPACES}, **{c: "-" for c in _DASHES}, **{c: "'" for c in _APOSTROPHES}}
)

_NO_PLURAL = frozenset(
    (
        "de du des la le les l d a au aux en et pour dans sur par avec centre ville gare ancien l'ancien commun "
        "mise marche location territoire l'habitat sommeil plein vent sauvegarde valeur soins sante musique art "
        "histoire services france commerce proximite l'eau fraicheur ville territoires l'ancien"
    ).split()
)


def _plural(word: str) -> str:
    if word in _NO_PLURAL or not word[-1:].isalpha() or word.endswith(("s", "x", "z")) or "'" in word:
        return word
    if word.endswith("al"):
        return word[:-2] + "aux"
    if word.endswith(("eau", "eu")):
        return word + "x"
    return word + "s"


def phrase_forms(phrase: str) -> set[str]:
    """Folded written forms of a phrase: as given, every word plural, first word plural."""
    base = rules_form(phrase).strip()
    if not base:
        return set()
    words = base.split(" ")
    return {base, " ".join(_plural(w) for w in words), " ".join([_plural(words[0]), *words[1:]])}


_TOKEN_BYTES = bytes(i if chr(i).isascii() and chr(i).isalnum() else 32 for i in range(256))  # case kept


def tokens(folded: str) -> list[str]:
    """Word tokens of a folded text (apostrophes and punctuation separate words; other scripts are dropped)."""
    return folded.encode("ascii", "replace").translate(_TOKEN_BYTES).decode("ascii").split()


def case_tokens(text: str) -> list[str]:
    """ASCII word tokens of the original text, case kept (for acronyms such as "OPAH-RU", "EPF")."""
    return text.encode("ascii", "replace").translate(_TOKEN_BYTES).decode("ascii").split()


class Lexicon:
    """Literal phrases matched over word tokens, longest phrase first: an Aho–Corasick-like index keyed
    by each phrase's first word, so a chunk costs one dictionary lookup per word.

    Each phrase carries a payload; `matches` yields (phrase, payloads) for every phrase found.
    """

    def __init__(self, entries: Iterable[tuple[str, Any]], plurals: bool = True, case_sensitive: bool = False) -> None:
        by_tokens: dict[tuple[str, ...], list[Any]] = {}
        for phrase, payload in entries:
            if case_sensitive:
                forms = {phrase}
            else:
                forms = phrase_forms(phrase) if plurals else {rules_form(phrase).strip()}
            for form in forms:
                toks = tuple(case_tokens(form) if case_sensitive else tokens(form))
                if not toks:
                    continue
                bucket = by_tokens.setdefault(toks, [])
                if payload not in bucket:
                    bucket.append(payload)
        self._index: dict[str, list[tuple[tuple[str, ...], list[Any]]]] = {}
        for toks, payloads in by_tokens.items():
            self._index.setdefault(toks[0], []).append((toks, payloads))
        for candidates in self._index.values():
            candidates.sort(key=lambda c: -len(c[0]))

    def matches(self, folded: str | list[str]) -> Iterator[tuple[tuple[str, ...], list[Any]]]:
        """(phrase tokens, payloads) for every phrase in a `rules_form` text or its `tokens`."""
        toks = tokens(folded) if isinstance(folded, str) else folded
        index = self._index
        free = 0
        for i in [i for i, t in enumerate(toks) if t in index]:
            if i < free:
                continue
            for phrase, payloads in index[toks[i]]:
                size = len(phrase)
                if size == 1 or tuple(toks[i : i + size]) == phrase:
                    yield phrase, payloads
                    free = i + size
                    break


def trie_regex(words: Iterable[str]) -> str:
    """One regex alternation shaped as a trie, so a long word list is matched in a single pass.

    Each word is a literal; the result prefers the longest alternative at every branch.
    """
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_to_regex(trie) or "(?!)"


def _trie_to_regex(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_to_regex(child) for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    if len(branches) == 1:
        body = branches[0]
        if ends:
            return f"(?:{body})?"
        return body
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if ends else body

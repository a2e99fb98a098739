"""Text helpers shared by the extractors: accent/case folding and trie-shaped regexes.

Folding keeps the text length unchanged (one character in, one character out) so that
a match found in the folded text points at the same offsets in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006\u3000"
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4`"


@lru_cache(maxsize=4096)
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


def fold_same_length(text: str) -> str:
    """Lower-case, strip accents and normalise dashes/spaces/apostrophes, one char for one char."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def fold(text: str) -> str:
    """Lower-case and strip accents (length may change: œ → oe); for keys and synonym matching."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    return fold_same_length(text)


def normalise_spaces(text: str) -> str:
    """Collapse runs of whitespace (including NBSP and thin spaces) to one space."""
    return re.sub(r"\s+", " ", fold_same_length_spaces(text)).strip()


def fold_same_length_spaces(text: str) -> str:
    """Replace exotic spaces, dashes and apostrophes only (case and accents kept)."""
    return text.translate(_SPACE_TABLE)


_SPACE_TABLE = str.maketrans(
    {**{c: " " for c in _SPACES}, **{c: "-" for c in _DASHES}, **{c: "'" for c in _APOSTROPHES}}
)


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

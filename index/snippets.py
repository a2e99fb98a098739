"""Snippets: the window of a passage that holds most query terms, with the terms' positions."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate

from index.analysis import FrenchAnalyzer

_SPACES = re.compile(r"(\s+)")


def make_snippet(
    text: str, query_terms: Sequence[str], analyzer: FrenchAnalyzer, width: int = 45
) -> tuple[str, list[list[int]]]:
    """(snippet, [[start, end], …]) — highlight offsets are relative to the snippet.

    Offsets rather than markup, so that no edge ever has to render document
    text as HTML.
    """
    # Words and their start offsets: the runs between `\s+` are exactly what str.split() returns.
    parts = _SPACES.split(text)
    offsets = [0, *accumulate(map(len, parts))]
    words, starts = parts[0::2], offsets[0::2]
    if words and not words[-1]:  # trailing whitespace
        words.pop()
    if words and not words[0]:  # leading whitespace
        del words[0], starts[0]
    del starts[len(words):]
    if not words:
        return "", []
    wanted = frozenset(query_terms)
    hits = analyzer.matching_spans(text, wanted) if wanted else []
    body = _body_start(text, words, starts)  # 0 unless the passage opens with a header box
    if len(words) - body <= width:
        first, last = body, len(words) - 1
    else:
        body_hits = [s for s, _ in hits if s >= starts[body]]
        first = body + _best_window(starts[body:], body_hits, width)
        first = _sentence_start(words, starts, body_hits, first, body, width)
        last = min(first + width, len(words)) - 1
    whole = first == 0 and last == len(words) - 1
    start_char = 0 if whole else starts[first]
    end_char = len(text) if whole else starts[last] + len(words[last])
    prefix = "… " if start_char > 0 else ""
    suffix = " …" if end_char < len(text) else ""
    snippet = prefix + " ".join(words[first : last + 1]) + suffix
    # Highlight offsets on the whitespace-normalised snippet, mapped from the spans found in `text`.
    out: list[list[int]] = []
    offset = len(prefix)
    k = first
    snippet_word_start = offset
    for s, e in hits:
        if s < starts[first] or s >= starts[last] + len(words[last]):
            continue
        while starts[k] + len(words[k]) <= s:  # hits come in text order
            snippet_word_start += len(words[k]) + 1
            k += 1
        delta = snippet_word_start - starts[k]
        out.append([s + delta, e + delta])
    return snippet, out


_SENTENCE_END = re.compile(r"[.!?…][»\"')\]]*$")
_HEADER_ROW = re.compile(r"\S\s*\|\s*\S")  # « Commune | Vienne (Isère) »: a key-value box row
HEADER_LINES = 16  # a header box ends within the passage's first lines


def _body_start(text: str, words: list[str], starts: list[int]) -> int:
    """Index of the first word after a header box at the top of the passage (« Fiche bonne pratique / Titre /
    Mise à jour : … / En bref / Commune | … / Axe | … »), else 0.

    The box is the run of first lines up to its last « key | value » row; nothing is skipped when the passage
    has no such row near its top or when nothing follows the box.
    """
    if "|" not in text:
        return 0
    lines = text.split("\n", HEADER_LINES)[:HEADER_LINES]
    end = -1
    pos = 0
    for line in lines:
        if _HEADER_ROW.search(line):
            end = pos + len(line)
        pos += len(line) + 1
    if end < 0:
        return 0
    body = bisect_left(starts, end)
    return body if body < len(words) else 0


def _sentence_start(words: list[str], starts: list[int], hit_starts: list[int], first: int, body: int,
                    width: int) -> int:
    """Move the window's start to the beginning of the sentence holding its first hit, when that sentence
    starts a little before the window (at most a quarter of it) or between its start and the hit."""
    first_hit = next((h for h in hit_starts if h >= starts[first]), None)
    if first_hit is None:
        return first
    hit_word = bisect_right(starts, first_hit) - 1
    lowest = max(body, first - width // 4, hit_word - width // 2)
    for i in range(hit_word, lowest - 1, -1):
        if (i == body and body > 0) or (i > 0 and _SENTENCE_END.search(words[i - 1])):
            return min(i, len(words) - 1)
    return first


def _best_window(starts: list[int], hit_starts: list[int], width: int) -> int:
    """Index of the first word of the earliest `width`-word window holding the most hits.

    The count of hits in a window only rises when its last word reaches a hit, so the earliest best
    window starts at 0 or where a hit has just come in: only those starts are counted.
    """
    last_start = len(starts) - width
    candidates = {0}
    for h in hit_starts:
        # A window counts the hits from its first word's start to its last word's start (as it always
        # has): `h` comes in at the first window whose last word starts at or after it.
        candidates.add(min(max(0, bisect_left(starts, h) - width + 1), last_start))
    best, best_i = -1, 0
    for i in sorted(candidates):
        n = bisect_right(hit_starts, starts[i + width - 1]) - bisect_left(hit_starts, starts[i])
        if n > best:
            best, best_i = n, i
    return best_i

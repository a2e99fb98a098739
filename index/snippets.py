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
    if len(words) <= width:
        first, last = 0, len(words) - 1
    else:
        first = _best_window(starts, [s for s, _ in hits], width)
        last = first + width - 1
    start_char = starts[first] if len(words) > width else 0
    end_char = starts[last] + len(words[last]) if len(words) > width else len(text)
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

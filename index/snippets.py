"""Snippets: the window of a passage that holds most query terms, with the terms' positions."""

from __future__ import annotations

from collections.abc import Sequence

from index.analysis import FrenchAnalyzer


def make_snippet(
    text: str, query_terms: Sequence[str], analyzer: FrenchAnalyzer, width: int = 45
) -> tuple[str, list[list[int]]]:
    """(snippet, [[start, end], …]) — highlight offsets are relative to the snippet.

    Offsets rather than markup, so that no edge ever has to render document
    text as HTML.
    """
    words = text.split()
    if not words:
        return "", []
    wanted = set(query_terms)
    spans = analyzer.term_spans(text)
    hits = [(s, e) for term, s, e in spans if term in wanted]
    if len(words) <= width:
        start_char, end_char = 0, len(text)
    else:
        # Word start offsets, then the window of `width` words with the most hits.
        starts: list[int] = []
        pos = 0
        for w in words:
            pos = text.index(w, pos)
            starts.append(pos)
            pos += len(w)
        best, best_i = -1, 0
        j = 0
        hit_starts = sorted(s for s, _ in hits)
        for i in range(0, len(words) - width + 1):
            lo, hi = starts[i], starts[i + width - 1]
            while j < len(hit_starts) and hit_starts[j] < lo:
                j += 1
            n = 0
            while j + n < len(hit_starts) and hit_starts[j + n] <= hi:
                n += 1
            if n > best:
                best, best_i = n, i
        start_char = starts[best_i]
        last = best_i + width - 1
        end_char = starts[last] + len(words[last])
    body = text[start_char:end_char]
    prefix = "… " if start_char > 0 else ""
    suffix = " …" if end_char < len(text) else ""
    snippet = " ".join((prefix + body + suffix).split())
    # Recompute highlight offsets on the whitespace-normalised snippet.
    out: list[list[int]] = []
    for term, s, e in analyzer.term_spans(snippet):
        if term in wanted:
            out.append([s, e])
    return snippet, out

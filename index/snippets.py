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
    # Word start offsets in `text` (a term never spans whitespace, so each term lies inside one word).
    starts: list[int] = []
    pos = 0
    for w in words:
        pos = text.index(w, pos)
        starts.append(pos)
        pos += len(w)
    spans = analyzer.term_spans(text)
    hits = [(s, e) for term, s, e in spans if term in wanted]
    if len(words) <= width:
        first, last = 0, len(words) - 1
    else:
        # The window of `width` words with the most hits.
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
        first, last = best_i, best_i + width - 1
    start_char = starts[first] if len(words) > width else 0
    end_char = starts[last] + len(words[last]) if len(words) > width else len(text)
    prefix = "… " if start_char > 0 else ""
    suffix = " …" if end_char < len(text) else ""
    snippet = prefix + " ".join(words[first : last + 1]) + suffix
    if len(text.lower()) != len(text):
        # A character whose lower case is longer (« İ ») shifts term_spans' offsets: analyse the snippet itself.
        return snippet, [[s, e] for term, s, e in analyzer.term_spans(snippet) if term in wanted]
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

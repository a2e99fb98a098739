"""Snippets and highlight offsets: exact outputs, and the fast path against a plain reference."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from index.analysis import get_analyzer
from index.snippets import make_snippet

A = get_analyzer()


def reference_snippet(text: str, terms: list[str], width: int = 45) -> tuple[str, list[list[int]]]:
    """The plain algorithm: analyse every word, count the hits of every window, keep the earliest best.

    (Texts whose lower case changes length are tested apart: `term_spans` offsets are those of the lower case.)
    """
    words = text.split()
    if not words:
        return "", []
    starts, pos = [], 0
    for w in words:
        pos = text.index(w, pos)
        starts.append(pos)
        pos += len(w)
    wanted = set(terms)
    hit_starts = [s for term, s, _ in A.term_spans(text) if term in wanted]
    first = 0
    if len(words) > width:
        counts = [sum(1 for h in hit_starts if starts[i] <= h <= starts[i + width - 1])
                  for i in range(len(words) - width + 1)]
        first = counts.index(max(counts))
    last = min(first + width, len(words)) - 1
    start_char = starts[first] if len(words) > width else 0
    end_char = starts[last] + len(words[last]) if len(words) > width else len(text)
    snippet = ("… " if start_char > 0 else "") + " ".join(words[first : last + 1]) + (
        " …" if end_char < len(text) else "")
    return snippet, [[s, e] for term, s, e in A.term_spans(snippet) if term in wanted]


def highlighted(snippet: str, offsets: list[list[int]]) -> list[str]:
    return [snippet[s:e] for s, e in offsets]


def test_short_text_is_whole_with_its_terms():
    snippet, offsets = make_snippet("La halle du centre-ville rénovée en 2021.", ["hall", "vill"], A)
    assert snippet == "La halle du centre-ville rénovée en 2021."
    assert offsets == [[3, 8], [19, 24]]
    assert highlighted(snippet, offsets) == ["halle", "ville"]


def test_window_is_the_earliest_with_most_hits_and_whitespace_is_normalised():
    text = "un deux trois\n\nquatre marché couvert  cinq six marché sept huit neuf dix couvert"
    snippet, offsets = make_snippet(text, A.terms("marché couvert"), A, width=4)
    assert snippet == "… trois quatre marché couvert …"
    assert highlighted(snippet, offsets) == ["marché", "couvert"]


def test_a_term_inside_the_last_word_is_not_counted_for_its_window():
    # « centre-ville »: « ville » starts inside the word, after the window's last word start.
    text = "alpha beta centre-ville gamma ville delta ville"
    snippet, _ = make_snippet(text, ["vill"], A, width=3)
    assert snippet == reference_snippet(text, ["vill"], 3)[0]
    assert snippet == "… centre-ville gamma ville …"


def test_whole_words_only_and_ligatures_and_long_lower_case():
    snippet, offsets = make_snippet("villes villeneuve ville_ville ville", ["vill"], A)
    assert highlighted(snippet, offsets) == ["villes", "ville"]
    snippet, offsets = make_snippet("Les Œuvres et l'œuvre", A.terms("œuvre"), A)
    assert highlighted(snippet, offsets) == ["Œuvres", "œuvre"]
    # « İ » lower-cases to two characters: the offsets still point at the words (they were shifted once).
    snippet, offsets = make_snippet("İzmir, İle ville İ ville", ["vill"], A)
    assert highlighted(snippet, offsets) == ["ville", "ville"]


def test_no_term_and_empty_text():
    assert make_snippet("", ["vill"], A) == ("", [])
    assert make_snippet("  \n ", ["vill"], A) == ("", [])
    assert make_snippet("une ville", [], A) == ("une ville", [])


_WORDS = ["ville", "villes", "centre-ville", "marché", "Marchés", "couvert", "halle", "l'habitat", "habitats",
          "œuvre", "2021", "1,5", "M€", "a", "de", "la", "ville_x", "réhabilitation", "rehabilitation"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(string.ascii_letters + "éèà-'", min_size=1, max_size=8)),
             max_size=80),
    st.lists(st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\x1c"]), min_size=1, max_size=80),
    st.lists(st.sampled_from(["vill", "march", "couvert", "hall", "habitat", "oeuvr", "2021", "rehabilit"]),
             max_size=4),
    st.sampled_from([3, 5, 45]),
)
def test_same_output_as_the_plain_algorithm(words, spaces, terms, width):
    text = "".join(w + spaces[i % len(spaces)] for i, w in enumerate(words))
    assert make_snippet(text, terms, A, width) == reference_snippet(text, terms, width)

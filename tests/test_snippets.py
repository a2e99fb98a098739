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


HEADER_BOX = ("Fiche bonne pratique\nMorlaix : des vitrines à l'essai\nMise à jour : 3 mars 2021\nEn bref\n"
              "Commune | Morlaix (Finistère, Bretagne)\nAxe | Axe 2 – Développement économique\n"
              "Thème | Vacance commerciale, vitrines\n")


def test_a_header_box_is_skipped_even_when_it_holds_query_terms():
    text = HEADER_BOX + "La ville loue six vitrines vides à des créateurs pendant un an."
    snippet, offsets = make_snippet(text, A.terms("vitrines vacance"), A)
    assert snippet == "… La ville loue six vitrines vides à des créateurs pendant un an."
    assert highlighted(snippet, offsets) == ["vitrines"]


def test_a_long_passage_after_a_header_box_starts_at_the_matching_sentence():
    body = ("Le centre comptait quarante commerces fermés en 2018 et les loyers restaient élevés malgré tout. "
            "Depuis, la ville propose aux créateurs un loyer réduit pendant six mois dans des vitrines rénovées, "
            "avec un accompagnement de la chambre de commerce. " + "Autre phrase sans rapport ici. " * 8)
    snippet, offsets = make_snippet(HEADER_BOX + body, A.terms("loyer réduit vitrines"), A, width=20)
    assert snippet == ("… Depuis, la ville propose aux créateurs un loyer réduit pendant six mois dans des vitrines "
                       "rénovées, avec un accompagnement de …")
    assert highlighted(snippet, offsets) == ["loyer", "réduit", "vitrines"]


def test_no_box_no_skip_and_a_box_alone_is_kept():
    assert make_snippet("Prix | 12 €", ["prix"], A)[0] == "Prix | 12 €"
    text = "Une ligne | avec une barre au milieu d'une phrase."
    assert make_snippet(text, ["lign"], A)[0] == text

"""The per-query bodies cache: each body read once, term tests equal to membership in the split body."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.query_bodies import QueryBodies

BODIES = {
    1: "march couvert renov centr vill",
    2: "hall march march",
    3: "vill\u3000centr ecol",  # an exotic whitespace inside the stored body: split as a list would
    4: "",
}


def reader(calls: list[list[int]]):
    def read(ids: list[int]) -> dict[int, str]:
        calls.append(list(ids))
        return {i: BODIES[i] for i in ids if i in BODIES}
    return read


def test_each_body_is_read_once_and_a_missing_chunk_holds_nothing():
    calls: list[list[int]] = []
    bodies = QueryBodies(reader(calls))
    assert bodies.present([1, 2, 9], ["march", "vill", "zzz"]) == {1: {"march", "vill"}, 2: {"march"}, 9: set()}
    assert bodies.present([2, 1, 3], ["hall"]) == {2: {"hall"}, 1: set(), 3: set()}
    assert calls == [[1, 2, 9], [3]]
    assert bodies.has(1) and not bodies.has(9)


def test_whole_terms_only_and_other_whitespace():
    bodies = QueryBodies(reader([]))
    assert bodies.present([1], ["mar", "couv", "march couvert", "centr vill", ""]) == {1: set()}
    assert bodies.present([3], ["vill", "centr", "ecol"]) == {3: {"vill", "centr", "ecol"}}
    assert bodies.present([4], ["vill"]) == {4: set()}


def test_term_sets():
    bodies = QueryBodies(reader([]))
    assert bodies.term_set(2) == frozenset({"hall", "march"})
    assert bodies.term_set(3) == frozenset({"vill", "centr", "ecol"})
    assert bodies.term_set(4) == frozenset()
    assert bodies.term_set(9) == frozenset()


_TERMS = st.sampled_from(["vill", "centr", "march", "march2", "a", "é", "x y", "oe", "2021", "\u3000", "v"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TERMS, max_size=12), min_size=1, max_size=6), st.lists(_TERMS, max_size=6))
def test_same_as_membership_in_the_split_body(stored, wanted):
    texts = {i: " ".join(terms) for i, terms in enumerate(stored)}
    bodies = QueryBodies(lambda ids: {i: texts[i] for i in ids})
    expected = {i: {t for t in wanted if t in texts[i].split()} for i in texts}
    assert bodies.present(list(texts), wanted) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_TERMS, max_size=12), min_size=1, max_size=6),
       st.lists(st.sampled_from([f"t{i}" for i in range(30)]) | _TERMS, min_size=13, max_size=30))
def test_many_terms_take_the_split_path_with_the_same_answer(stored, wanted):
    texts = {i: " ".join(terms + [f"t{j}" for j in range(i, 30, 3)]) for i, terms in enumerate(stored)}
    bodies = QueryBodies(lambda ids: {i: texts[i] for i in ids})
    expected = {i: {t for t in wanted if t in texts[i].split()} for i in texts}
    assert bodies.present(list(texts), wanted) == expected

"""The near-duplicate test of the first page: the size shortcut decides exactly as the full Jaccard does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.grouping import jaccard as _jaccard, jaccard_at_least as _jaccard_at_least

_TERMS = st.frozensets(st.sampled_from([f"t{i}" for i in range(12)]), max_size=12)


def test_sizes_alone_rule_out_a_near_duplicate() -> None:
    assert _jaccard(frozenset("ab"), frozenset("abcdefghij")) == 0.2
    assert _jaccard_at_least(frozenset("ab"), frozenset("abcdefghij"), 0.8) is False
    assert _jaccard_at_least(frozenset("abcdefgh"), frozenset("abcdefghij"), 0.8) is True
    assert _jaccard_at_least(frozenset("abcdefg"), frozenset("abcdefghij"), 0.8) is False


@given(_TERMS, _TERMS, st.sampled_from([0.0, 0.5, 0.8, 0.85, 0.9, 1.0]))
def test_same_decision_as_the_full_jaccard(a: frozenset[str], b: frozenset[str], threshold: float) -> None:
    assert _jaccard_at_least(a, b, threshold) == (_jaccard(a, b) >= threshold)

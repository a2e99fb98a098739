"""The « nothing relevant » decision (index/relevance.py) on a tiny fixed index (fake embedder): the signals
it measures — agreement of the two retrievers' top ten, dense coverage, words — and the exact flags."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest

from index.relevance import RelevanceSignals, assess, no_relevant_result
from index.store import Filters
from tests._tiny_index import load_documents
from tests.test_ranking import DOCS


@pytest.fixture
def tiny(kb) -> Iterator[Any]:
    yield load_documents(kb, DOCS)


def _diag(kb, query: str) -> tuple[bool, dict[str, float]]:
    ranking = kb.retriever.rank(query, Filters(), 10)
    return ranking.no_relevant_result, ranking.diagnostics


@pytest.mark.parametrize(
    ("query", "flagged", "agreement", "dense_coverage", "terms"),
    [
        # nothing of the query anywhere: the guard (and the support: 1.0, 1.5)
        ("patinoire olympique", True, 0.0, 0.0, 2),
        ("zorglub quantique xylophone", True, 0.0, 0.0, 3),
        # one word the corpus knows (« centre », « habitants », « parc »), the thing asked for unknown:
        # support 3.72 × 0.1 + 2.23 × dense coverage + 0.5 × words < 2.95
        ("patinoire du centre", True, 0.1, 0.3877, 2),
        ("piscine olympique pour les habitants", True, 0.1, 0.2405, 3),
        ("golf et casino du parc", True, 0.1, 0.2405, 3),
        # on-topic queries: their words are in the passages both retrievers fetch
        ("comité de projet", False, 0.3, 1.0, 2),
        ("dispositif Denormandie investisseurs", False, 0.4, 1.0, 3),
        ("espace de travail partagé", False, 0.1, 1.0, 3),
        ("réduction d'impôt pour rénover un logement ancien", False, 0.3, 0.7666, 5),
    ],
)
def test_flags_on_the_tiny_index(tiny, query: str, flagged: bool, agreement: float, dense_coverage: float,
                                 terms: int) -> None:
    got, diag = _diag(tiny, query)
    assert got is flagged
    assert diag["agreement"] == pytest.approx(agreement)
    assert diag["dense_coverage"] == pytest.approx(dense_coverage, abs=1e-4)
    assert diag["terms"] == terms


def test_lexical_only_ranking_keeps_the_coverage_rule(tiny) -> None:
    ranking = tiny.retriever.rank("patinoire du centre", Filters(), 10, method="lexical")
    assert ranking.no_relevant_result is False  # coverage 0.39 ≥ 0.24: no dense side to disagree with
    assert tiny.retriever.rank("patinoire olympique", Filters(), 10, method="lexical").no_relevant_result is True


def _stub_assess(dense: list[tuple[int, float]], lexical: list[tuple[int, float]], terms: list[str],
                 bodies: dict[int, set[str]], dfs: dict[str, int]) -> tuple[bool, RelevanceSignals]:
    return assess(
        method="weighted", hits=10, raw_terms=terms, coverage=0.5, dense=dense, lexical=lexical,
        doc_freqs=lambda ts: {t: dfs[t] for t in ts if t in dfs}, total_chunks=100,
        matched_terms=lambda ids, ts: {i: bodies.get(i, set()) & set(ts) for i in ids}, min_coverage=0.24)


def test_assess_measures_agreement_on_the_two_top_tens() -> None:
    dense = [(i, 0.9 - i / 100) for i in range(1, 13)]  # 1..12; only 1..10 count
    lexical = [(i, 20.0 - i) for i in (9, 10, 11, 12, 30, 31, 32, 33, 34, 35, 1)]  # 1 is 11th: not counted
    flag, s = _stub_assess(dense, lexical, ["tramway", "lyon"], {}, {})
    assert s.agreement == pytest.approx(0.2)  # 9 and 10
    assert s.dense_coverage == 0.0 and s.unknown_share == 1.0
    assert s.support == pytest.approx(3.72 * 0.2 + 0.5 * 2)
    assert flag is True


def test_assess_dense_coverage_is_the_best_passages_idf_share() -> None:
    dfs = {"piscin": 1, "centr": 50}
    idf = {t: math.log(1 + (100 - d + 0.5) / (d + 0.5)) for t, d in dfs.items()}
    dense = [(1, 0.9), (2, 0.8)]
    flag, s = _stub_assess(dense, [(1, 3.0)], ["piscin", "centr"], {1: {"centr"}, 2: {"piscin"}}, dfs)
    assert s.dense_coverage == pytest.approx(idf["piscin"] / (idf["piscin"] + idf["centr"]))
    assert s.agreement == pytest.approx(0.1)
    # 3.72 × 0.1 + 2.23 × 0.859 + 1.0 = 3.29 ≥ 2.95
    assert round(s.support, 2) == 3.29 and flag is False


def test_support_threshold() -> None:
    base = dict(method="weighted", hits=10, terms=4, coverage=0.5, best_dense=0.85, unknown_share=0.0)
    assert no_relevant_result(RelevanceSignals(**base, dense_coverage=0.42, agreement=0.0)) is True  # 2.937
    assert no_relevant_result(RelevanceSignals(**base, dense_coverage=0.43, agreement=0.0)) is False  # 2.959
    assert no_relevant_result(RelevanceSignals(**base, dense_coverage=0.0, agreement=0.25)) is True  # 2.930
    assert no_relevant_result(RelevanceSignals(**base, dense_coverage=0.0, agreement=0.26)) is False  # 2.967
    assert no_relevant_result(RelevanceSignals(**base, dense_coverage=0.0, agreement=0.0), min_support=1.9) is False


# -- the date guard -------------------------------------------------------------------------------------------


def test_month_stems_are_the_analysers():
    from index.analysis import get_analyzer
    from index.relevance import MONTHS

    names = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    assert frozenset(get_analyzer().terms(names)) == MONTHS


@pytest.mark.parametrize(
    ("terms", "date"),
    [
        (["22", "novembr", "2019"], ["22", "novembr", "2019"]),
        (["signatur", "1er", "mar", "2018"], ["1er", "mar", "2018"]),
        (["juillet", "2018"], ["juillet", "2018"]),
        (["5", "juillet"], ["5", "juillet"]),
        (["mai"], []),  # a month alone is not a date
        (["32", "mai", "18"], []),  # no day 32, no two-digit year
        (["22", "11", "2019"], []),  # figures only: not recognised
    ],
)
def test_date_terms(terms: list[str], date: list[str]) -> None:
    from index.relevance import date_terms

    assert date_terms(terms) == date


def test_holds_date_needs_the_date_as_written_and_the_other_words() -> None:
    from index.relevance import holds_date

    bodies = ["sign vendredi 22 novembr 2019 aven", "17 logement octobr 2019 chantier"]
    assert holds_date(bodies, ["22", "novembr", "2019"], ["22", "novembr", "2019"]) is True
    assert holds_date(bodies, ["22", "novembr", "2019"], ["aven"]) is True
    assert holds_date(bodies, ["22", "novembr", "2019"], ["piscin"]) is False  # the date is there, the subject not
    assert holds_date(bodies, ["17", "octobr", "2019"], []) is False  # the three terms only co-occur


def test_date_guard_in_assess_reads_the_best_lexical_bodies() -> None:
    bodies = {1: "sign vendredi 22 novembr 2019 aven", 2: "17 logement octobr 2019 chantier", 3: "march couvert"}

    def run(query_terms: list[str], lexical: list[tuple[int, float]], **kw: Any) -> tuple[bool, RelevanceSignals]:
        return assess(method="weighted", hits=3, raw_terms=query_terms, coverage=1.0, dense=[(3, 0.85)],
                      lexical=lexical, doc_freqs=lambda ts: {t: 1 for t in ts}, total_chunks=3,
                      matched_terms=lambda ids, ts: {i: set() for i in ids}, min_coverage=0.24, **kw)

    def read(ids: list[int]) -> dict[int, str]:
        return {i: bodies[i] for i in ids}

    # support 3 × 0.50 = 1.5 < 2.95: flagged without the bodies (the guard is off without them)
    flagged, s = run(["22", "novembr", "2019"], [(1, 2.0), (2, 1.0)])
    assert (flagged, s.date_found, s.support) == (True, False, pytest.approx(1.5))
    flagged, s = run(["22", "novembr", "2019"], [(1, 2.0), (2, 1.0)], body_texts=read)
    assert (flagged, s.date_found) == (False, True)
    assert s.as_dict()["date_found"] == 1.0
    # terms that only co-occur, or a date outside the ten best lexical candidates: flagged
    flagged, s = run(["17", "octobr", "2019"], [(1, 2.0), (2, 1.0)], body_texts=read)
    assert (flagged, s.date_found) == (True, False)
    flagged, s = run(["22", "novembr", "2019"], [(3, 2.0)], body_texts=read)
    assert (flagged, s.date_found) == (True, False)


def test_date_guard_switch(monkeypatch) -> None:
    import index.relevance as relevance

    s = RelevanceSignals("weighted", 5, 3, 1.0, 0.85, 0.0, 0.0, 0.0, date_found=True)
    assert no_relevant_result(s) is False
    assert no_relevant_result(RelevanceSignals("weighted", 0, 3, 1.0, 0.85, 0.0, 0.0, 0.0, date_found=True)) is True
    monkeypatch.setattr(relevance, "DATE_GUARD", False)
    assert no_relevant_result(s) is True  # coverage 1.0 but dense coverage 0 and support 1.5 < 2.95


# -- R1, the absent date, and R2, the commune rule -------------------------------------------------------------


def test_absent_date_is_flagged_whatever_the_support(monkeypatch) -> None:
    import index.relevance as relevance

    strong = dict(method="weighted", hits=10, terms=3, coverage=1.0, best_dense=0.9, unknown_share=0.0,
                  dense_coverage=1.0, agreement=1.0)  # support 7.45
    assert no_relevant_result(RelevanceSignals(**strong)) is False
    assert no_relevant_result(RelevanceSignals(**strong, date_absent=True)) is True
    monkeypatch.setattr(relevance, "DATE_ABSENT", False)
    assert no_relevant_result(RelevanceSignals(**strong, date_absent=True)) is False


def test_absent_date_in_assess_needs_the_date_as_written() -> None:
    bodies = {1: "sign vendredi 22 novembr 2019 aven", 2: "17 logement octobr 2019 chantier"}
    lexical = [(1, 2.0), (2, 1.0)]

    def run(terms: list[str]) -> RelevanceSignals:
        return assess(method="weighted", hits=2, raw_terms=terms, coverage=1.0, dense=[(1, 0.9), (2, 0.8)],
                      lexical=lexical, doc_freqs=lambda ts: {t: 1 for t in ts}, total_chunks=3,
                      matched_terms=lambda ids, ts: {i: set(bodies[i].split()) & set(ts) for i in ids},
                      min_coverage=0.24, body_texts=lambda ids: {i: bodies[i] for i in ids})[1]

    s = run(["22", "novembr", "2019"])
    assert (s.date_found, s.date_absent) == (True, False)
    s = run(["17", "octobr", "2019"])  # the three terms only co-occur: the date is not there
    assert (s.date_found, s.date_absent) == (False, True)
    s = run(["piscin", "22", "novembr", "2019"])  # the date is there, the subject not: the support decides
    assert (s.date_found, s.date_absent) == (False, False)
    s = run(["comit", "projet"])  # no date: nothing read, nothing set
    assert (s.date_found, s.date_absent) == (False, False)


def _communes():
    from index.analysis import get_analyzer
    from index.relevance import CommuneNames

    return CommuneNames([("Sens", "89387", True), ("Quimper", "29232", False), ("Saint-Pierre", "97416", True),
                         ("Le Puy-en-Velay", "43157", False), ("Le Puy", "43157", False), ("Agen", "47001", False)],
                        get_analyzer().terms)


@pytest.mark.parametrize(
    ("query", "insee"),
    [
        ("effectifs de la police municipale de Sens", ["89387"]),
        ("panneau sens unique", []),  # a common word: only with its capital
        ("vacance comerciale quimper", ["29232"]),  # an unambiguous name, typed in lower case
        ("Saint-Pierre : coût des logements", ["97416"]),
        ("église saint pierre", []),
        ("halle du Puy-en-Velay", ["43157", "43157"]),  # the name and its short form « Le Puy »
        ("Agen et Quimper", ["47001", "29232"]),
    ],
)
def test_commune_names_in_a_query(query: str, insee: list[str]) -> None:
    from index.analysis import get_analyzer

    names = _communes()
    assert [c.insee for c in names.named(query, list(dict.fromkeys(get_analyzer().terms(query))))] == insee


def test_commune_rule_needs_the_topic_in_a_passage_about_the_commune() -> None:
    from index.analysis import get_analyzer

    names = _communes()
    an = get_analyzer().terms
    bodies = {1: set(an("Quimper passerelle au-dessus des voies ferrées, convention Action cœur de ville")),
              2: set(an("Agen police municipale patrouille le soir")),
              3: set(an("police de proximité en centre-ville"))}
    doc_communes = {1: {"29232"}, 2: {"47001"}, 3: {"29232"}}  # passage 3's document is about Quimper

    def run(query: str) -> tuple[bool, RelevanceSignals]:
        terms = an(query)
        return assess(method="weighted", hits=3, raw_terms=terms, coverage=1.0, dense=[(1, 0.9), (2, 0.8), (3, 0.7)],
                      lexical=[(2, 3.0), (1, 2.0), (3, 1.0)], doc_freqs=lambda ts: {t: 1 for t in ts}, total_chunks=3,
                      matched_terms=lambda ids, ts: {i: bodies[i] & set(ts) for i in ids}, min_coverage=0.24,
                      query=query, shown=[2, 1, 3], communes=names, passage_communes=lambda ids: doc_communes)

    # « police municipale » is in Agen's passage only; Quimper's passages hold « police » (1 of 2 topic words)
    flagged, s = run("police municipale de Quimper")
    assert (flagged, s.communes, s.topic) == (False, 1, pytest.approx(0.5))
    flagged, s = run("police municipale et vidéoprotection à Quimper")  # 1 of 3 topic words: 0.33 ≥ 0.13
    assert (flagged, round(s.topic, 4)) == (False, 0.3333)
    flagged, s = run("astreinte des agents de surveillance à Quimper")  # none of the subject with Quimper
    assert (flagged, s.communes, s.topic) == (True, 1, 0.0)
    flagged, s = run("convention Action cœur de ville de Quimper")  # programme words only: the commune suffices
    assert (flagged, s.topic) == (False, 1.0)
    flagged, s = run("convention Action cœur de ville du Puy-en-Velay")  # no passage about the commune
    assert (flagged, s.communes, s.topic) == (True, 2, 0.0)  # two names: « Le Puy-en-Velay », « Le Puy »
    # without the gazetteer's names the rule is off
    s = assess(method="weighted", hits=3, raw_terms=an("police du Puy-en-Velay"), coverage=1.0, dense=[(1, 0.9)],
               lexical=[(1, 1.0)], doc_freqs=lambda ts: {t: 1 for t in ts}, total_chunks=3,
               matched_terms=lambda ids, ts: {i: set() for i in ids}, min_coverage=0.24)[1]
    assert (s.communes, s.topic) == (0, 1.0)


def test_commune_rule_threshold() -> None:
    base = dict(method="weighted", hits=10, terms=4, coverage=1.0, best_dense=0.9, unknown_share=0.0,
                dense_coverage=1.0, agreement=1.0)
    assert no_relevant_result(RelevanceSignals(**base, communes=1, topic=0.12)) is True
    assert no_relevant_result(RelevanceSignals(**base, communes=1, topic=0.13)) is False
    assert no_relevant_result(RelevanceSignals(**base, communes=0, topic=0.0)) is False


COMMUNE_DOCS = {
    "quimper": "À Quimper, la passerelle au-dessus des voies ferrées relie la gare au centre-ville.",
    "agen": "À Agen, la police municipale patrouille dans le centre-ville le soir et le week-end.",
    "halles": "Les halles couvertes accueillent le marché des producteurs le samedi matin.",
}


def test_commune_rule_on_a_tiny_index(kb) -> None:
    load_documents(kb, COMMUNE_DOCS)
    got = {q: _diag(kb, q) for q in ("passerelle de Quimper", "police municipale d'Agen",
                                     "police municipale de Quimper")}
    assert {q: (f, d["communes"], round(d["topic"], 4)) for q, (f, d) in got.items()} == {
        "passerelle de Quimper": (False, 1.0, 1.0),
        "police municipale d'Agen": (False, 1.0, 1.0),
        "police municipale de Quimper": (True, 1.0, 0.0),  # the subject is Agen's, not Quimper's
    }


def test_commune_rule_reads_the_corrected_words_on_a_tiny_index(kb) -> None:
    # A misspelt subject is corrected against the index vocabulary before the commune rule looks for it: the
    # raw word « paserelle » is in no passage, its correction « passerelle » is in Quimper's.
    # (Read from the raw words, the topic share was 0.0 and the rule flagged the query whatever the support said.)
    load_documents(kb, COMMUNE_DOCS)
    _flagged, diag = _diag(kb, "paserelle de Quimper")
    assert (diag["corrected"], diag["communes"], round(diag["topic"], 4)) == (1.0, 1.0, 1.0)


def test_a_name_no_passage_holds_is_not_flagged_by_itself(kb) -> None:
    load_documents(kb, COMMUNE_DOCS)
    flagged, diag = _diag(kb, "passerelle de Quimper pour les Airbnb")
    assert flagged is False and "unknown_name" not in diag and "rare_absent" not in diag

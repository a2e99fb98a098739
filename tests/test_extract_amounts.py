"""Amounts in euros: multipliers, separators (spaces, NBSP, thin spaces, dots), tax suffixes."""

from __future__ import annotations

import pytest

from ingest.extract.amounts import find_amounts


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("soit 1,2 M€ de travaux", "1,2 M€", 1_200_000.0),
        ("un total de 3 400 000 € HT", "3 400 000 € HT", 3_400_000.0),
        ("3\u202f400\u202f000 euros", "3\u202f400\u202f000 euros", 3_400_000.0),
        ("3\u00a0400\u00a0000\u00a0€", "3\u00a0400\u00a0000\u00a0€", 3_400_000.0),
        ("5 milliards d'euros sur cinq ans", "5 milliards d'euros", 5_000_000_000.0),
        ("1 Md€ de fonds propres", "1 Md€", 1_000_000_000.0),
        ("700 millions d’euros de prêts", "700 millions d’euros", 700_000_000.0),
        ("250 000 €HT", "250 000 €HT", 250_000.0),
        ("plafonné à 12 k€ par immeuble", "12 k€", 12_000.0),
        ("1,5 Md€", "1,5 Md€", 1_500_000_000.0),
        ("soit 3.400.000 € au total", "3.400.000 €", 3_400_000.0),
        ("2,5 millions €", "2,5 millions €", 2_500_000.0),
        ("1 million d'euros", "1 million d'euros", 1_000_000.0),
    ],
)
def test_one_amount(text: str, surface: str, value: float) -> None:
    found = find_amounts(text)
    assert [(a.text, a.value) for a in found] == [(surface, value)]


def test_several_amounts_in_order_and_years_ignored() -> None:
    text = "En 2018, 1 200 000 € puis 300 000 € ; en 2019 4,5 M€. Total : 6 000 000 euros HT."
    assert [a.value for a in find_amounts(text)] == [1_200_000.0, 300_000.0, 4_500_000.0, 6_000_000.0]


def test_no_currency_no_amount() -> None:
    assert find_amounts("222 villes, 5 ans, 1 500 logements") == []

"""Funders under canonical names; State programmes also under their own name."""

from __future__ import annotations

import pytest

from ingest.extract.funders import FunderMatcher


@pytest.fixture(scope="module")
def funders() -> FunderMatcher:
    return FunderMatcher()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("financé par la Banque des Territoires et l’État (DSIL)", ["Banque des Territoires", "État", "DSIL"]),
        ("Caisse des Dépôts, Anah et Action Logement", ["Banque des Territoires", "Action Logement", "Anah"]),
        ("avec l'Agence nationale de l'habitat et l'ANCT", ["Anah", "ANCT"]),
        ("la Région Hauts-de-France et le Département", ["Région", "Département"]),
        ("le conseil régional et le conseil départemental", ["Région", "Département"]),
        ("fonds européens (FEDER) et l'EPF Normandie", ["FEDER", "EPF"]),
        ("l'établissement public foncier local", ["EPF"]),
        ("Fonds vert, FNADT et DETR", ["État", "DETR", "FNADT", "Fonds vert"]),
        ("le fonds friches", ["État", "Fonds friches"]),
        ("le préfet de la région Hauts-de-France", []),
        ("l'état des lieux du commerce", []),
        ("avec l'appui du Cerema", []),
    ],
)
def test_funders(funders: FunderMatcher, text: str, expected: list[str]) -> None:
    assert funders.find(text) == expected

"""Communes in text: accents/case/hyphens/"St-", and the ambiguous names of the gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.cities import AreaMatcher, CityMatcher
from ingest.extract.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_csv(ROOT / "corpus" / "acv_communes.csv")


@pytest.fixture(scope="module")
def cities(gazetteer: Gazetteer) -> CityMatcher:
    return CityMatcher(gazetteer)


def codes(matcher: CityMatcher, text: str, context: frozenset[str] = frozenset()) -> list[str]:
    return [m.insee for m in matcher.find(text, context)]


def test_gazetteer(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.all()) == 244
    assert gazetteer.get("62119").name == "Béthune"  # type: ignore[union-attr]
    assert gazetteer.by_name("ST-MALO").insee == "35288"  # type: ignore[union-attr]
    assert gazetteer.resolve("epinal").insee == "88160"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le maire de Béthune et celui de BETHUNE", ["62119", "62119"]),
        ("à St-Malo, à St Malo et à Saint Malo", ["35288", "35288", "35288"]),
        ("à Charleville-Mézières puis à Charleville", ["08105", "08105"]),
        ("Arpajon-sur-Cère n'est pas Arpajon", ["15012", "91021"]),
        ("l'agglomération Béthune-Bruay", ["62119", "62178"]),
        ("la communauté d'agglomération Gap-Tallard-Durance", []),
    ],
)
def test_plain_names(cities: CityMatcher, text: str, expected: list[str]) -> None:
    assert codes(cities, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Sens
        ("La rue passe en sens unique, dans le sens nord-sud. C'est du bon sens.", []),
        ("Sens interdit pour les camions.", []),
        ("Le maire de Sens a signé la convention.", ["89387"]),
        ("La halle de Sens (Yonne) rouvre.", ["89387"]),
        ("Sens-de-Bretagne n'est pas dans le programme.", []),
        # Lens
        ("Lens flare et autofocus : le nouvel objectif.", []),
        ("À Lens, le Louvre-Lens attire les visiteurs.", ["62498"]),
        ("Lens-Lestang est un village de la Drôme.", []),
        # Gap
        ("Le gap entre les deux villes se creuse.", []),
        ("Le maire de Gap a signé l'ORT.", ["05061"]),
        # Thiers
        ("Le tiers-lieu est rue Thiers, près de la place Thiers et de l'avenue Adolphe-Thiers.", []),
        ("Un tiers des surfaces ; le président Adolphe Thiers.", []),
        ("La coutellerie de Thiers (Puy-de-Dôme) recrute.", ["63430"]),
        # Vienne
        ("Le préfet de la Vienne et Poitiers (Vienne) ; le département de la Vienne.", ["86194"]),
        ("Le site, en bord de Vienne, a été reconverti.", []),
        ("Une délégation de Vienne (Autriche) est reçue.", []),
        ("La ville de Vienne (Isère) signe sa convention.", ["38544"]),
        ("Limoges, préfecture de la Haute-Vienne.", ["87085"]),
        # Valence, Cognac, Avon, Revel, Saintes
        ("Une délégation de Valence (Espagne).", []),
        ("Un verre de cognac et un Cognac XO.", []),
        ("Stratford-upon-Avon et la marque Avon.", []),
        ("Le philosophe Jean-François Revel.", []),
        ("Les Saintes-Maries-de-la-Mer.", []),
        ("La ville de Saintes restaure son marché.", ["17415"]),
    ],
)
def test_ambiguous_names(cities: CityMatcher, text: str, expected: list[str]) -> None:
    assert codes(cities, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La rue Saint-Louis et l'église Saint-Pierre de Blois ; le lycée Saint-Joseph.", ["41018"]),
        ("Une entreprise de Saint-Pierre-des-Corps.", []),
        ("Le marché couvert Saint-Pierre de Saintes rouvre.", ["17415"]),
        ("La commune de Saint-André, à La Réunion, ouvre une maison France services.", ["97409"]),
        ("À La Réunion, Saint-Pierre et Saint-Louis ont signé.", ["97416", "97414"]),
        ("Elle complète l'action engagée au Port et à Saint-André, communes réunionnaises.", ["97407", "97409"]),
        ("Le port de commerce et le port de plaisance.", []),
        (
            "Des communes aussi différentes que Lens, Valence ou Saint-Pierre, à La Réunion.",
            ["62498", "26362", "97416"],
        ),
    ],
)
def test_saints_and_le_port(cities: CityMatcher, text: str, expected: list[str]) -> None:
    assert codes(cities, text) == expected


def test_document_context_accepts_plain_mentions(cities: CityMatcher) -> None:
    text = "Le projet de la municipalité pour Sens est ambitieux."
    assert codes(cities, text) == []
    assert codes(cities, text, frozenset({"89387"})) == ["89387"]


def test_areas(gazetteer: Gazetteer) -> None:
    areas = AreaMatcher(gazetteer)
    found = [
        (a.kind, a.name)
        for a in areas.find(
            "Les villes lauréates des Hauts-de-France ; le département de la Somme ; la Moselle coule ; "
            "en Isère ; la somme de 3 M€ ; Sens-de-Bretagne ; Vire Normandie ; la Réunion de chantier ; à La Réunion."
        )
    ]
    assert found == [
        ("region", "Hauts-de-France"),
        ("region", "La Réunion"),
        ("departement", "Somme"),
        ("departement", "Isère"),
    ]

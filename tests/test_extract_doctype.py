"""Document types from front matter, legal structure, press and experience-sheet cues."""

from __future__ import annotations

from acv.records import Block, ParsedDocument
from ingest.extract.doctype import doc_type


def _doc(*blocks: tuple[str, str], meta: dict | None = None) -> ParsedDocument:
    return ParsedDocument.build("t", "text", [Block(text, kind) for kind, text in blocks], meta=meta or {})  # type: ignore[arg-type]


def test_front_matter_type_overrides() -> None:
    doc = _doc(("paragraph", "Une page sans rapport."), meta={"front_matter": {"type": "Retour d'expérience"}})
    assert doc_type("Titre", doc) == "bonne_pratique"


def test_convention_by_legal_structure() -> None:
    doc = _doc(
        ("heading", "Convention-cadre Action cœur de ville de Cahors"),
        ("paragraph", "Entre les soussignés : la commune, ci-après dénommée « la Ville »."),
        ("paragraph", "Il est convenu ce qui suit."),
        ("heading", "Article 1 – Objet de la convention"),
        ("paragraph", "Fait à Cahors, le 14 septembre 2018, en six exemplaires."),
    )
    assert doc_type("Convention-cadre Action cœur de ville de Cahors", doc) == "convention"


def test_news_about_a_convention_is_a_communique() -> None:
    doc = _doc(
        ("heading", "Convention Action cœur de ville de Sens : 29,7 M€ pour le centre"),
        ("paragraph", "Mise à jour : 18 janvier 2019"),
        ("paragraph", "Le maire de Sens a signé la convention-cadre du programme Action cœur de ville."),
    )
    assert doc_type("Convention Action cœur de ville de Sens : 29,7 M€ pour le centre", doc) == "communique"


def test_experience_sheet() -> None:
    doc = _doc(
        ("paragraph", "Retour d'expérience"),
        ("heading", "Une résidence étudiante au cœur de ville"),
        ("paragraph", "Publié le 02/10/2025"),
        ("paragraph", "Un projet du programme Action cœur de ville."),
        ("heading", "Le constat"),
        ("paragraph", "…"),
        ("heading", "Ce que nous retenons"),
        ("paragraph", "…"),
    )
    assert doc_type("Une résidence étudiante au cœur de ville", doc) == "bonne_pratique"


def test_page_without_the_programme_is_autre() -> None:
    doc = _doc(
        ("paragraph", "Sport"),
        ("heading", "Semi-marathon : les inscriptions sont ouvertes"),
        ("paragraph", "Publié le 03/04/2019"),
        ("paragraph", "Départ et arrivée en cœur de ville. Navettes gratuites depuis les parkings."),
    )
    assert doc_type("Semi-marathon : les inscriptions sont ouvertes", doc) == "autre"


def test_another_programme_is_autre() -> None:
    doc = _doc(
        ("paragraph", "Communiqué de presse"),
        ("heading", "Lancement du programme Petites villes de demain"),
        ("paragraph", "Complémentaire d'Action cœur de ville, il vise les petites villes."),
    )
    assert doc_type("Lancement du programme Petites villes de demain", doc) == "autre"

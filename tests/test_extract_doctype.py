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


def test_experience_sheet_from_pdf_text_with_glued_headings() -> None:
    # Text pulled out of a PDF: no heading blocks, the section names start the paragraphs.
    doc = _doc(
        ("heading", "Auch : des rues scolaires pour aller à l'école à pied"),
        ("paragraph", "Commune : Auch. Programme Action cœur de ville."),
        ("paragraph", "Objectifs Sécuriser les trajets des élèves de trois écoles du centre."),
        ("paragraph", "Résultats La part des élèves venant à pied est passée de 31 % à 52 %."),
        ("paragraph", "Points de vigilance Associer les riverains dès l'expérimentation."),
    )
    assert doc_type("Auch : des rues scolaires pour aller à l'école à pied", doc) == "bonne_pratique"


def test_sentence_starting_like_a_heading_is_not_one() -> None:
    # « Le projet a coûté… », « Résultats attendus en 2024. » are sentences, not section names.
    doc = _doc(
        ("paragraph", "Actualités"),
        ("heading", "Blois inaugure la place Louis-XII"),
        ("paragraph", "Publié le 12 juin 2023"),
        ("paragraph", "Le projet a coûté 3,2 millions d'euros au titre d'Action cœur de ville."),
    )
    assert doc_type("Blois inaugure la place Louis-XII", doc) == "communique"


def test_long_heading_opening_with_the_rubric() -> None:
    doc = _doc(
        ("heading", "Vierzon – Action cœur de ville"),
        ("heading", "Bonne pratique : la friche de l'usine de porcelaine devient un quartier mixte"),
        ("paragraph", "Vierzon a racheté en 2019 l'ancienne usine de porcelaine, à cinq minutes de la gare."),
    )
    assert doc_type("Vierzon – Action cœur de ville", doc) == "bonne_pratique"


def test_write_ups_without_front_matter() -> None:
    """tests/data/labels/writeups: 15 write-ups and 5 look-alikes, labelled before the rules were changed."""
    import json
    from pathlib import Path

    from ingest.extract import Extractor
    from ingest.readers import read_file

    root = Path(__file__).resolve().parent.parent
    extractor = Extractor.from_paths(root / "corpus" / "acv_communes.csv", root / "corpus" / "themes.yaml")
    labels = [json.loads(x) for x in (root / "tests/data/labels/writeups/labels.jsonl").read_text("utf-8").splitlines()]
    wrong = []
    for label in labels:
        got = extractor.document(read_file(root / label["file"])).doc_type
        if got != label["doc_type"]:
            wrong.append((label["file"], got, label["doc_type"]))
    assert len(labels) == 20
    assert sum(1 for x in labels if x["doc_type"] == "bonne_pratique") == 15
    assert wrong == []

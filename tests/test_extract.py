"""The Extractor end to end on hand-built documents: chunks (axes, themes, amounts, funders) and documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from acv.records import Block, ParsedDocument
from ingest.extract import Extractor

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_paths(ROOT / "corpus" / "acv_communes.csv", ROOT / "corpus" / "themes.yaml")


def _doc(
    blocks: list[tuple[str, str]], fmt: str = "text", title: str | None = None, meta: dict | None = None
) -> ParsedDocument:
    return ParsedDocument.build(
        "t",
        fmt,
        [Block(text, kind) for kind, text in blocks],
        title=title,
        meta=meta or {},  # type: ignore[arg-type]
    )


def test_taxonomy_has_the_thirty_themes(extractor: Extractor) -> None:
    ids = [t["id"] for t in extractor.taxonomy.themes]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert "tiers-lieu" in ids and "friche" in ids
    for theme in extractor.taxonomy.themes:
        assert set(theme) >= {"id", "label", "definition", "synonyms", "axes"}
        assert theme["synonyms"] and all(1 <= a <= 5 for a in theme["axes"])


def test_chunk_metadata(extractor: Extractor) -> None:
    meta = extractor.chunk(
        "Un espace de coworking et un fab lab ouvriront dans l'ancienne usine, un site industriel désaffecté. "
        "Coût : 1,2 M€, dont 400 000 € de la Banque des Territoires et 300 000 € de DSIL."
    )
    assert meta.themes == ["friche", "tiers-lieu"]
    assert [(a.text, a.value) for a in meta.amounts] == [
        ("1,2 M€", 1_200_000.0),
        ("400 000 €", 400_000.0),
        ("300 000 €", 300_000.0),
    ]
    assert meta.funders == ["Banque des Territoires", "État", "DSIL"]
    assert meta.axes == [2, 4]


@pytest.mark.parametrize(
    ("text", "axes"),
    [
        ("Une OPAH-RU pour réhabiliter les logements vacants du centre ancien.", [1]),
        ("Lutter contre la vacance commerciale avec un manager de centre-ville.", [2]),
        ("Développer les mobilités décarbonées : pistes cyclables et pôle d'échanges multimodal.", [3]),
        ("Aménager durablement l'espace urbain : végétalisation des places et îlots de fraîcheur.", [4]),
        ("Un socle de services : maison France services et maison de santé.", [5]),
        ("La mise en place d'un comité de pilotage.", []),
        ("Les financeurs : Action Logement et la Banque des Territoires.", []),
    ],
)
def test_chunk_axes_both_wordings(extractor: Extractor, text: str, axes: list[int]) -> None:
    assert extractor.chunk(text).axes == axes


def test_section_heading_sets_the_axis(extractor: Extractor) -> None:
    assert extractor.chunk("Les actions prévues sont détaillées ci-dessous.", "Axe 2 – Commerce").axes == [2]
    assert extractor.chunk("Les actions prévues sont détaillées ci-dessous.", None).axes == []


def test_theme_plurals_and_paraphrases(extractor: Extractor) -> None:
    assert extractor.taxonomy.find("des tiers-lieux, des espaces de travail partagés et des locaux vacants") == [
        "vacance-commerciale",
        "tiers-lieu",
    ]
    assert extractor.taxonomy.find("un bâtiment abandonné, des façades ravalées") == ["friche", "facades"]
    assert extractor.taxonomy.find("l'ORT et la loi ELAN ; un élan nouveau ; le 3 ter") == ["ort"]


def test_document_news_item(extractor: Extractor) -> None:
    doc = _doc(
        [
            ("heading", "Actualité"),
            ("heading", "Valence : la foncière a racheté 14 locaux vacants"),
            ("paragraph", "Publié le 18/10/2019"),
            (
                "paragraph",
                "La foncière créée par la Ville de Valence avec la Banque des Territoires dans le cadre "
                "d'Action cœur de ville lutte contre la vacance commerciale du centre-ville.",
            ),
            ("paragraph", "À Valence, le taux de vacance commerciale est passé de 14 % à 8 %."),
        ]
    )
    meta = extractor.document(doc)
    assert meta.doc_type == "communique"
    assert meta.title == "Valence : la foncière a racheté 14 locaux vacants"
    assert meta.date == "2019-10-18"
    assert meta.cities == ["26362"]
    assert meta.mentioned_cities == []
    assert meta.departements == ["Drôme"]
    assert meta.regions == ["Auvergne-Rhône-Alpes"]
    assert meta.axes == [2]
    assert meta.themes == ["vacance-commerciale", "fonciere-commerciale"]
    assert meta.funders == ["Banque des Territoires"]


def test_document_list_of_laureates_has_no_main_city(extractor: Extractor) -> None:
    doc = _doc(
        [
            ("heading", "Action cœur de ville : les villes lauréates des Hauts-de-France"),
            ("paragraph", "Paris, le 27 mars 2018"),
            (
                "paragraph",
                "Sont retenues : Abbeville, Arras, Béthune, Bruay-la-Buissière, Calais, Cambrai, Denain, "
                "Douai, Dunkerque, Laon, Lens, Liévin, Maubeuge, Saint-Omer et Saint-Quentin.",
            ),
        ]
    )
    meta = extractor.document(doc)
    assert meta.cities == []
    assert len(meta.mentioned_cities) == 15
    assert meta.regions == ["Hauts-de-France"]
    assert meta.date == "2018-03-27"


def test_front_matter_city_and_type(extractor: Extractor) -> None:
    doc = _doc(
        [("paragraph", "Le chantier avance. Le maire de Sens et celui d'Auxerre ont visité les travaux.")],
        fmt="markdown",
        meta={"front_matter": {"city": "Auxerre", "type": "bonne pratique", "date": "2021-05-04", "title": "Chantier"}},
    )
    meta = extractor.document(doc)
    assert (meta.doc_type, meta.date, meta.title) == ("bonne_pratique", "2021-05-04", "Chantier")
    assert meta.cities == ["89024"]
    assert meta.mentioned_cities == ["89387"]


def test_document_with_given_chunks(extractor: Extractor) -> None:
    doc = _doc(
        [
            ("heading", "Axe 3 : mobilité"),
            ("paragraph", "Le maire de Cahors présente le plan vélo, Action cœur de ville."),
        ]
    )
    chunks = [extractor.chunk(b.text) for b in doc.blocks]
    meta = extractor.document(doc, chunks)
    assert meta.cities == ["46042"]
    assert meta.axes == [3]
    assert meta.themes == ["mobilite-douce"]


def test_empty_and_odd_documents(extractor: Extractor) -> None:
    empty = ParsedDocument.build("vide", "text", [])
    meta = extractor.document(empty)
    assert (meta.doc_type, meta.title, meta.date, meta.cities, meta.axes, meta.themes) == (
        "autre",
        None,
        None,
        [],
        [],
        [],
    )
    odd = _doc(
        [("paragraph", "Action cœur de ville à Cahors.")],
        fmt="markdown",
        meta={"front_matter": {"cities": "Cahors; Figeac", "date": 2021}, "html": {"time": None, "dates_text": None}},
    )
    meta = extractor.document(odd)
    assert meta.cities == ["46042", "46102"]
    assert meta.date is None
    assert extractor.chunk("").axes == []

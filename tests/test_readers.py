"""Readers on real fixture files (tests/data/files, PDFs built by build_fixtures.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from acv.errors import FileTooLargeError, UnreadableFileError, UnsupportedFormatError
from ingest.readers import SUPPORTED_SUFFIXES, detect_format, read_file
from ingest.readers import html as html_reader
from ingest.readers import pdf as pdf_reader

FILES = Path(__file__).parent / "data" / "files"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "communique-bethune-2018-09-24.txt"


def _kinds(doc):
    return [(b.kind, b.text) for b in doc.blocks]


# --- PDF -------------------------------------------------------------------------------------------


def test_pdf_structure_pages_and_metadata():
    doc = read_file(FILES / "convention-sens.pdf")
    assert doc.format == "pdf"
    assert doc.page_count == 3
    assert doc.title == "Convention-cadre Action cœur de ville de Sens"
    assert doc.meta["pdf"] == {
        "title": "Convention-cadre Action cœur de ville de Sens",
        "author": "Ville de Sens",
        "subject": "Convention-cadre",
        "creation_date": "2000-01-01T00:00:00+00:00",
        "dates_text": [],
    }
    headings = [(b.page, b.level, b.text) for b in doc.blocks if b.kind == "heading"]
    assert headings == [
        (1, 1, "1. Préambule"),
        (1, 1, "Axe 2 – Développement économique et commercial"),
        (1, 2, "Fiche action 2.1 : Reconquête des cellules commerciales vacantes"),
        (2, 1, "Axe 4 – Formes urbaines, espace public et patrimoine"),
        (3, 1, "Axe 5 – Accès aux équipements et services publics"),
    ]
    assert [b.text for b in doc.blocks if b.kind == "list_item"] == [
        "Acquisition de six cellules commerciales en 2019.",
        "Rénovation des vitrines et mise aux normes d’accessibilité.",
    ]
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [(t.page, t.text) for t in tables] == [
        (2, "Financeur | Montant\nBanque des Territoires | 4,5 M€\nAnah | 3,1 M€")
    ]
    assert len(doc.blocks) == 15
    assert doc.blocks[2].text == (
        "Le diagnostic partagé fait apparaître une vacance commerciale élevée dans l’hypercentre, un parc "
        "de logements anciens à réhabiliter et des espaces publics peu accueillants pour les piétons."
    )
    assert doc.blocks[-1].page == 3


def test_pdf_running_header_and_page_numbers_removed():
    doc = read_file(FILES / "convention-sens.pdf")
    assert "Ville de Sens" not in doc.text
    assert "Page 1" not in doc.text and "/ 3" not in doc.text
    assert "convention-cadre précise" in doc.text  # hyphenated compound words survive


def test_pdf_encrypted_with_empty_user_password_is_read():
    doc = read_file(FILES / "chiffre-sans-mot-de-passe.pdf")
    assert doc.text == read_file(FILES / "convention-sens.pdf").text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("chiffre.pdf", "PDF chiffré : mot de passe requis"),
        ("tronque.pdf", "PDF endommagé ou tronqué"),
        ("image-seule.pdf", "aucun texte extractible (PDF image sans OCR)"),
    ],
)
def test_pdf_errors(name, message):
    with pytest.raises(UnreadableFileError) as err:
        read_file(FILES / name)
    assert err.value.message == message


def test_pdf_caps_pages_and_page_text(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    doc = read_file(FILES / "convention-sens.pdf")
    assert doc.page_count == 3
    assert {b.page for b in doc.blocks} == {1, 2}
    assert doc.meta["warnings"] == ["seules les 2 premières pages sur 3 ont été lues"]

    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CHARS", 200)
    doc = read_file(FILES / "convention-sens.pdf")
    assert "texte de la page 1 tronqué (page trop volumineuse)" in doc.meta["warnings"]
    assert len(doc.text) < 700


def test_pdf_huge_content_stream_and_deadline(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CONTENT_BYTES", 10)
    with pytest.raises(UnreadableFileError) as err:
        read_file(FILES / "convention-sens.pdf")
    assert err.value.message == "PDF trop volumineux une fois décompressé"

    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CONTENT_BYTES", 2_000_000)
    monkeypatch.setattr(pdf_reader, "_time_budget", lambda: -1.0)
    with pytest.raises(UnreadableFileError) as err:
        read_file(FILES / "convention-sens.pdf")
    assert err.value.message == "PDF trop long à lire : délai dépassé"


def test_pdf_detected_by_content_whatever_the_name(tmp_path):
    target = tmp_path / "export"
    shutil.copy(FILES / "convention-sens.pdf", target)
    assert read_file(target).format == "pdf"


# --- HTML ------------------------------------------------------------------------------------------


def test_html_keeps_only_the_article():
    doc = read_file(FILES / "communique-vienne.html")
    assert doc.format == "html"
    assert doc.title == "Vienne signe sa convention Action cœur de ville"
    assert _kinds(doc) == [
        ("heading", "Vienne signe sa convention Action cœur de ville"),
        ("paragraph", "Publié le 16 novembre 2018"),
        ("paragraph", ("Le vendredi 16 novembre 2018, le préfet de l’Isère, le maire de Vienne et le président de "
                      "Vienne Condrieu Agglomération ont signé la convention-cadre Action cœur de ville en présence "
                      "des partenaires financeurs.")),
        ("heading", "Un programme de 35,2 M€ pour le centre-ville"),
        ("paragraph", ("Le plan d’actions mobilise 35,2 M€ sur cinq ans. Il prévoit la réhabilitation de logements "
                      "anciens du quartier Saint-Martin, la requalification des quais du Rhône et le soutien aux "
                      "commerces de la rue Marchande.")),
        ("list_item", "Une opération programmée d’amélioration de l’habitat (OPAH-RU) sur le centre ancien."),
        ("list_item", "La création d’un tiers-lieu dans l’ancienne halle aux grains."),
        ("table", "Partenaire | Engagement\nBanque des Territoires | 6,8 M€\nAction Logement | 9,5 M€"),
    ]
    assert [b.level for b in doc.blocks if b.kind == "heading"] == [1, 2]
    for chrome in ("cookies", "Démarches administratives", "Accueil", "Agenda du préfet", "Mentions légales",
                   "À lire aussi", "Séminaire régional", "Partager", "Ne pas indexer", "Mise à jour"):
        assert chrome not in doc.text


def test_html_metadata():
    meta = read_file(FILES / "communique-vienne.html").meta["html"]
    assert meta["title"] == "Signature de la convention Action cœur de ville de Vienne | Préfecture de l'Isère"
    assert meta["h1"] == "Vienne signe sa convention Action cœur de ville"
    assert meta["og:title"] == "Vienne signe sa convention Action cœur de ville"
    assert meta["og:type"] == "article"
    assert meta["article:published_time"] == "2018-11-16T18:30:00+01:00"
    assert meta["description"] == "La ville de Vienne et ses partenaires ont signé la convention-cadre du programme."
    assert meta["lang"] == "fr"
    assert meta["time"] == ["2018-11-16"]
    # date lines come from the whole page, footer included
    assert meta["dates_text"] == ["Publié le 16 novembre 2018", "Mise à jour : 17 novembre 2018"]


@pytest.mark.parametrize("name", ["epinal-windows-1252.html", "epinal-sans-charset.html"])
def test_html_windows_1252_keeps_accents(name):
    doc = read_file(FILES / name)
    assert doc.title == "Épinal rénove ses façades"
    assert doc.meta["html"]["title"] == "Épinal rénove ses façades – Ville d’Épinal"
    assert "Le 7 décembre 2018, Épinal a signé sa convention Action cœur de ville pour un montant de 31,5 M€." \
        in doc.text
    assert "l’aide atteint 30 % du coût" in doc.text
    assert "Horaires de la mairie" not in doc.text  # sidebar
    assert "Démarches" not in doc.text  # menu
    assert len(doc.blocks) == 4


def test_html_title_strips_site_suffix(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Quimper lance ses boutiques à l'essai - www.quimper.bzh</title></head>"
        "<body><main><p>Quimper accompagne les commerçants qui testent leur activité en centre-ville.</p>"
        "</main></body></html>",
        encoding="utf-8",
    )
    assert read_file(page).title == "Quimper lance ses boutiques à l'essai"


def test_html_too_deep_is_refused(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 2000 + "<p>Texte.</p>" + "</div>" * 2000 + "</body></html>")
    with pytest.raises(UnreadableFileError) as err:
        read_file(page)
    assert err.value.message == "page HTML trop profondément imbriquée (plus de 512 niveaux)"


def test_library_errors_do_not_escape(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(html_reader, "BeautifulSoup", broken)
    with pytest.raises(UnreadableFileError) as err:
        read_file(FILES / "communique-vienne.html")
    assert err.value.message == "lecture impossible (ValueError)"


def test_html_content_in_a_txt_file_is_read_as_html(tmp_path):
    target = tmp_path / "page.txt"
    shutil.copy(FILES / "communique-vienne.html", target)
    assert read_file(target).format == "html"


# --- Markdown --------------------------------------------------------------------------------------


def test_markdown_with_front_matter():
    doc = read_file(FILES / "bonne-pratique-cahors.md")
    assert doc.format == "markdown"
    assert doc.meta["front_matter"] == {
        "title": "Cahors : une foncière pour les commerces du centre ancien",
        "date": "2021-03-15",
        "commune": "Cahors",
        "code_insee": "46042",
        "themes": ["fonciere-commerciale", "vacance-commerciale"],
    }
    assert doc.title == "Cahors : une foncière pour les commerces du centre ancien"
    assert [(b.kind, b.level, b.text) for b in doc.blocks if b.kind == "heading"] == [
        ("heading", 1, "Une foncière commerciale à Cahors"),
        ("heading", 2, "Le dispositif"),
        ("heading", 2, "Les résultats"),
    ]
    assert [b.text for b in doc.blocks if b.kind == "list_item"] == [
        "Acquisition de quinze cellules en quatre ans",
        "Travaux de mise aux normes et de rénovation des vitrines",
        "Accompagnement des porteurs de projet par la chambre de commerce",
    ]
    assert [b.text for b in doc.blocks if b.kind == "table"] == ["Année | Cellules rachetées\n2020 | 4\n2021 | 6"]
    assert "propose un loyer progressif pendant" in doc.text
    assert "**" not in doc.text and "https://" not in doc.text and "title:" not in doc.text


def test_markdown_broken_front_matter_keeps_the_text(caplog):
    doc = read_file(FILES / "front-matter-casse.md")
    assert doc.meta["front_matter_error"] == (
        "en-tête YAML (front matter) invalide (ligne 3) : found unexpected end of stream"
    )
    assert "front_matter" not in doc.meta
    assert doc.title == "Campagne de ravalement des façades à Épinal"
    assert doc.text.endswith("des immeubles du centre-ville le long de la Moselle.")
    assert "front matter" in caplog.text


def test_markdown_without_front_matter():
    doc = read_file(FILES / "sans-front-matter.md")
    assert doc.title == "Aucun front matter ici"
    assert "front_matter" not in doc.meta
    assert doc.text == (
        "Aucun front matter ici\n\nLe quartier de gare de Sens accueille un pôle d’échanges multimodal depuis 2022."
    )


def test_yaml_alias_bomb_is_refused(tmp_path):
    lines = ["---", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefg", "bcdefgh"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    page = tmp_path / "bombe.md"
    page.write_text("\n".join(lines) + "\n---\n# Titre du document\n\nUn paragraphe.\n", encoding="utf-8")
    doc = read_file(page)
    assert doc.meta["front_matter_error"] == "en-tête YAML (front matter) ignoré : trop de références (alias)"
    assert doc.title == "Titre du document"


# --- Text ------------------------------------------------------------------------------------------


def test_text_with_front_matter():
    doc = read_file(FILES / "note-lens.txt")
    assert doc.format == "text"
    assert doc.meta["front_matter"] == {"title": "Avenant Action cœur de ville de Lens", "date": "2023-06-30"}
    assert doc.title == "Avenant Action cœur de ville de Lens"
    assert _kinds(doc) == [
        ("heading", "AVENANT 2023-2026"),
        ("heading", "Lens poursuit son programme"),
        ("paragraph", ("L'avenant signé le 30 juin 2023 prolonge la convention Action cœur de ville de Lens jusqu'en "
                      "2026. Il met l'accent sur les mobilités décarbonées, la renaturation des espaces publics et "
                      "le quartier de gare.")),
        ("list_item", "Création d'une vélorue entre la gare et le stade Bollaert-Delelis"),
        ("list_item", "Plantation de deux cents arbres sur les places du centre"),
        ("paragraph", "Le montant total de l'avenant atteint 18,2 M€."),
    ]


@pytest.mark.skipif(not SEED.exists(), reason="seed communiqué absent")
def test_seed_communique():
    doc = read_file(SEED)
    assert doc.format == "text"
    assert doc.title == "Innovation et territoires - Séminaire Action cœur de ville en Hauts-de-France"
    assert doc.meta["text"]["dates_text"] == ["Mise à jour : 24 septembre 2018"]
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text == "Actualité"
    assert doc.blocks[2].kind == "paragraph" and doc.blocks[2].text == "Mise à jour : 24 septembre 2018"
    assert sum(b.kind == "list_item" for b in doc.blocks) == 2


# --- Dispatch and errors ---------------------------------------------------------------------------


def test_empty_file():
    with pytest.raises(UnreadableFileError) as err:
        read_file(FILES / "vide.txt")
    assert err.value.message == "fichier vide"


def test_binary_html_is_unsupported():
    with pytest.raises(UnsupportedFormatError) as err:
        read_file(FILES / "binaire.html")
    assert isinstance(err.value, UnreadableFileError)
    assert err.value.message == "format non pris en charge : contenu binaire (ni PDF, ni HTML, ni texte)"


def test_unknown_extension_is_unsupported(tmp_path):
    target = tmp_path / "tableau.csv"
    target.write_text("commune;montant\nSens;29,7\n", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError) as err:
        read_file(target)
    assert err.value.message == (
        "format non pris en charge : extension « .csv » (formats acceptés : PDF, HTML, Markdown, texte)"
    )


def test_too_large():
    with pytest.raises(FileTooLargeError) as err:
        read_file(FILES / "communique-vienne.html", max_bytes=1000)
    assert err.value.message.startswith("fichier trop volumineux : ")


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFileError) as err:
        read_file(tmp_path / "absent.pdf")
    assert err.value.message == "fichier introuvable"


def test_detect_format_and_suffixes():
    assert detect_format(Path("x.md"), b"# Titre\n\nTexte <div>inline</div>") == "markdown"
    assert detect_format(Path("x.html"), b"Juste du texte sans balise.") == "text"
    assert detect_format(Path("x"), b"<!DOCTYPE html><p>Bonjour</p>") == "html"
    assert set(SUPPORTED_SUFFIXES) >= {".pdf", ".html", ".htm", ".md", ".markdown", ".txt"}


def test_pdf_wrapped_table_cell_and_bold_lead_in():
    doc = read_file(FILES / "fiche-action.pdf")
    assert doc.title == "Fiche action 3.1 — Liaison cyclable entre la gare et le centre"
    assert doc.meta["pdf"]["author"] is None and doc.meta["pdf"]["subject"] is None  # reportlab placeholders
    assert _kinds(doc) == [
        ("heading", "Fiche action 3.1 — Liaison cyclable entre la gare et le centre"),
        ("table", ("Description | Aménagement d'une piste cyclable bidirectionnelle de 2,4 km entre le parvis de la "
                  "gare, les quais et la place du marché, avec stationnement vélo sécurisé.\n"
                  "Coût prévisionnel | 1 200 000 € HT")),
        ("paragraph", ("La Ville et l'agglomération s'engagent à mobiliser leurs services techniques pour conduire "
                      "les études et les travaux dans les délais prévus par le calendrier.")),
    ]

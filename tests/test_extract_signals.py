"""What a document says about itself (issue 27): each signal pinned on a small page in a real format.

The pages below are written for these tests in site layouts of their own (breadcrumbs, boxes in an <aside>,
cookie banners, « À lire aussi » lists); the communes are real ACV communes, everything else is invented.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from acv.labels import axes_named_in
from acv.records import Block, ParsedDocument
from ingest.extract import Extractor
from ingest.extract.signals import field_key, labelled_fields, self_description
from ingest.readers import html, markdown, pdf

ROOT = Path(__file__).resolve().parent.parent

PRACTICE_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Des boutiques à l'essai rue Saint-Jean | Bonnes pratiques | Ville de Saumur</title>
<meta name="keywords" content="commerce, vacance commerciale, retour d'expérience">
<link rel="canonical" href="https://www.ville-saumur.fr/bonnes-pratiques/boutiques-a-l-essai">
</head><body>
<div class="cookie-banner"><p>Ce site utilise des cookies pour mesurer l'audience.</p><button>OK</button></div>
<nav class="menu"><ul><li><a href="/">Accueil</a></li><li><a href="/habitat">Habitat</a></li></ul></nav>
<nav class="breadcrumb" aria-label="Fil d'Ariane"><ol><li><a href="/">Accueil</a></li>
<li><a href="/actualites">Actualités</a></li><li>Des boutiques à l'essai</li></ol></nav>
<main><article>
<p class="rubrique">Retour d'expérience</p>
<h1>Des boutiques à l'essai rue Saint-Jean</h1>
<p>SAUMUR a ouvert en 2022 quatre boutiques à l'essai dans des locaux vides du centre ancien, avec un loyer
réduit la première année et l'accompagnement du manager de commerce. Le programme Action cœur de ville a
financé l'étude de la vacance commerciale.</p>
<h2>Le contexte</h2>
<p>La rue Saint-Jean comptait onze vitrines vides. Les propriétaires hésitaient à baisser les loyers. Une
navette relie aussi la gare au centre, mais ce n'est pas le sujet ici.</p>
<h2>Ce qu'il faut retenir</h2>
<p>Trois boutiques sur quatre sont restées ouvertes après la période d'essai.</p>
</article>
<aside class="sidebar en-bref"><h3>En bref</h3><dl>
<dt>Commune</dt><dd>SAUMUR (Maine-et-Loire)</dd>
<dt>Axe</dt><dd>Axe 2 – Développement économique et commercial équilibré</dd>
<dt>Porteur</dt><dd>Ville, manager de commerce</dd>
<dt>Coût</dt><dd>96 000 € sur deux ans</dd></dl></aside>
<aside class="a-lire-aussi"><h3>À lire aussi</h3><ul>
<li><a href="/bp/1">Dreux : la maison de l'habitat</a></li><li><a href="/bp/2">Nevers : le permis de diviser</a></li>
</ul></aside>
</main><footer><p>Mentions légales</p></footer></body></html>"""

PRESS_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Les halles rouvrent au public - Ville de Luneville</title>
<meta property="og:type" content="article">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "NewsArticle", "articleSection": "Communiqués", "keywords": ["halles", "commerce"]},
 {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "position": 1, "name": "Accueil"},
  {"@type": "ListItem", "position": 2, "name": "Salle de presse"}]}]}</script>
</head><body>
<header class="site-header"><a href="/">Ville de Lunéville</a></header>
<main><article><header class="entete">
<span class="surtitre">Communiqué de presse – 14 juin 2021</span>
<h1>Les halles rouvrent au public</h1></header>
<p>LUNEVILLE, le 14 juin 2021 – Après dix-huit mois de travaux financés dans le cadre d'Action cœur de
ville, les halles du centre rouvrent samedi avec quatorze commerçants.</p>
<p>« C'est un lieu de vie qui retrouve sa place », a déclaré le maire.</p>
<p>Contact presse : service communication, 03 00 00 00 00.</p>
</article></main></body></html>"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_paths(ROOT / "corpus" / "acv_communes.csv", ROOT / "corpus" / "themes.yaml")


def test_html_reader_keeps_what_the_page_says_about_itself() -> None:
    doc = html.read(Path("page.html"), PRACTICE_PAGE.encode("utf-8"))
    meta = doc.meta["html"]
    assert meta["breadcrumb"] == "Accueil > Actualités > Des boutiques à l'essai"
    assert meta["section"] == ["Retour d'expérience"]
    assert meta["keywords"] == "commerce, vacance commerciale, retour d'expérience"
    assert meta["url"] == "https://www.ville-saumur.fr/bonnes-pratiques/boutiques-a-l-essai"
    assert meta["fields"] == [
        ["Commune", "SAUMUR (Maine-et-Loire)", "En bref"],
        ["Axe", "Axe 2 – Développement économique et commercial équilibré", "En bref"],
        ["Porteur", "Ville, manager de commerce", "En bref"],
        ["Coût", "96 000 € sur deux ans", "En bref"],
    ]


def test_json_ld_gives_section_and_breadcrumb() -> None:
    meta = html.read(Path("page.html"), PRESS_PAGE.encode("utf-8")).meta["html"]
    assert meta["schema_type"] == "NewsArticle"
    assert meta["article:section"] == "Communiqués"
    assert meta["keywords"] == "halles, commerce"
    assert meta["breadcrumb"] == "Accueil > Salle de presse"
    assert meta["section"] == ["Communiqué de presse – 14 juin 2021"]


def test_self_description_signals() -> None:
    doc = html.read(Path("page.html"), PRACTICE_PAGE.encode("utf-8"))
    found = {(s.source, s.points_to, s.weight) for s in self_description(doc, doc.title)}
    assert found == {
        ("title_site", "bonne_pratique", 3),
        ("breadcrumb", "communique", 1),
        ("section", "bonne_pratique", 3),
        ("keywords", "bonne_pratique", 2),
        ("url", "bonne_pratique", 2),
    }


def test_practice_page_type_axis_and_town(extractor: Extractor) -> None:
    doc = html.read(Path("page.html"), PRACTICE_PAGE.encode("utf-8"))
    meta = extractor.document(doc)
    assert meta.doc_type == "bonne_pratique"
    assert meta.axes == [2]  # the box's axis; the passing « navette … gare » adds none
    assert meta.cities == ["49328"]  # SAUMUR, in capitals, from the box
    assert meta.mentioned_cities == []  # Dreux and Nevers are only in « À lire aussi »
    why = meta.explain
    assert [s["signal"] for s in why["type"]["decide_par"]] == ["title_site", "section", "keywords", "url"]
    assert why["axes"] == {"source": "champ", "libelle": "champ « Axe » de l'encadré",
                           "valeur": "Axe : Axe 2 – Développement économique et commercial équilibré"}
    assert why["ville"]["source"] == "champ"


def test_press_release_from_dated_rubric_and_site_town(extractor: Extractor) -> None:
    doc = html.read(Path("page.html"), PRESS_PAGE.encode("utf-8"))
    meta = extractor.document(doc)
    assert meta.doc_type == "communique"
    assert meta.title == "Les halles rouvrent au public"
    assert meta.cities == ["54329"]  # « Ville de Luneville » (no accent), and LUNEVILLE in the dateline
    assert meta.explain["ville"] == {"source": "site", "libelle": "site qui publie la page",
                                     "valeur": "Ville de Luneville"}
    sources = {s["signal"] for s in meta.explain["type"]["decide_par"]}
    assert sources == {"breadcrumb", "section", "article_section", "schema_type"}


def test_markdown_sheet_fields(extractor: Extractor) -> None:
    text = (
        "# Une ressourcerie dans un ancien magasin\n\n"
        "- Commune : St-Die-des-Vosges\n- Axe : 1 et 4\n- Porteur : association locale\n\n"
        "Le magasin vide de la Grand'Rue accueille depuis 2022 une ressourcerie soutenue par Action cœur de ville.\n"
    )
    doc = markdown.read(Path("fiche.md"), text.encode("utf-8"))
    assert labelled_fields(doc) == [
        ("commune", "Commune", "St-Die-des-Vosges"),
        ("axe", "Axe", "1 et 4"),
        ("porteur", "Porteur", "association locale"),
    ]
    meta = extractor.document(doc)
    assert meta.cities == ["88413"]
    assert meta.axes == [1, 4]


def test_axis_fields_in_a_list_and_axis_headings_of_a_convention(extractor: Extractor) -> None:
    sheet = ParsedDocument.build("f.txt", "text", [
        Block("Quimper : des vitrines pour les artistes", "heading", level=1),
        Block("Axe 2 – Développement économique et commercial", "list_item"),
        Block("Axe 4 – Formes urbaines, espace public et patrimoine", "list_item"),
        Block("Le programme Action cœur de ville a permis d'ouvrir six vitrines. Les habitants prennent le bus."),
    ])
    meta = extractor.document(sheet)
    assert meta.axes == [2, 4]
    assert meta.explain["axes"]["valeur"] == ("Axe 2 : Développement économique et commercial ; "
                                              "Axe 4 : Formes urbaines, espace public et patrimoine")
    headings = [Block("Axe 1 – Habitat", "heading", level=2), Block("Réhabiliter 300 logements du centre ancien.")]
    assert labelled_fields(ParsedDocument.build("c.txt", "text", headings)) == []


def test_town_opening_a_title_with_a_colon(extractor: Extractor) -> None:
    found = extractor.cities.find("Laval : le tiers-lieu de la gare", heading=True)
    assert [(m.insee, m.strong) for m in found] == [("53130", True)]
    assert extractor.cities.find("Le sens de la fête : programme", heading=True) == []
    assert [m.insee for m in extractor.cities.find("Sens inaugure sa halle", heading=True)] == ["89387"]
    assert extractor.cities.find("Sens unique rue de la République", heading=True) == []


def test_labelled_type_field_wins(extractor: Extractor) -> None:
    doc = ParsedDocument.build("x.txt", "text", [
        Block("Halles de Vienne : trois ans après", "heading", level=1),
        Block("Type de document : Fiche retour d'expérience"),
        Block("Action cœur de ville a financé la rénovation des halles."),
    ])
    meta = extractor.document(doc)
    assert meta.doc_type == "bonne_pratique"
    assert meta.explain["type"]["decide_par"][0]["signal"] == "field"


def test_page_not_about_the_programme_is_autre(extractor: Extractor) -> None:
    page = """<html><head><title>Collecte des encombrants | Lannion-Trégor Communauté</title></head><body>
    <main><article><h1>Collecte des encombrants</h1><p>La collecte des encombrants a lieu le premier mardi du
    mois dans toutes les communes.</p><p class="mention">Document fictif rédigé pour acv-kb.</p></article>
    </main></body></html>"""
    meta = extractor.document(html.read(Path("p.html"), page.encode("utf-8")))
    assert meta.doc_type == "autre"
    assert meta.explain["type"]["decide_par"][0]["signal"] == "not_about_programme"
    assert meta.cities == ["22113"]  # the intercommunality named after Lannion publishes the page


def test_field_keys_and_axis_words() -> None:
    assert [field_key(x) for x in ("Axe du programme", "Axes :", "Ville", "Maître d'ouvrage", "Budget total",
                                   "Titre")] == ["axe", "axe", "commune", "porteur", "cout", None]
    assert axes_named_in("axe 2 developpement economique et commercial equilibre") == [2]
    assert axes_named_in("developpement economique ; formes urbaines et patrimoine") == [2, 4]
    assert axes_named_in("habitat, mobilite (2019 2022)") == [1, 3]


def test_path_signal_is_weak() -> None:
    doc = ParsedDocument.build("/data/bonnes-pratiques/fiche.txt", "text", [Block("Texte")])
    assert [(s.source, s.points_to, s.weight) for s in self_description(doc, None)] == [
        ("path", "bonne_pratique", 1)]


def _pdf(title: str | None, subject: str | None, lines: list[tuple[str, int]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    if title:
        c.setTitle(title)
    if subject:
        c.setSubject(subject)
    y = 780
    for text, size in lines:
        c.setFont("Helvetica-Bold" if size > 12 else "Helvetica", size)
        c.drawString(60, y, text)
        y -= size * 2
    c.save()
    return buf.getvalue()


def test_pdf_file_name_title_gives_way_to_the_first_heading(extractor: Extractor) -> None:
    data = _pdf("SCAN_20230412_0001", "Retour d'expérience", [
        ("Mairie de Dreux", 10),
        ("La maison de l'habitat, guichet unique du centre", 18),
        ("Depuis 2021, la maison de l'habitat de Dreux conseille les propriétaires du centre ancien dans", 10),
        ("le cadre du programme Action coeur de ville : 420 ménages reçus la première année.", 10),
    ])
    doc = pdf.read(Path("SCAN_20230412_0001.pdf"), data)
    assert doc.title == "La maison de l'habitat, guichet unique du centre"
    meta = extractor.document(doc)
    assert meta.doc_type == "bonne_pratique"
    assert meta.explain["type"]["decide_par"][0]["signal"] == "pdf_subject"
    assert meta.explain["titre"] == "premier titre de la première page"


def test_pdf_title_metadata_kept_when_it_is_a_title() -> None:
    data = _pdf("Convention-cadre Action cœur de ville de Nevers", None, [("Préambule", 14), ("Texte.", 10)])
    assert pdf.read(Path("c.pdf"), data).title == "Convention-cadre Action cœur de ville de Nevers"


def test_scanner_and_file_names_are_not_titles() -> None:
    assert [pdf._meaningful_title(t, "cp-dreux-2021") for t in (
        "Numérisation 2023-04-12 10:15", "Scan 0001", "SCAN_20230412_0001", "cp dreux 2021",
        "Microsoft Word - note.docx", "Convention-cadre de Nevers")] == [None, None, None, None, None,
                                                                           "Convention-cadre de Nevers"]


def test_scanned_page_first_heading_like_line() -> None:
    """OCR gives paragraphs without heading sizes: the first short line that is not a letterhead."""
    blocks = [Block("RÉPUBLIQUE FRANÇAISE", page=1), Block("Ville de Saumur", page=1),
              Block("Inauguration des quais de Loire", page=1),
              Block("Les quais réaménagés ont été inaugurés samedi en présence du maire.", page=1)]
    assert pdf._first_heading(blocks) == "Inauguration des quais de Loire"


def test_learned_arbiter_only_where_nothing_decides(extractor: Extractor) -> None:
    from ingest.extract.classifier import shipped_model
    from ingest.extract.doctype import decide_type

    doc = ParsedDocument.build("x.txt", "text", [
        Block("Le parking de la gare rouvre", "heading", level=1),
        Block("Le parking de la gare de Saumur rouvre lundi après six mois de travaux financés par Action cœur de "
              "ville. Il compte 240 places et dix bornes de recharge."),
    ])
    assert shipped_model() is not None
    meta = extractor.document(doc)
    assert meta.doc_type == "communique"
    assert meta.explain["type"]["decide_par"][0]["signal"] == "classifier"
    rules_only = decide_type("Le parking de la gare rouvre", doc, {}, model=False)
    assert (rules_only.doc_type, rules_only.stage) == ("communique", "default")
    # a page that says what it is never reaches the arbiter
    page = html.read(Path("page.html"), PRACTICE_PAGE.encode("utf-8"))
    assert decide_type(page.title, page).stage == "self_description"


def test_fields_run_together_in_one_paragraph(extractor: Extractor) -> None:
    text = ("# SAINT-OMER : le marais, un atout pour le centre\n\n"
            "**Commune :** Saint-Omer (Pas-de-Calais)\n"
            "**Axe :** Axe 4 – Formes urbaines, espace public et patrimoine\n\n"
            "## Le constat\n\nLes visiteurs du marais ne venaient pas au centre ; le commerce en souffrait.\n")
    doc = markdown.read(Path("fiche.md"), text.encode("utf-8"))
    assert labelled_fields(doc) == [
        ("commune", "Commune", "Saint-Omer (Pas-de-Calais)"),
        ("axe", "Axe", "Axe 4 – Formes urbaines, espace public et patrimoine"),
    ]
    meta = extractor.document(doc)
    assert (meta.cities, meta.axes) == (["62765"], [4])


def test_table_box_with_plural_labels(extractor: Extractor) -> None:
    page = """<html><head><title>Vierzon : une foncière pour les rez-de-chaussée — Centre de ressources</title></head>
    <body><div id="contenu"><h1>Vierzon : une foncière pour les rez-de-chaussée</h1>
    <table class="fiche"><tr><th>Territoire</th><td>VIERZON (Cher)</td></tr><tr><th>Axe(s)</th><td>2 et 4</td></tr>
    </table><h2>Le projet</h2><p>La ville rachète les locaux commerciaux vides pour les louer à des commerçants.</p>
    <h2>Les résultats</h2><p>Douze commerces ouverts en trois ans grâce à Action cœur de ville.</p></div></body></html>"""
    meta = extractor.document(html.read(Path("p.html"), page.encode("utf-8")))
    assert (meta.doc_type, meta.cities, meta.axes) == ("bonne_pratique", ["18279"], [2, 4])


def test_box_list_with_dashes_in_an_aside(extractor: Extractor) -> None:
    page = """<html><head><title>Épernay : des façades rénovées</title></head><body><main><article>
    <h1>Épernay : des façades rénovées</h1><p>La campagne de ravalement soutenue par Action cœur de ville a rénové
    60 façades de l'avenue de Champagne ; les rues commerçantes et la gare en profitent aussi.</p></article>
    <aside class="encadre"><h3>Le projet en bref</h3><ul><li>Axe 4 – Formes urbaines, espace public et patrimoine</li>
    <li>Coût – 1,2 M€</li></ul></aside></main></body></html>"""
    doc = html.read(Path("p.html"), page.encode("utf-8"))
    assert doc.meta["html"]["fields"] == [["Axe 4", "Formes urbaines, espace public et patrimoine", "Le projet en bref"],
                                          ["Coût", "1,2 M€", "Le projet en bref"]]
    assert extractor.document(doc).axes == [4]

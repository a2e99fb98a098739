"""Regenerate the PDF fixtures of tests/test_readers.py (run from the project root).

The HTML, Markdown and text fixtures are written by hand; only the PDFs are
generated, with reportlab, so that they carry real fonts, page furniture and
metadata like the conventions of the corpus.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

HERE = Path(__file__).resolve().parent

BODY = [
    ("h1", "1. Préambule"),
    ("p", ("La présente convention-cadre précise les engagements de la commune de Sens, de la "
          "communauté d’agglomération du Grand Sénonais et des partenaires financeurs dans le cadre du "
          "programme national Action cœur de ville. Elle fixe le périmètre d’intervention, la gouvernance "
          "et le calendrier de la phase d’initialisation.")),
    ("p", ("Le diagnostic partagé fait apparaître une vacance commerciale élevée dans l’hypercentre, "
          "un parc de logements anciens à réhabili-<br/>ter et des espaces publics peu accueillants pour "
          "les piétons.")),
    ("h1", "Axe 2 – Développement économique et commercial"),
    ("p", ("La commune souhaite reconquérir les cellules commerciales vacantes de la Grande Rue et "
          "accompagner l’installation de nouveaux commerçants grâce à une foncière de redynamisation.")),
    ("h2", "Fiche action 2.1 : Reconquête des cellules commerciales vacantes"),
    ("p", ("Une foncière commerciale achète, rénove puis loue à loyer modéré une dizaine de locaux "
          "situés sur l’axe marchand principal. Le coût prévisionnel de l’opération atteint 2,4 M€.")),
    ("li", "• Acquisition de six cellules commerciales en 2019."),
    ("li", "• Rénovation des vitrines et mise aux normes d’accessibilité."),
    ("break", ""),
    ("h1", "Axe 4 – Formes urbaines, espace public et patrimoine"),
    ("p", ("Le réaménagement de la place de la République et la végétalisation des berges de l’Yonne "
          "améliorent le cadre de vie. Les façades des immeubles classés bénéficient d’une campagne "
          "de ravalement aidée par la commune.")),
    ("table", [["Financeur", "Montant"], ["Banque des Territoires", "4,5 M€"], ["Anah", "3,1 M€"]]),
    ("p", "Le plan de financement ci-dessus est indicatif et sera précisé par avenant."),
    ("break", ""),
    ("h1", "Axe 5 – Accès aux équipements et services publics"),
    ("p", ("Une maison de santé pluriprofessionnelle ouvrira en centre-ville afin de maintenir une offre "
          "de soins de proximité. Elle accueillera douze praticiens.")),
]


def _header_footer(c: canvas.Canvas, doc) -> None:
    c.saveState()
    c.setFont("Helvetica", 8)
    c.drawString(2 * cm, A4[1] - 1.2 * cm, "Convention-cadre Action cœur de ville – Ville de Sens")
    c.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {doc.page} / 3")
    c.restoreState()


def build_convention(path: Path, encrypt: StandardEncryption | None = None) -> None:
    styles = getSampleStyleSheet()
    story = []
    for kind, value in BODY:
        if kind == "h1":
            story.append(Paragraph(value, styles["Heading1"]))
        elif kind == "h2":
            story.append(Paragraph(value, styles["Heading2"]))
        elif kind in ("p", "li"):
            story.append(Paragraph(value, styles["BodyText"]))
        elif kind == "table":
            table = Table(value)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
            story.append(table)
            story.append(Spacer(1, 12))
        elif kind == "break":
            story.append(PageBreak())
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, title="Convention-cadre Action cœur de ville de Sens",
        author="Ville de Sens", subject="Convention-cadre", encrypt=encrypt,
        creator="acv-kb fixtures", invariant=1,
    )
    doc.build(story, onFirstPage=_header_footer, onLaterPages=_header_footer)


def build_fiche(path: Path) -> None:
    """A fiche action: a table whose description cell wraps, and a paragraph opening in bold."""
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    story = [
        Paragraph("Fiche action 3.1 — Liaison cyclable entre la gare et le centre", styles["Heading2"]),
        Table([
            ["Description", Paragraph("Aménagement d'une piste cyclable bidirectionnelle de 2,4 km entre le parvis "
                                      "de la gare, les quais et la place du marché, avec stationnement vélo sécurisé.",
                                      cell)],
            ["Coût prévisionnel", "1 200 000 € HT"],
        ], colWidths=[4 * cm, 10 * cm]),
        Spacer(1, 12),
        Paragraph("<b>La Ville et l'agglomération s'engagent à mobiliser leurs services techniques</b> pour "
                  "conduire les études et les travaux dans les délais prévus par le calendrier.",
                  styles["BodyText"]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="", invariant=1).build(story)


def build_image_only(path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFillColor(colors.lightblue)
    c.rect(3 * cm, 10 * cm, 12 * cm, 8 * cm, fill=1)
    c.showPage()
    c.save()


def main() -> None:
    convention = HERE / "convention-sens.pdf"
    build_convention(convention)
    build_convention(HERE / "chiffre.pdf", StandardEncryption("secret", ownerPassword="owner"))
    build_convention(HERE / "chiffre-sans-mot-de-passe.pdf", StandardEncryption("", ownerPassword="owner"))
    build_image_only(HERE / "image-seule.pdf")
    build_fiche(HERE / "fiche-action.pdf")
    data = convention.read_bytes()
    (HERE / "tronque.pdf").write_bytes(data[: len(data) // 3])


if __name__ == "__main__":
    main()

"""Builds convention-demo.pdf, a two-page convention used by the pipeline tests (reproducible)."""

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

OUT = Path(__file__).with_name("convention-demo.pdf")


def header_footer(canvas, doc):
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(72, A4[1] - 40, "Convention Action cœur de ville — Épinal")
    canvas.drawString(72, 30, f"Épinal — page {doc.page}")
    canvas.restoreState()


def main() -> None:
    styles = getSampleStyleSheet()
    doc = SimpleDocTemplate(str(OUT), pagesize=A4, title="Convention-cadre Action cœur de ville d'Épinal",
                            author="Commune d'Épinal", invariant=1)
    story = [
        Paragraph("Convention-cadre pluriannuelle Action cœur de ville", styles["Title"]),
        Paragraph("Commune d'Épinal — signée le 7 décembre 2018", styles["Normal"]),
        Paragraph("Préambule", styles["Heading2"]),
        Paragraph(
            "La présente convention engage la commune d'Épinal, l'État et les partenaires financeurs dans la "
            "revitalisation du centre-ville. Elle décline les cinq axes du programme et précise les actions "
            "prévues entre 2018 et 2022, leur calendrier et leur plan de financement. " * 3,
            styles["Normal"],
        ),
        PageBreak(),
        Paragraph("Axe 3 – Accessibilité, mobilité et connexions", styles["Heading2"]),
        Paragraph("Fiche action 3.1 : création d'une vélorue", styles["Heading3"]),
        Paragraph(
            "Une vélorue reliera la gare au quartier du Chapitre. La voie sera "
            "réservée aux cyclistes et aux riverains, avec un jalonnement continu et des arceaux de stationnement "
            "vélo devant les commerces. Coût estimé : 850 000 €, financé par la commune et l'État. " * 3,
            styles["Normal"],
        ),
    ]
    doc.build(story, onFirstPage=header_footer, onLaterPages=header_footer)


if __name__ == "__main__":
    main()

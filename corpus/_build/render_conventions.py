"""Render the illustrative ACV conventions-cadres of the demo corpus as PDF.

Each convention is described by a YAML file in corpus/_sources/conventions/; the
shared legal wording (partner commitments, governance, duration) lives here so
that the nine documents look like instances of one national template, as the
real ones do. Output is byte-reproducible: reportlab runs in invariant mode and
the PDF creation date is pinned to the signature date.

Usage: .venv/bin/python corpus/_build/render_conventions.py [--sources DIR] [--output DIR] [slug ...]

--sources and --output (default: the bundled corpus's) let another set of conventions, such as the
held-out benchmark documents of bench/heldout/, be rendered with the same template.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "corpus" / "_sources" / "conventions"
OUTPUT = ROOT / "corpus" / "documents" / "conventions"

NBSP = "\u00a0"
PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
BODY_W = PAGE_W - 2 * MARGIN
COL_GAP = 8 * mm
COL_W = (BODY_W - COL_GAP) / 2

AXES_2018 = {
    1: "De la réhabilitation à la restructuration : vers une offre attractive de l'habitat en centre-ville",
    2: "Favoriser un développement économique et commercial équilibré",
    3: "Développer l'accessibilité, la mobilité et les connexions",
    4: "Mettre en valeur les formes urbaines, l'espace public et le patrimoine",
    5: "Fournir l'accès aux équipements et services publics",
}
AXES_2023 = {
    1: AXES_2018[1],
    2: AXES_2018[2],
    3: "Développer des mobilités décarbonées et les connexions",
    4: "Aménager durablement l'espace urbain, mettre en valeur les formes urbaines et le patrimoine",
    5: "Garantir un socle de services et d'équipements publics",
}

FUNDERS = {
    "commune": "Commune",
    "epci": "EPCI",
    "etat": "État",
    "bdt": "Banque des Territoires",
    "al": "Action Logement",
    "anah": "Anah",
    "region": "Région",
    "departement": "Département",
    "europe": "Union européenne (FEDER)",
    "prives": "Investisseurs et propriétaires privés",
    "autres": "Autres partenaires",
}
WIDE_COLUMNS = ["commune", "epci", "etat", "bdt", "al", "anah"]

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
         "onze", "douze", "treize", "quatorze", "quinze", "seize"]
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


# --------------------------------------------------------------------------- formatting

def words_0_99(n: int) -> str:
    """French number words for 0-99, traditional spelling (enough for days and years)."""
    if n <= 16:
        return UNITS[n]
    if n < 20:
        return "dix-" + UNITS[n - 10]
    if n >= 80:
        rest = n - 80
        return "quatre-vingts" if rest == 0 else "quatre-vingt-" + words_0_99(rest)
    if n >= 70:
        rest = n - 60
        return "soixante et onze" if rest == 11 else "soixante-" + words_0_99(rest)
    tens, unit = divmod(n, 10)
    if unit == 0:
        return TENS[tens]
    if unit == 1:
        return TENS[tens] + " et un"
    return TENS[tens] + "-" + UNITS[unit]


def date_in_words(d: dt.date) -> str:
    """'vingt-huit septembre deux mille dix-huit' — how signature dates are spelled out."""
    day = "premier" if d.day == 1 else words_0_99(d.day)
    year = "deux mille" + ("" if d.year == 2000 else " " + words_0_99(d.year - 2000))
    return f"{day} {MONTHS[d.month - 1]} {year}"


def de(name: str) -> str:
    """French elision: 'de Lens' but 'd'Abbeville', 'd'Épinal'."""
    return ("d'" if name[0] in "AEIOUYÉÈÊH" else "de ") + name


def date_short(d: dt.date) -> str:
    """'28 septembre 2018'."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS[d.month - 1]} {d.year}"


def euros(n: int) -> str:
    """'1 250 000 €' with non-breaking spaces, as French typography wants."""
    return f"{n:,}".replace(",", NBSP) + NBSP + "€"


def meuros(n: int) -> str:
    """'2,4 M€' (one decimal) for running text."""
    value = f"{n / 1_000_000:.1f}".replace(".", ",")
    return value + NBSP + "M€"


def fr(text: str) -> str:
    """French typography: non-breaking spaces inside guillemets and before ; : ! ?"""
    text = text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
    text = re.sub(r"(\d) (?=\d{3}\b)", r"\1" + NBSP, text)
    text = re.sub(r"(\d|n°) (?=€|%|M€|°C|km|m²|hectare)", r"\1" + NBSP, text)
    return re.sub(r" ([;:!?])", NBSP + r"\1", text)


def P(text: str, style: ParagraphStyle, **kwargs: Any) -> Paragraph:
    return Paragraph(fr(text), style, **kwargs)


def amount_cell(n: int) -> str:
    return "" if n == 0 else f"{n:,}".replace(",", NBSP)


# --------------------------------------------------------------------------- styles

def make_styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=9.5, leading=12.5,
                          alignment=TA_JUSTIFY, spaceAfter=5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.2, leading=8.6, spaceAfter=0,
                               alignment=0),
        "cellb": ParagraphStyle("cellb", parent=base, fontName="Helvetica-Bold", fontSize=7.2,
                                leading=8.6, spaceAfter=0, alignment=0),
        "num": ParagraphStyle("num", parent=base, fontSize=6.4, leading=7.8, spaceAfter=0,
                              alignment=TA_RIGHT),
        "numb": ParagraphStyle("numb", parent=base, fontName="Helvetica-Bold", fontSize=6.4,
                               leading=7.8, spaceAfter=0, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName="Helvetica-Bold", fontSize=6.4,
                               leading=7.8, spaceAfter=0, alignment=0),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2,
                                 spaceAfter=3),
        "h1": ParagraphStyle("h1", parent=base, fontName="Helvetica-Bold", fontSize=13,
                             leading=16, spaceBefore=8, spaceAfter=7, alignment=0, keepWithNext=1,
                             textColor=colors.HexColor("#1f3a5f")),
        "h2": ParagraphStyle("h2", parent=base, fontName="Helvetica-Bold", fontSize=11,
                             leading=14, spaceBefore=7, spaceAfter=5, alignment=0, keepWithNext=1,
                             textColor=colors.HexColor("#1f3a5f")),
        "fiche": ParagraphStyle("fiche", parent=base, fontName="Helvetica-Bold", fontSize=9.5,
                                leading=12, textColor=colors.white, spaceAfter=0, alignment=0),
        "title": ParagraphStyle("title", parent=base, fontName="Helvetica-Bold", fontSize=22,
                                leading=28, alignment=TA_CENTER,
                                textColor=colors.HexColor("#1f3a5f")),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=13, leading=18,
                                   alignment=TA_CENTER),
        "town": ParagraphStyle("town", parent=base, fontName="Helvetica-Bold", fontSize=30,
                               leading=36, alignment=TA_CENTER, spaceBefore=20, spaceAfter=10),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    }


# --------------------------------------------------------------------------- document

@dataclass
class Convention:
    """One convention source file, with derived values the template needs."""

    data: dict[str, Any]

    @property
    def town(self) -> str:
        return self.data["ville"]

    @property
    def date(self) -> dt.date:
        return self.data["date"]

    @property
    def is_avenant(self) -> bool:
        return self.data.get("kind") == "avenant"

    @property
    def axes(self) -> dict[int, str]:
        return AXES_2023 if self.is_avenant else AXES_2018

    def funder_name(self, key: str) -> str:
        overrides = {"commune": f"Ville {de(self.town)}", "epci": self.data["epci_court"]}
        overrides.update(self.data.get("financeurs_libelles", {}))
        return overrides.get(key, FUNDERS[key])

    def output_name(self) -> str:
        prefix = "avenant" if self.is_avenant else "convention"
        return f"{prefix}-{self.data['slug']}-{self.date.year}.pdf"

    def fiches(self) -> list[dict[str, Any]]:
        return [f for axe in self.data["axes"] for f in axe["fiches"]]


def resolve_financing(fiche: dict[str, Any]) -> dict[str, int]:
    """Turn a fiche's financing plan into amounts; 'reste' takes what the others leave."""
    plan = fiche["financement"]
    fixed = {k: int(v) for k, v in plan.items() if v != "reste"}
    rest_keys = [k for k, v in plan.items() if v == "reste"]
    if len(rest_keys) > 1:
        raise ValueError(f"fiche {fiche['code']}: plusieurs postes « reste »")
    remainder = fiche["cout"] - sum(fixed.values())
    if rest_keys:
        if remainder < 0:
            raise ValueError(f"fiche {fiche['code']}: financements supérieurs au coût")
        fixed[rest_keys[0]] = remainder
    elif remainder != 0:
        raise ValueError(f"fiche {fiche['code']}: écart de financement {remainder}")
    unknown = set(fixed) - set(FUNDERS)
    if unknown:
        raise ValueError(f"fiche {fiche['code']}: financeur inconnu {unknown}")
    return {k: fixed[k] for k in FUNDERS if fixed.get(k)}


class ConventionDoc(BaseDocTemplate):
    """Doc template with a bare title page, one-column and two-column body pages."""

    def __init__(self, buf: io.BytesIO, conv: Convention, total_pages: int) -> None:
        data = conv.data
        title = ("Avenant 2023-2026 à la convention-cadre Action cœur de ville "
                 if conv.is_avenant else "Convention-cadre pluriannuelle Action cœur de ville ")
        super().__init__(
            buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 6 * mm,
            bottomMargin=MARGIN + 4 * mm, invariant=1, title=title + de(conv.town),
            author=f"Ville {de(conv.town)}", subject=data["sujet"], creator="acv-kb corpus builder",
            keywords=["Action cœur de ville", conv.town, data["departement"]], lang="fr-FR",
        )
        self.conv = conv
        self.total_pages = total_pages
        frame_h = PAGE_H - self.topMargin - self.bottomMargin
        one = Frame(MARGIN, self.bottomMargin, BODY_W, frame_h, id="one")
        left = Frame(MARGIN, self.bottomMargin, COL_W, frame_h, id="left")
        right = Frame(MARGIN + COL_W + COL_GAP, self.bottomMargin, COL_W, frame_h, id="right")
        self.addPageTemplates([
            PageTemplate("title", [one], onPage=self._decorate_title),
            PageTemplate("one", [one], onPage=self._decorate),
            PageTemplate("two", [left, right], onPage=self._decorate),
        ])

    def _pin_date(self, canv) -> None:
        d = self.conv.date
        stamp = f"D:{d.year:04d}{d.month:02d}{d.day:02d}120000+02'00'"
        canv.setDateFormatter(lambda *args: stamp)

    def _decorate_title(self, canv, doc) -> None:
        self._pin_date(canv)

    def _decorate(self, canv, doc) -> None:
        self._pin_date(canv)
        town = self.conv.town
        header = f"Convention Action cœur de ville — {town}"
        if self.conv.is_avenant:
            header += " — avenant 2023-2026"
        canv.saveState()
        canv.setFont("Helvetica", 8)
        canv.setFillColor(colors.HexColor("#555555"))
        canv.drawString(MARGIN, PAGE_H - MARGIN + 2 * mm, header)
        canv.setStrokeColor(colors.HexColor("#1f3a5f"))
        canv.setLineWidth(0.6)
        canv.line(MARGIN, PAGE_H - MARGIN, PAGE_W - MARGIN, PAGE_H - MARGIN)
        canv.line(MARGIN, MARGIN + 2 * mm, PAGE_W - MARGIN, MARGIN + 2 * mm)
        footer = f"{town} — page {doc.page} / {self.total_pages or '?'}"
        canv.drawRightString(PAGE_W - MARGIN, MARGIN - 2 * mm, footer)
        canv.restoreState()


# --------------------------------------------------------------------------- story

class StoryBuilder:
    """Builds the flowables of one convention from its source data."""

    def __init__(self, conv: Convention) -> None:
        self.conv = conv
        self.d = conv.data
        self.s = make_styles()
        self.story: list[Any] = []

    # small helpers
    def p(self, text: str, style: str = "body") -> None:
        self.story.append(P(text, self.s[style]))

    def paras(self, texts: list[str]) -> None:
        for t in texts:
            self.p(t)

    def bullets(self, items: list[str]) -> None:
        for it in items:
            self.story.append(P(it, self.s["bullet"], bulletText="•"))

    def two_col(self, section: str) -> bool:
        return section in self.d.get("deux_colonnes", [])

    def width(self, section: str) -> float:
        return COL_W if self.two_col(section) else BODY_W

    def start_section(self, section: str, previous_two: bool) -> bool:
        """Switch page template when a section's column layout differs from the last one."""
        now_two = self.two_col(section)
        if now_two != previous_two:
            self.story.append(NextPageTemplate("two" if now_two else "one"))
            self.story.append(PageBreak())
        return now_two

    # sections
    def title_page(self) -> None:
        c, d = self.conv, self.d
        self.story.append(Spacer(1, 30 * mm))
        self.p("Programme national Action cœur de ville", "subtitle")
        self.story.append(Spacer(1, 8 * mm))
        if c.is_avenant:
            self.p(f"Avenant n°{NBSP}{d['avenant_numero']} à la convention-cadre pluriannuelle "
                   "Action cœur de ville", "title")
            self.p("Période 2023-2026", "subtitle")
        else:
            self.p("Convention-cadre pluriannuelle Action cœur de ville", "title")
        self.p(c.town, "town")
        epci = d["epci"][0].upper() + d["epci"][1:]
        self.p(f"{epci} — {d['departement_article']} ({d['region']})", "subtitle")
        self.story.append(Spacer(1, 14 * mm))
        verb = "signé" if c.is_avenant else "signée"
        self.p(f"{verb.capitalize()} le {date_in_words(c.date)}", "subtitle")
        if d.get("vaut_ort_titre"):
            self.story.append(Spacer(1, 4 * mm))
            self.p(d["vaut_ort_titre"], "center")
        self.story.append(Spacer(1, 60 * mm))
        self.p("Document fictif à visée illustrative, rédigé pour le corpus de démonstration "
               "acv-kb. Les projets, montants et calendriers sont inventés.", "small")
        self.story.append(NextPageTemplate("two" if self.two_col("preambule") else "one"))
        self.story.append(PageBreak())

    def parties(self) -> None:
        self.p("Entre les soussignés", "h1")
        for party in self.d["parties"]:
            self.story.append(P(f"<b>{party['nom']}</b>, {party['represente']} ;",
                                        self.s["bullet"], bulletText="•"))
        self.p("ci-après désignés « les Parties », il est convenu ce qui suit.")

    def preambule(self) -> None:
        c = self.conv
        self.p("Préambule", "h1")
        if c.is_avenant:
            self.paras(self.d["preambule"])
            return
        self.p("Le programme Action cœur de ville, lancé par le Gouvernement en décembre 2017, "
               "vise à redonner de l'attractivité aux villes moyennes qui exercent une fonction de "
               "centralité pour leur bassin de vie. La liste des 222 territoires retenus, soit 244 "
               "communes, a été rendue publique le 27 mars 2018. Environ 5 milliards d'euros sont "
               "mobilisés sur cinq ans : la Banque des Territoires y consacre 1 milliard d'euros de "
               "fonds propres et 700 millions d'euros de prêts, Action Logement 1,5 milliard "
               "d'euros et l'Anah 1,2 milliard d'euros, l'État intervenant notamment par la "
               "dotation de soutien à l'investissement local (DSIL).")
        self.paras(self.d["preambule"])

    def objet(self) -> None:
        c = self.conv
        self.p("Article 1 — Objet de la convention", "h1")
        if c.is_avenant:
            self.paras(self.d["objet"])
            return
        if self.d.get("objet"):
            self.paras(self.d["objet"])
        else:
            self.p(f"La présente convention-cadre a pour objet de décrire les modalités de mise en "
                   f"œuvre du programme Action cœur de ville à {c.town}. Elle précise les engagements "
                   f"réciproques des Parties, le diagnostic partagé, la stratégie de revitalisation "
                   f"du centre-ville, le plan d'action décliné selon les cinq axes du programme et "
                   f"la maquette financière prévisionnelle, d'un montant total de "
                   f"{euros(self.d['total'])}.")
        self.p("Elle comporte une phase d'initialisation, consacrée au diagnostic et aux études "
               "complémentaires, d'une durée maximale de dix-huit mois, puis une phase de "
               "déploiement au cours de laquelle les actions sont engagées. Les actions dites "
               "« matures » peuvent être lancées dès la signature.")

    def diagnostic(self) -> None:
        diag = self.d["diagnostic"]
        self.p(self.d.get("titre_diagnostic", "Article 2 — Diagnostic et enjeux"), "h1")
        self.paras(diag["intro"])
        self.p("Chiffres clés", "h2")
        width = self.width("diagnostic")
        rows = [[P("<b>Indicateur</b>", self.s["cell"]),
                 P("<b>Valeur</b>", self.s["cell"])]]
        rows += [[P(label, self.s["cell"]), P(str(value), self.s["cell"])]
                 for label, value in diag["chiffres"]]
        table = Table(rows, colWidths=[width * 0.68, width * 0.32], repeatRows=1)
        table.setStyle(self.grid_style())
        self.story.append(table)
        self.story.append(Spacer(1, 4 * mm))
        for block in diag["themes"]:
            self.p(block["titre"], "h2")
            self.paras(block["texte"])

    def strategie(self) -> None:
        strat = self.d["strategie"]
        self.p("Article 3 — Stratégie de revitalisation et périmètre d'intervention", "h1")
        self.paras(strat["texte"])
        self.p(strat.get("titre_perimetre", "Périmètre de l'opération de revitalisation de "
                                             "territoire (ORT)"), "h2")
        self.paras(strat["perimetre"])
        if strat.get("secteurs"):
            self.bullets(strat["secteurs"])
        self.paras(strat.get("apres_perimetre", []))

    def plan_action(self) -> None:
        self.p("Article 4 — Plan d'action", "h1")
        self.p(self.d.get("intro_plan", "Le plan d'action est organisé selon les cinq axes du "
                          "programme. Chaque action fait l'objet d'une fiche précisant son maître "
                          "d'ouvrage, son calendrier, son coût prévisionnel et ses financeurs "
                          "pressentis. Les montants sont indiqués hors taxes et restent "
                          "prévisionnels."))
        for axe in self.d["axes"]:
            num = axe["num"]
            self.story.append(CondPageBreak(60 * mm))
            self.p(f"Axe {num} — {self.conv.axes[num]}", "h2")
            self.paras(axe["intro"])
            for fiche in axe["fiches"]:
                self.story.append(self.fiche_block(fiche))
                self.story.append(Spacer(1, 3 * mm))

    def fiche_block(self, fiche: dict[str, Any]) -> KeepTogether:
        s = self.s
        financing = resolve_financing(fiche)
        funders = ", ".join(f"{self.conv.funder_name(k)} ({euros(v)})"
                            for k, v in financing.items())
        cost = euros(fiche["cout"])
        if fiche["cout"] >= 1_000_000:
            cost += f" (soit {meuros(fiche['cout'])})"
        head = P(f"Fiche action {fiche['code']} — {fiche['titre']}", s["fiche"])
        rows = [
            [head, ""],
            [P("<b>Description</b>", s["cell"]), P(fiche["description"], s["cell"])],
            [P("<b>Maître d'ouvrage</b>", s["cell"]),
             P(fiche["maitre_ouvrage"], s["cell"])],
            [P("<b>Calendrier</b>", s["cell"]), P(fiche["calendrier"], s["cell"])],
            [P("<b>Coût prévisionnel</b>", s["cell"]), P(cost + " HT", s["cell"])],
            [P("<b>Financeurs</b>", s["cell"]), P(funders, s["cell"])],
        ]
        if fiche.get("indicateurs"):
            rows.append([P("<b>Indicateurs</b>", s["cell"]),
                         P(fiche["indicateurs"], s["cell"])])
        table = Table(rows, colWidths=[32 * mm, BODY_W - 32 * mm])
        table.setStyle(TableStyle([
            ("SPAN", (0, 0), (1, 0)),
            ("BACKGROUND", (0, 0), (1, 0), colors.HexColor("#1f3a5f")),
            ("BACKGROUND", (0, 1), (0, -1), colors.HexColor("#eef2f7")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa8b8")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]))
        return KeepTogether([table])

    def grid_style(self) -> TableStyle:
        return TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe6ef")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa8b8")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ])

    def maquette(self) -> None:
        conv, d = self.conv, self.d
        total = sum(f["cout"] for f in conv.fiches())
        if total != d["total"]:
            raise ValueError(f"{conv.town}: somme des fiches {total} ≠ total {d['total']}")
        self.story.append(CondPageBreak(80 * mm))
        self.p("Article 5 — Maquette financière prévisionnelle", "h1")
        self.p(f"La maquette ci-dessous récapitule le coût prévisionnel des actions et leur plan "
               f"de financement. Le montant total du programme s'élève à {euros(total)}, soit "
               f"{meuros(total)}. Les participations indiquées sont des intentions : elles "
               f"n'engagent chaque financeur qu'après instruction et décision de ses instances.")
        if d.get("maquette") == "longue":
            self.maquette_long()
        else:
            self.maquette_wide()
        self.story.append(Spacer(1, 4 * mm))
        self.maquette_by_funder()
        self.paras(d.get("apres_maquette", []))

    def maquette_wide(self) -> None:
        s, conv = self.s, self.conv
        head = ["N°", "Action", "Coût total"] + [conv.funder_name(k) for k in WIDE_COLUMNS] + ["Autres"]
        rows: list[list[Any]] = [[P(h, s["head"]) for h in head]]
        style = self.grid_style()
        grand = {k: 0 for k in ["cout", *WIDE_COLUMNS, "autres_total"]}
        for axe in self.d["axes"]:
            sub = {k: 0 for k in grand}
            for fiche in axe["fiches"]:
                fin = resolve_financing(fiche)
                others = sum(v for k, v in fin.items() if k not in WIDE_COLUMNS)
                values = [fiche["cout"]] + [fin.get(k, 0) for k in WIDE_COLUMNS] + [others]
                for key, v in zip(sub, values):
                    sub[key] += v
                rows.append([P(fiche["code"], s["cell"]),
                             P(fiche["titre"], s["cell"])]
                            + [P(amount_cell(v), s["num"]) for v in values])
            rows.append([P("", s["cell"]),
                         P(f"Sous-total axe {axe['num']}", s["cellb"])]
                        + [P(amount_cell(v), s["numb"]) for v in sub.values()])
            style.add("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                      colors.HexColor("#f3f5f8"))
            for key in grand:
                grand[key] += sub[key]
        rows.append([P("", s["cell"]), P("TOTAL GÉNÉRAL (€ HT)", s["cellb"])]
                    + [P(amount_cell(v), s["numb"]) for v in grand.values()])
        style.add("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#dfe6ef"))
        widths = [8 * mm, 38 * mm] + [(BODY_W - 46 * mm) / 8] * 8
        style.add("LEFTPADDING", (0, 0), (-1, -1), 2)
        style.add("RIGHTPADDING", (0, 0), (-1, -1), 2)
        self.story.append(Table(rows, colWidths=widths, repeatRows=1))
        self.story[-1].setStyle(style)
        self.p("Montants en euros hors taxes. La colonne « Autres » regroupe la Région, le "
               "Département, les fonds européens et les financements privés.", "small")

    def maquette_long(self) -> None:
        s, conv = self.s, self.conv
        head = ["N°", "Action", "Maître d'ouvrage", "Financeur", "Montant (€)"]
        rows: list[list[Any]] = [[P(f"<b>{h}</b>", s["cell"]) for h in head]]
        style = self.grid_style()
        for axe in self.d["axes"]:
            subtotal = 0
            for fiche in axe["fiches"]:
                fin = resolve_financing(fiche)
                for i, (key, value) in enumerate(fin.items()):
                    first = i == 0
                    rows.append([
                        P(fiche["code"] if first else "", s["cell"]),
                        P(fiche["titre"] if first else "", s["cell"]),
                        P(fiche["maitre_ouvrage_court"] if first and fiche.get(
                            "maitre_ouvrage_court") else (fiche["maitre_ouvrage"] if first else ""),
                            s["cell"]),
                        P(conv.funder_name(key), s["cell"]),
                        P(amount_cell(value), s["cell"]),
                    ])
                rows.append([P("", s["cell"]),
                             P(f"Total action {fiche['code']}", s["cellb"]),
                             P("", s["cell"]), P("", s["cell"]),
                             P(amount_cell(fiche["cout"]), s["cellb"])])
                subtotal += fiche["cout"]
            rows.append([P("", s["cell"]),
                         P(f"Sous-total axe {axe['num']}", s["cellb"]),
                         P("", s["cell"]), P("", s["cell"]),
                         P(amount_cell(subtotal), s["cellb"])])
            style.add("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                      colors.HexColor("#f3f5f8"))
        rows.append([P("", s["cell"]), P("TOTAL GÉNÉRAL (€ HT)", s["cellb"]),
                     P("", s["cell"]), P("", s["cell"]),
                     P(amount_cell(self.d["total"]), s["cellb"])])
        style.add("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#dfe6ef"))
        widths = [10 * mm, 62 * mm, 40 * mm, 38 * mm, BODY_W - 150 * mm]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(style)
        self.story.append(table)

    def maquette_by_funder(self) -> None:
        s, conv = self.s, self.conv
        totals = {k: 0 for k in FUNDERS}
        for fiche in conv.fiches():
            for k, v in resolve_financing(fiche).items():
                totals[k] += v
        grand = sum(totals.values())
        heading = P("Répartition par financeur", s["h2"])
        rows: list[list[Any]] = [[P("<b>Financeur</b>", s["cell"]),
                                  P("<b>Montant (€ HT)</b>", s["cell"]),
                                  P("<b>Part</b>", s["cell"])]]
        for k, v in totals.items():
            if v:
                share = f"{100 * v / grand:.1f}".replace(".", ",") + NBSP + "%"
                rows.append([P(conv.funder_name(k), s["cell"]),
                             P(amount_cell(v), s["cell"]), P(share, s["cell"])])
        rows.append([P("Total", s["cellb"]), P(amount_cell(grand), s["cellb"]),
                     P(f"100{NBSP}%", s["cellb"])])
        table = Table(rows, colWidths=[80 * mm, 40 * mm, 25 * mm], repeatRows=1, hAlign="LEFT")
        table.setStyle(self.grid_style())
        self.story.append(KeepTogether([heading, table]))
        self.story.append(Spacer(1, 3 * mm))

    def engagements(self) -> None:
        c, d = self.conv, self.d
        self.story.append(CondPageBreak(50 * mm))
        self.p("Article 6 — Engagements des partenaires", "h1")
        self.p(f"<b>La Ville {de(c.town)} et {d['epci']}</b> s'engagent à mobiliser leurs moyens "
               f"humains et financiers au service du projet, à désigner un directeur de projet "
               f"dédié et à inscrire les actions dans leurs programmations pluriannuelles "
               f"d'investissement.")
        self.p(f"<b>L'État</b> désigne un référent départemental, placé auprès du préfet "
               f"{d['departement_article_prefet']}, et mobilise en priorité la DSIL, la DETR le cas "
               f"échéant, ainsi que l'appui de ses services déconcentrés et des opérateurs "
               f"nationaux.")
        self.p("<b>La Banque des Territoires</b> cofinance l'ingénierie (études, assistance à "
               "maîtrise d'ouvrage, postes de chef de projet) et peut intervenir en "
               "investissement, en fonds propres ou par des prêts de long terme, notamment sur "
               "les projets commerciaux, immobiliers et d'innovation.")
        self.p("<b>Action Logement</b> finance, sous forme de prêts et de subventions, la "
               "restructuration d'immeubles du centre-ville portée par des opérateurs, pour "
               "produire une offre de logements adaptée aux salariés.")
        self.p("<b>L'Agence nationale de l'habitat (Anah)</b> accompagne les opérations "
               "programmées d'amélioration de l'habitat, la lutte contre l'habitat indigne et "
               "la rénovation énergétique des logements, et finance une part du suivi-animation.")
        self.paras(d.get("engagements_autres", []))

    def gouvernance(self) -> None:
        c, d = self.conv, self.d
        self.story.append(CondPageBreak(40 * mm))
        self.p("Article 7 — Gouvernance et pilotage", "h1")
        self.p(f"Un comité de projet, présidé par le maire {de(c.town)} et associant le président "
               f"de {d['epci']}, le préfet ou son représentant et les partenaires financeurs, se "
               f"réunit au moins deux fois par an. Il valide les actions, suit l'avancement du "
               f"plan d'action et propose, si nécessaire, les avenants. Un comité technique, "
               f"animé par le directeur de projet, prépare ses travaux.")
        self.paras(d.get("gouvernance", []))
        self.p("Article 8 — Suivi, évaluation et durée", "h1")
        self.p("Un état d'avancement est transmis chaque année au comité régional d'engagement. "
               "L'évaluation s'appuie sur les indicateurs définis dans les fiches actions et sur "
               "un référentiel national d'évaluation.")
        self.paras(d["duree"])

    def signatures(self) -> None:
        c, d = self.conv, self.d
        self.story.append(PageBreak())
        self.p("Signatures", "h1")
        self.p(f"Fait à {d.get('lieu_signature', c.town)}, le {date_short(c.date)}, en "
               f"{len(d['signataires'])} exemplaires originaux.")
        self.story.append(Spacer(1, 6 * mm))
        cells = [P(f"<b>{sig}</b><br/><br/><br/><br/>(signature)", self.s["cell"])
                 for sig in d["signataires"]]
        rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
        table = Table(rows, colWidths=[BODY_W / 2] * 2, rowHeights=[32 * mm] * len(rows))
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4)]))
        self.story.append(table)
        if d.get("annexes"):
            self.p("Annexes", "h2")
            self.bullets(d["annexes"])

    def build(self) -> list[Any]:
        self.title_page()
        two = self.two_col("preambule")
        self.parties()
        self.preambule()
        self.objet()
        two = self.start_section("diagnostic", two)
        self.diagnostic()
        two = self.start_section("strategie", two)
        self.strategie()
        two = self.start_section("plan", two)
        self.plan_action()
        self.maquette()
        self.engagements()
        self.gouvernance()
        self.signatures()
        return self.story


def render(conv: Convention) -> bytes:
    """Two passes: the first counts pages so the footer can say 'page N / M'."""
    total = 0
    for _ in range(2):
        buf = io.BytesIO()
        doc = ConventionDoc(buf, conv, total)
        doc.build(StoryBuilder(conv).build())
        total = doc.page
    return buf.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Render the conventions-cadres as PDF.")
    parser.add_argument("--sources", type=Path, default=SOURCES, help="folder of the YAML sources")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="folder of the rendered PDFs")
    parser.add_argument("slugs", nargs="*", help="render only these sources (file stems)")
    args = parser.parse_args(argv)
    output = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    sources = sorted(args.sources.resolve().glob("*.yaml"))
    if args.slugs:
        sources = [p for p in sources if p.stem in args.slugs]
    for path in sources:
        conv = Convention(yaml.safe_load(path.read_text(encoding="utf-8")))
        pdf = render(conv)
        out = output / conv.output_name()
        out.write_bytes(pdf)
        shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
        print(f"{shown}: {len(pdf)} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

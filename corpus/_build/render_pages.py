"""Render the demo press releases, good-practice sheets and off-topic pages.

Sources live in corpus/_sources/pages/ (one YAML file per document, Jinja2 site
templates in templates/). Outputs are HTML pages and PDFs under
corpus/documents/, plus the extraction labels in tests/data/labels/pages.jsonl.
Markdown good-practice sheets are hand-written in corpus/documents/bonnes-pratiques/
and only get their labels from _sources/pages/markdown_labels.yaml.

Rendering is byte-reproducible: sorted inputs, no timestamps, reportlab invariant mode.

Usage: .venv/bin/python corpus/_build/render_pages.py
"""

from __future__ import annotations

import calendar
import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt
from reportlab import rl_config

rl_config.invariant = 1  # fixed PDF ids and dates so rebuilds are byte-identical

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "corpus" / "_sources" / "pages"
DOCUMENTS = ROOT / "corpus" / "documents"
LABELS = ROOT / "tests" / "data" / "labels" / "pages.jsonl"

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]
LABEL_KEYS = ("doc_type", "main_cities", "mentioned_cities", "axes", "themes", "regions")


def fr_date(iso: str | date) -> str:
    """Long French date ("1er mars 2019") as printed on public sites."""
    d = date.fromisoformat(str(iso))
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS[d.month - 1]} {d.year}"


def num_date(iso: str | date) -> str:
    """Short French date (05/07/2018)."""
    d = date.fromisoformat(str(iso))
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def md_to_html(text: str) -> str:
    """Markdown body to HTML (tables enabled, no raw HTML)."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return md.render(text).strip()


def load_sources(kind: str) -> list[dict[str, Any]]:
    """All YAML sources of one kind, sorted by file name for stable output."""
    docs = []
    for path in sorted((SOURCES / kind).glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc["_source"] = path.name
        docs.append(doc)
    return docs


def render_html(env: Environment, doc: dict[str, Any], folder: str) -> Path:
    """Fill the site template of a document and write the page."""
    template = env.get_template(f"{doc['site']['template']}.html.j2")
    month = int(doc["date"][5:7])
    offset = "+02:00" if 4 <= month <= 10 else "+01:00"  # rough French summer time, enough for a demo
    doc["published_iso"] = f"{doc['date']}T{doc.get('time', '10:00:00')}{offset}"
    html = template.render(
        doc=doc,
        site=doc["site"],
        body_html=md_to_html(doc["body"]),
        chapo_html=md_to_html(doc["chapo"]) if doc.get("chapo") else "",
        fr_date=fr_date,
        num_date=num_date,
    )
    html = "\n".join(line.rstrip() for line in html.splitlines()) + "\n"
    out = DOCUMENTS / folder / doc["out"]
    out.write_text(html, encoding="utf-8", newline="\n")
    return out


# ---------------------------------------------------------------- PDF rendering

def _inline(text: str) -> str:
    """Escape for reportlab paragraphs and keep **bold**."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


def _pdf_styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    blue = colors.HexColor("#000091")
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontName="Helvetica-Bold",
                                fontSize=17, leading=21, alignment=TA_LEFT, textColor=blue),
        "kicker": ParagraphStyle("k", parent=base["Normal"], fontName="Helvetica-Bold",
                                 fontSize=9, textColor=colors.HexColor("#6a6a6a")),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName="Helvetica-Bold",
                             fontSize=12.5, leading=16, textColor=blue, spaceBefore=10),
        "body": ParagraphStyle("b", parent=base["Normal"], fontName="Helvetica",
                               fontSize=10, leading=14, spaceAfter=6),
        "cell": ParagraphStyle("c", parent=base["Normal"], fontName="Helvetica",
                               fontSize=9, leading=12),
        "small": ParagraphStyle("s", parent=base["Normal"], fontName="Helvetica-Oblique",
                                fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
    }


def _md_blocks(text: str) -> list[tuple[str, Any]]:
    """Split the small Markdown subset used by the sheets into blocks."""
    blocks: list[tuple[str, Any]] = []
    para: list[str] = []
    items: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if para:
            blocks.append(("p", " ".join(para)))
            para.clear()
        if items:
            blocks.append(("ul", list(items)))
            items.clear()
        if rows:
            blocks.append(("table", [r for r in rows if not set("".join(r)) <= set("-: ")]))
            rows.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(("h2", line[3:]))
        elif line.startswith("- "):
            if para or rows:
                flush()
            items.append(line[2:])
        elif line.startswith("|"):
            if para or items:
                flush()
            rows.append([c.strip() for c in line.strip("|").split("|")])
        else:
            if items or rows:
                flush()
            para.append(line)
    flush()
    return blocks


def render_pdf(doc: dict[str, Any]) -> Path:
    """Lay out a two-to-three page good-practice sheet with reportlab."""
    st = _pdf_styles()
    out = DOCUMENTS / "bonnes-pratiques" / doc["out"]
    pdf = SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm,
        topMargin=2 * cm, bottomMargin=2 * cm,
        title=doc["title"], author=doc["site"]["name"], subject="Fiche bonne pratique",
        creator="acv-kb corpus builder", invariant=1,
    )
    story: list[Any] = [
        Paragraph(_inline(doc["site"]["name"] + " — " + doc["site"].get("series", "Fiche bonne pratique")), st["kicker"]),
        Spacer(1, 6),
        Paragraph(_inline(doc["title"]), st["title"]),
        Paragraph(_inline(f"Date de publication : {fr_date(doc['date'])}"), st["kicker"]),
        Spacer(1, 8),
    ]
    if doc.get("chapo"):
        story.append(Paragraph(_inline(doc["chapo"]), st["body"]))
    facts = doc.get("facts") or []
    if facts:
        data = [[Paragraph(f"<b>{_inline(k)}</b>", st["cell"]), Paragraph(_inline(v), st["cell"])]
                for k, v in facts]
        table = Table(data, colWidths=[4.2 * cm, 12.3 * cm])
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e3e3fd")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9a9aff")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story += [table, Spacer(1, 8)]
    for kind, value in _md_blocks(doc["body"]):
        if kind == "h2":
            story.append(Paragraph(_inline(value), st["h2"]))
        elif kind == "p":
            story.append(Paragraph(_inline(value), st["body"]))
        elif kind == "ul":
            story.append(ListFlowable(
                [ListItem(Paragraph(_inline(v), st["body"]), leftIndent=12) for v in value],
                bulletType="bullet", start="•", leftIndent=12))
        elif kind == "table":
            data = [[Paragraph(("<b>%s</b>" if i == 0 else "%s") % _inline(c), st["cell"]) for c in row]
                    for i, row in enumerate(value)]
            ncol = len(value[0])
            table = Table(data, colWidths=[16.5 * cm / ncol] * ncol, repeatRows=1)
            table.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e3fd")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9a9aff")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            story += [table, Spacer(1, 6)]
    footer_text = doc["site"]["footer"]

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(2.2 * cm, 1.2 * cm, footer_text)
        canvas.drawRightString(A4[0] - 2.2 * cm, 1.2 * cm, f"Page {document.page}")
        canvas.restoreState()

    # SOURCE_DATE_EPOCH makes reportlab stamp the publication date instead of its
    # invariant 2000-01-01, so the PDF metadata stays realistic and reproducible.
    d = date.fromisoformat(doc["date"])
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm((d.year, d.month, d.day, 9, 0, 0)))
    try:
        pdf.build(story, onFirstPage=on_page, onLaterPages=on_page)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return out


# ---------------------------------------------------------------- labels

def label_line(path: Path, doc: dict[str, Any]) -> dict[str, Any]:
    """One extraction label, in the shared format (plus region names)."""
    label = doc["label"]
    line: dict[str, Any] = {"file": path.relative_to(ROOT).as_posix(), "doc_type": label["doc_type"],
                            "date": str(doc["date"])}
    for key in LABEL_KEYS[1:]:
        line[key] = label.get(key, [])
    line["main_cities"] = [str(c) for c in line["main_cities"]]
    line["mentioned_cities"] = [str(c) for c in line["mentioned_cities"]]
    return line


def main() -> None:
    env = Environment(loader=FileSystemLoader(str(SOURCES / "templates")), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    sites = yaml.safe_load((SOURCES / "sites.yaml").read_text(encoding="utf-8"))
    labels: list[dict[str, Any]] = []
    for kind in ("communiques", "bonnes-pratiques", "autres"):
        for doc in load_sources(kind):
            doc["date"] = str(doc["date"])
            doc["site"] = {**sites[doc["site_id"]], **doc.get("site_extra", {})}
            if doc.get("format", "html") == "pdf":
                out = render_pdf(doc)
            else:
                out = render_html(env, doc, kind)
            labels.append(label_line(out, doc))
    md_labels = yaml.safe_load((SOURCES / "markdown_labels.yaml").read_text(encoding="utf-8"))
    for entry in md_labels:
        path = ROOT / entry["file"]
        if not path.exists():
            raise SystemExit(f"Fichier Markdown introuvable : {entry['file']}")
        entry["date"] = str(entry["date"])
        labels.append(label_line(path, entry))
    labels.sort(key=lambda item: item["file"])
    LABELS.parent.mkdir(parents=True, exist_ok=True)
    with LABELS.open("w", encoding="utf-8", newline="\n") as fh:
        for item in labels:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(labels)} documents rendus, étiquettes dans {LABELS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

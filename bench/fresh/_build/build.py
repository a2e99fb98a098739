"""Build the fresh held-out collection (bench/fresh/documents/) and its labels (bench/fresh/labels.jsonl).

Why a script: the PDFs (conventions, sheets, scanned pages) must be rebuilt byte for byte, and the labels
live next to the text they describe so that both change together. Every page is fictional and says so.

    python bench/fresh/_build/build.py            # writes documents/ and labels.jsonl
    python bench/fresh/_build/build.py --check    # rebuilds into a temporary folder and compares bytes

Deterministic: reportlab runs with invariant=1, the scanned pages use a seeded random generator, and
nothing depends on the clock.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import html
import io
import json
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRESH = HERE.parent
sys.path.insert(0, str(HERE))

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_CENTER  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str, str]:
    """DejaVu when present (œ, €, « » in every style), else reportlab's built-in Helvetica."""
    try:
        pdfmetrics.registerFont(TTFont("DV", str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DVB", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFont(TTFont("DVS", str(FONT_DIR / "DejaVuSerif.ttf")))
        return "DV", "DVB", "DVS"
    except Exception:  # pragma: no cover - fallback on a machine without DejaVu
        return "Helvetica", "Helvetica-Bold", "Times-Roman"


SANS, BOLD, SERIF = _fonts()


# -- PDF rendering ---------------------------------------------------------------------------------


def styles(base: str = SANS, size: float = 10.0) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("t", fontName=BOLD, fontSize=size + 8, leading=size + 12, spaceAfter=10),
        "subtitle": ParagraphStyle("st", fontName=base, fontSize=size + 2, leading=size + 5, spaceAfter=8),
        "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=size + 2.5, leading=size + 6, spaceBefore=10, spaceAfter=4),
        "h3": ParagraphStyle("h3", fontName=BOLD, fontSize=size + 0.5, leading=size + 4, spaceBefore=6, spaceAfter=2),
        "body": ParagraphStyle("b", fontName=base, fontSize=size, leading=size * 1.35, spaceAfter=5),
        "small": ParagraphStyle("s", fontName=base, fontSize=size - 2, leading=(size - 2) * 1.3, spaceAfter=3),
        "center": ParagraphStyle("c", fontName=base, fontSize=size, leading=size * 1.35, alignment=TA_CENTER),
        "ctitle": ParagraphStyle(
            "ct", fontName=BOLD, fontSize=size + 9, leading=size + 14, alignment=TA_CENTER, spaceAfter=12
        ),
        "cell": ParagraphStyle("cell", fontName=base, fontSize=size - 1, leading=(size - 1) * 1.3),
        "cellb": ParagraphStyle("cellb", fontName=BOLD, fontSize=size - 1, leading=(size - 1) * 1.3),
    }


def esc(text: str) -> str:
    """Escape for reportlab's paragraph markup, keeping <b>/<i> written as [b]...[/b]."""
    out = html.escape(text, quote=False)
    return out.replace("[b]", "<b>").replace("[/b]", "</b>").replace("[i]", "<i>").replace("[/i]", "</i>")


def field_table(rows: list[tuple[str, str]], st: dict[str, ParagraphStyle], width: float, shade: str) -> Table:
    data = [[Paragraph(esc(k), st["cellb"]), Paragraph(esc(v), st["cell"])] for k, v in rows]
    t = Table(data, colWidths=[width * 0.28, width * 0.72])
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor(shade)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


def render_pdf(spec: dict, path: Path) -> None:
    """A text PDF from a list of blocks: (kind, payload) with kind in title/subtitle/h2/h3/p/small/fields/
    center/ctitle/break/space/signatures."""
    buf = io.BytesIO()
    meta = spec.get("pdf_meta", {})
    st = styles(SERIF if spec.get("serif") else SANS, spec.get("size", 10.0))
    width = A4[0] - 40 * mm
    header = spec.get("running_header")
    footer = spec.get("running_footer")

    def on_page(canvas, doc):  # noqa: ANN001 - reportlab callback
        canvas.saveState()
        canvas.setFont(SANS, 7.5)
        if header:
            canvas.drawString(20 * mm, A4[1] - 12 * mm, header)
        if footer:
            canvas.drawString(20 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"{doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=meta.get("title", ""),
        author=meta.get("author", ""),
        subject=meta.get("subject", ""),
        creator=meta.get("creator", ""),
        producer=meta.get("producer", "ReportLab PDF Library"),
        keywords=meta.get("keywords", ""),
        invariant=1,
    )
    flow = []
    for kind, payload in spec["blocks"]:
        if kind in ("title", "subtitle", "h2", "h3", "small", "center", "ctitle"):
            flow.append(Paragraph(esc(payload), st[kind]))
        elif kind == "p":
            flow.append(Paragraph(esc(payload), st["body"]))
        elif kind == "fields":
            shade = "#e8eef6"
            flow.append(Spacer(1, 4))
            flow.append(field_table(payload, st, width, shade))
            flow.append(Spacer(1, 8))
        elif kind == "fiche":
            # a fiche-action: heading + labelled fields + description, kept together
            name, rows, text = payload
            flow.append(
                KeepTogether(
                    [
                        Paragraph(esc(name), st["h3"]),
                        field_table(rows, st, width, "#f1ecdf"),
                        Spacer(1, 3),
                        Paragraph(esc(text), st["body"]),
                        Spacer(1, 6),
                    ]
                )
            )
        elif kind == "signatures":
            cells = [Paragraph(esc(s), st["cell"]) for s in payload]
            rows = [cells[i : i + 2] + [Paragraph("", st["cell"])] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
            t = Table(rows, colWidths=[width / 2, width / 2], rowHeights=[28 * mm] * len(rows))
            t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            flow.append(Spacer(1, 6))
            flow.append(t)
        elif kind == "break":
            flow.append(PageBreak())
        elif kind == "space":
            flow.append(Spacer(1, payload))
        else:
            raise ValueError(f"unknown block {kind}")
    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    path.write_bytes(buf.getvalue())


# -- scanned PDFs (image-only pages) -----------------------------------------------------------------


def render_scan(spec: dict, path: Path) -> None:
    """Pages drawn as images with Pillow (no text layer), slightly rotated and speckled, wrapped in a PDF."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(spec["seed"])
    dpi = 200
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    margin = int(0.9 * dpi)
    fonts = {
        "body": ImageFont.truetype(str(FONT_DIR / spec.get("font", "DejaVuSerif.ttf")), 30),
        "bold": ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), 32),
        "title": ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), 42),
        "small": ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), 24),
    }
    pages: list[Image.Image] = []

    def new_page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
        img = Image.new("L", (w, h), 250)
        return img, ImageDraw.Draw(img)

    img, draw = new_page()
    y = margin
    for kind, text in spec["lines"]:
        if kind == "break":
            pages.append(img)
            img, draw = new_page()
            y = margin
            continue
        if kind == "space":
            y += int(text)
            continue
        font = fonts[{"title": "title", "h": "bold", "p": "body", "small": "small", "center": "bold", "right": "body"}[kind]]
        words = text.split()
        line = ""
        lines = []
        maxw = w - 2 * margin
        for word in words:
            cand = (line + " " + word).strip()
            if font.getlength(cand) <= maxw:
                line = cand
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        for ln in lines:
            if y > h - margin - 60:
                pages.append(img)
                img, draw = new_page()
                y = margin
            if kind in ("title", "center"):
                x = (w - font.getlength(ln)) / 2
            elif kind == "right":
                x = w - margin - font.getlength(ln)
            else:
                x = margin
            draw.text((x, y), ln, fill=25, font=font)
            y += int(font.size * 1.45)
        y += int(font.size * 0.6)
    pages.append(img)

    out = []
    for n, page in enumerate(pages):
        # speckles, a grey edge, a small rotation: what a photocopy looks like
        d = ImageDraw.Draw(page)
        for _ in range(900):
            x, yy = rng.randrange(w), rng.randrange(h)
            d.point((x, yy), fill=rng.randrange(90, 200))
        d.rectangle((0, 0, 14, h), fill=200)
        angle = spec.get("angles", [0.5, -0.4, 0.3])[n % 3]
        page = page.rotate(angle, resample=Image.BICUBIC, fillcolor=240, expand=False)
        out.append(page)

    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    meta = spec.get("pdf_meta", {})
    if meta.get("title"):
        c.setTitle(meta["title"])
    if meta.get("creator"):
        c.setCreator(meta["creator"])
    c.setProducer(meta.get("producer", "Scanner"))
    for page in out:
        jb = io.BytesIO()
        page.save(jb, format="JPEG", quality=70, optimize=False)
        jb.seek(0)
        c.drawImage(ImageReader(jb), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())


# -- main -----------------------------------------------------------------------------------------------


def load_communes() -> dict[str, str]:
    csv_path = FRESH.parents[2] / "shared" / "data" / "acv_communes.csv"
    if not csv_path.is_file():  # worktrees keep shared/ one level up
        csv_path = FRESH.parents[3] / "shared" / "data" / "acv_communes.csv"
    if not csv_path.is_file():
        return {}
    with csv_path.open(encoding="utf-8") as fh:
        return {row["code_insee"]: row["commune"] for row in csv.DictReader(fh)}


LABEL_KEYS = ("doc_type", "axes", "main_city", "cities", "mentioned_cities", "date", "title", "labelled_axis")


def all_docs() -> list[dict]:
    import docs_conventions
    import docs_pdf
    import docs_web

    return docs_web.DOCS + docs_pdf.DOCS + docs_conventions.DOCS


def build(out_dir: Path, labels_path: Path) -> list[dict]:
    from web import render_web

    docs = all_docs()
    names = [d["file"] for d in docs]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit(f"duplicate file names: {sorted(dup)}")
    communes = load_communes()
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        if old.is_file():
            old.unlink()
    lines = []
    for d in docs:
        path = out_dir / d["file"]
        kind = d["render"]
        if kind == "pdf":
            render_pdf(d, path)
        elif kind == "scan":
            render_scan(d, path)
        else:
            path.write_text(render_web(d), encoding="utf-8")
        lab = d["label"]
        missing = [k for k in LABEL_KEYS if k not in lab]
        if missing:
            raise SystemExit(f"{d['file']}: label lacks {missing}")
        for code in [lab["main_city"], *lab["cities"], *lab["mentioned_cities"]]:
            if code is not None and communes and code not in communes:
                raise SystemExit(f"{d['file']}: {code} is not an ACV commune")
        if lab["main_city"] is not None and lab["main_city"] not in lab["cities"]:
            raise SystemExit(f"{d['file']}: main_city not in cities")
        if set(lab["cities"]) & set(lab["mentioned_cities"]):
            raise SystemExit(f"{d['file']}: a town is both about and mentioned")
        row = {"file": f"bench/fresh/documents/{d['file']}"}
        row.update({k: lab[k] for k in LABEL_KEYS})
        row["scanned"] = kind == "scan"
        row["format"] = path.suffix.lstrip(".")
        lines.append(json.dumps(row, ensure_ascii=False))
    labels_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="rebuild in a temporary folder and compare bytes")
    args = ap.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp)
            build(t / "documents", t / "labels.jsonl")
            diff = [
                p.name
                for p in sorted((t / "documents").iterdir())
                if not filecmp.cmp(p, FRESH / "documents" / p.name, shallow=False)
            ]
            if not filecmp.cmp(t / "labels.jsonl", FRESH / "labels.jsonl", shallow=False):
                diff.append("labels.jsonl")
            print("identical" if not diff else f"differs: {diff}")
            raise SystemExit(1 if diff else 0)
    docs = build(FRESH / "documents", FRESH / "labels.jsonl")
    counts: dict[str, int] = {}
    for d in docs:
        counts[d["label"]["doc_type"]] = counts.get(d["label"]["doc_type"], 0) + 1
    print(f"{len(docs)} documents: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()

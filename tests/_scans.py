"""Scanned-PDF fixtures made at test time: text we write, drawn into a picture, wrapped in a PDF.

The picture is the only thing on the page (no text layer), as with a scanner.
Also the exact word-accuracy measure used by tests/test_ocr.py and bench/ocr_speed.py.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # shipped with reportlab (dev dependency)
FONT_BOLD = Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"

# (kind, text) per page: "h" a heading, "p" a paragraph. French, illustrative (not copied from real documents).
PAGES: list[list[tuple[str, str]]] = [
    [
        ("h", "CONVENTION-CADRE ACTION CŒUR DE VILLE"),
        ("p", "Entre la commune de Cahors, la communauté d'agglomération du Grand Cahors, l'État et les "
              "partenaires financeurs, il est convenu ce qui suit."),
        ("h", "Article 1 - Objet de la convention"),
        ("p", "La présente convention précise les engagements de chacune des parties pour la revitalisation "
              "du centre-ville. Elle décrit les actions prévues sur la période de cinq ans, leur calendrier "
              "et leur plan de financement prévisionnel."),
        ("p", "Le diagnostic partagé montre une vacance commerciale élevée dans les rues du centre ancien, "
              "des logements dégradés au-dessus des commerces et des espaces publics peu accueillants pour "
              "les piétons et les cyclistes."),
    ],
    [
        ("h", "Article 2 - Engagements des partenaires"),
        ("p", "La Banque des Territoires apporte son expertise et cofinance les études préalables. Action "
              "Logement mobilise des prêts pour la réhabilitation des immeubles anciens. L'Agence nationale "
              "de l'habitat subventionne les travaux des propriétaires occupants et bailleurs."),
        ("p", "La commune s'engage à créer une foncière de redynamisation commerciale, à rénover les façades "
              "de la rue Nationale et à aménager les quais du Lot avec des cheminements ombragés."),
        ("h", "Article 3 - Gouvernance"),
        ("p", "Un comité de projet se réunit deux fois par an sous la présidence du maire. Le directeur de "
              "projet prépare ses travaux et rend compte de l'avancement des actions."),
    ],
]


def for_city(pages: list[list[tuple[str, str]]], city: str) -> list[list[tuple[str, str]]]:
    """The same pages about another commune (Cahors replaced), for benchmarks over several documents."""
    return [[(kind, text.replace("Cahors", city)) for kind, text in page] for page in pages]


def page_text(page: list[tuple[str, str]]) -> str:
    return "\n".join(text for _, text in page)


def render_page(page: list[tuple[str, str]], dpi: int = 300) -> Image.Image:
    """An A4 greyscale picture of the page's text: 11 pt body, 14 pt bold headings, 2.5 cm margins."""
    width, height = round(A4[0] / 72 * dpi), round(A4[1] / 72 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    margin = round(2.5 / 2.54 * dpi)
    y = margin
    for kind, text in page:
        size_pt = 14 if kind == "h" else 11
        font = ImageFont.truetype(str(FONT_BOLD if kind == "h" else FONT), round(size_pt * dpi / 72))
        line_height = round(size_pt * 1.35 * dpi / 72)
        for line in _wrap(text, font, width - 2 * margin):
            draw.text((margin, y), line, font=font, fill=0)
            y += line_height
        y += line_height // 2 + (line_height // 2 if kind == "h" else 0)
    return image


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _draw_scan(c: canvas.Canvas, image: Image.Image) -> None:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    c.drawImage(ImageReader(buffer), 0, 0, width=A4[0], height=A4[1])


def degrade(image: Image.Image, *, angle: float = 0.7, specks: float = 0.01, seed: int = 17) -> Image.Image:
    """A worse scan: the page slightly rotated and sprinkled with black and white specks (deterministic)."""
    import numpy as np

    rotated = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(rotated).copy()
    rng = np.random.default_rng(seed)
    noise = rng.random(pixels.shape)
    pixels[noise < specks / 2] = 0
    pixels[noise > 1 - specks / 2] = 255
    return Image.fromarray(pixels)


def scanned_pdf(pages: list[list[tuple[str, str]]], dpi: int = 300, *, degraded: bool = False) -> bytes:
    """A PDF whose every page is one picture of the text, with no text layer."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for page in pages:
        image = render_page(page, dpi)
        _draw_scan(c, degrade(image) if degraded else image)
        c.showPage()
    c.save()
    return buffer.getvalue()


def mixed_pdf(text_page: list[tuple[str, str]], scanned_page: list[tuple[str, str]], dpi: int = 300) -> bytes:
    """Page 1 with a real text layer, page 2 a scan."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    text = c.beginText(2.5 / 2.54 * 72, A4[1] - 2.5 / 2.54 * 72)
    text.setFont("Helvetica", 11)
    for _, paragraph in text_page:
        font = ImageFont.truetype(str(FONT), 11)
        for line in _wrap(paragraph, font, int(A4[0] - 2 * 2.5 / 2.54 * 72)):
            text.textLine(line)
        text.textLine("")
    c.drawText(text)
    c.showPage()
    _draw_scan(c, render_page(scanned_page, dpi))
    c.showPage()
    c.save()
    return buffer.getvalue()


_TOKEN = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Words as compared for accuracy: letters and digits, case kept; apostrophes and dashes split words."""
    return _TOKEN.findall(text.replace("’", "'"))


def word_accuracy(reference: str, hypothesis: str) -> float:
    """1 − word error rate: word-level edit distance (substitutions, insertions, deletions) over reference words."""
    ref, hyp = words(reference), words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return 1.0 - previous[-1] / len(ref) if ref else float(not hyp)

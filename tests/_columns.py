"""Multi-column PDF pages made at test time, drawn line by line in an order that is NOT the reading order.

Each page: a full-width title, a band of two or three columns, a full-width heading and table, then
another column band. The content stream draws the column bands row by row across the columns
(or the last column first), so reading the stream in order mixes the columns.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

MARGIN = 56.0
GUTTER = 18.0
BODY = ("Helvetica", 10.0, 12.5)  # font, size, leading
HEADING = ("Helvetica-Bold", 13.0, 16.0)
TITLE = ("Helvetica-Bold", 16.0, 20.0)

# Illustrative French text about ACV communes (written for the tests).
PARAGRAPHS = [
    "Le centre ancien de Vienne concentre les commerces de bouche, les services publics et les monuments "
    "romains. Sa fréquentation baisse depuis dix ans malgré la qualité de son patrimoine.",
    "La vacance commerciale atteint quatorze pour cent dans la rue Marchande et le cours Romestang. Les "
    "locaux vides se trouvent surtout dans les rues étroites du quartier Saint-Martin.",
    "Les logements au-dessus des commerces sont souvent inaccessibles faute d'entrée séparée. Leur "
    "réhabilitation demande des travaux lourds que les propriétaires ne peuvent pas financer seuls.",
    "Les quais du Rhône restent coupés du centre par la route nationale. La commune veut y créer une "
    "promenade plantée reliée à la place de l'Hôtel-de-Ville par des traversées sûres.",
    "Une foncière commerciale rachète les cellules vides les mieux placées, les rénove et les loue à des "
    "artisans et commerçants indépendants à un loyer progressif pendant trois ans.",
    "Un guichet unique de l'habitat conseille les propriétaires et monte leurs dossiers d'aides auprès de "
    "l'Anah, de la Région et d'Action Logement pour les immeubles les plus dégradés.",
]
TABLE = [["Financeur", "Montant", "Année"], ["Banque des Territoires", "2,1 M€", "2019"],
         ["Action Logement", "4,8 M€", "2020"], ["Anah", "1,6 M€", "2021"]]
TITLE_TEXT = "Vienne : diagnostic et plan d'actions"
HEADING_TEXT = "Plan de financement prévisionnel"


def _lines(text: str, font: tuple[str, float, float], width: float) -> list[str]:
    return simpleSplit(text, font[0], font[1], width)


def _column_band(paragraphs: Sequence[str], n_columns: int, width: float) -> list[list[tuple[float, str]]]:
    """Lines (y offset from the band top, text) of each column, paragraphs flowing from column to column."""
    flow: list[tuple[str, bool]] = []  # (line, first line of a paragraph)
    for text in paragraphs:
        flow.extend((line, i == 0) for i, line in enumerate(_lines(text, BODY, width)))
    per_column = -(-len(flow) // n_columns)
    columns: list[list[tuple[float, str]]] = []
    for c in range(n_columns):
        y = 0.0
        column: list[tuple[float, str]] = []
        for line, first in flow[c * per_column:(c + 1) * per_column]:
            if first and column:
                y += BODY[2] * 0.6  # space between paragraphs
            column.append((y, line))
            y += BODY[2]
        columns.append(column)
    return columns


def page(n_columns: int, order: str = "rows") -> bytes:
    """One A4 page; `order` is how the column bands are drawn: "rows" across columns, or "reversed" columns."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    width = A4[0] - 2 * MARGIN
    column_width = (width - (n_columns - 1) * GUTTER) / n_columns
    y = A4[1] - MARGIN - 20

    c.setFont(TITLE[0], TITLE[1])
    for line in _lines(TITLE_TEXT, TITLE, width):
        c.drawString(MARGIN, y, line)
        y -= TITLE[2]
    y -= 10

    def band(paragraphs: Sequence[str], top: float) -> float:
        columns = _column_band(paragraphs, n_columns, column_width)
        c.setFont(BODY[0], BODY[1])
        cells = [(ci, dy, text) for ci, column in enumerate(columns) for dy, text in column]
        if order == "rows":
            cells.sort(key=lambda cell: (cell[1], cell[0]))  # row by row across the columns
        else:
            cells.sort(key=lambda cell: (-cell[0], cell[1]))  # last column first
        for ci, dy, text in cells:
            c.drawString(MARGIN + ci * (column_width + GUTTER), top - dy, text)
        return top - max(dy for _, dy, _ in cells) - BODY[2] * 2

    half = len(PARAGRAPHS) // 2
    y = band(PARAGRAPHS[:half], y)

    c.setFont(HEADING[0], HEADING[1])
    c.drawString(MARGIN, y, HEADING_TEXT)
    y -= HEADING[2] + 4
    c.setFont(BODY[0], BODY[1])
    cell_xs = [MARGIN, MARGIN + width * 0.45, MARGIN + width * 0.75]
    for row in TABLE:
        for x, value in zip(cell_xs, row):
            c.drawString(x + 2, y, value)
        c.line(MARGIN, y - 4, MARGIN + width, y - 4)
        y -= BODY[2] + 4
    y -= 12
    band(PARAGRAPHS[half:], y)
    c.showPage()
    c.save()
    return out.getvalue()


EXPECTED_BLOCKS: list[tuple[str, str]] = [
    ("heading", TITLE_TEXT),
    *[("paragraph", text) for text in PARAGRAPHS[:3]],
    ("heading", HEADING_TEXT),
    ("table", "\n".join(" | ".join(row) for row in TABLE)),
    *[("paragraph", text) for text in PARAGRAPHS[3:]],
]

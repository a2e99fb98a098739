"""Reading order of multi-column PDF pages, from the position and width of each line.

A PDF content stream may draw the text of a two-column page in any order
(row by row across both columns, the right column first…). We find the
gutters (vertical bands inside the text area that no column-width line
crosses, with real text on both sides), then read the page top to bottom in
bands: a line that crosses a gutter (a full-width heading, paragraph or
table row) stays in place and cuts the page; between two such lines, the
lines are read column by column. Pages without gutters keep their stream
order untouched.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from ingest.readers._common import word_count

_NARROW = 0.62  # a line narrower than this share of the text area may belong to a column
_MIN_COLUMN_LINES = 3
_MIN_LINE_WORDS = 3
_MAX_CELL_WORDS = 3  # a column's running text has more words per line than a table cell
_MIN_COLUMN_WORDS = 4.0  # mean words per line of a text column (table cells hold fewer)
_MIN_COLUMN_FILL = 0.5  # median line width / column width: column text fills its column
_MARGIN = 0.08  # top and bottom share of the page: running headers and footers keep their place
_SAME_BASELINE = 1.5


@dataclass(slots=True)
class Box:
    """One line of text on a page: left and right edges, baseline (PDF points, origin bottom left), size."""

    x0: float
    x1: float
    y: float
    size: float
    text: str
    bold: bool = False


def gutters(boxes: list[Box]) -> list[float]:
    """x positions of the column gutters of a page (empty when it is one column)."""
    if len(boxes) < 2 * _MIN_COLUMN_LINES:
        return []
    left = min(b.x0 for b in boxes)
    right = max(b.x1 for b in boxes)
    width = right - left
    if width <= 0:
        return []
    size = statistics.median(b.size for b in boxes if b.size) if any(b.size for b in boxes) else 10.0
    # lines of running text narrower than the page; short ones (table cells, labels) and headings
    # (bold or larger type, often set across the columns) may sit anywhere
    narrow = [b for b in boxes if b.x1 - b.x0 < _NARROW * width and word_count(b.text) >= _MIN_LINE_WORDS
              and not b.bold and b.size <= size * 1.1]
    if len(narrow) < 2 * _MIN_COLUMN_LINES:
        return []
    min_gap = max(6.0, 0.6 * size)
    candidates = _gaps(narrow, left, right, min_gap)
    # drop the gutters whose columns do not look like running text, until every one is backed
    while candidates:
        weak = _weakest(candidates, narrow)
        if weak is None:
            return candidates
        candidates.pop(weak)
    return []


def _gaps(narrow: list[Box], left: float, right: float, min_gap: float) -> list[float]:
    """Centres of the vertical bands (at least `min_gap` wide) that almost no narrow line covers,
    with covered ground on both sides. A few crossing lines (a title, a table row) are allowed."""
    bins = int(right - left) + 2
    delta = [0] * (bins + 1)
    for b in narrow:
        delta[max(0, int(b.x0 - left))] += 1
        delta[min(bins, int(b.x1 - left) + 1)] -= 1
    coverage: list[int] = []
    running = 0
    for d in delta[:bins]:
        running += d
        coverage.append(running)
    limit = max(1, int(0.1 * max(coverage)))
    gaps: list[float] = []
    start: int | None = None
    seen_text = False
    for x, n in enumerate(coverage):
        if n > limit:
            if start is not None and seen_text and x - start >= min_gap:
                gaps.append(left + (start + x) / 2)
            start = None
            seen_text = True
        elif start is None:
            start = x
    return gaps


def _weakest(cuts: list[float], narrow: list[Box]) -> int | None:
    """Index of a gutter one of whose neighbouring columns is not text, or None if all are sound."""
    edges = [float("-inf"), *cuts, float("inf")]
    columns = [[b for b in narrow if lo <= (b.x0 + b.x1) / 2 < hi] for lo, hi in zip(edges, edges[1:])]
    for i, cut in enumerate(cuts):
        for side in (columns[i], columns[i + 1]):
            if not _is_text_column(side):
                return i
        if not _overlap(columns[i], columns[i + 1]):
            return i
    return None


def _is_text_column(lines: list[Box]) -> bool:
    if len(lines) < _MIN_COLUMN_LINES:
        return False
    words = statistics.mean(word_count(b.text) for b in lines)
    column = max(b.x1 for b in lines) - min(b.x0 for b in lines)
    fill = statistics.median(b.x1 - b.x0 for b in lines) / column if column > 0 else 0.0
    return words >= _MIN_COLUMN_WORDS and fill >= _MIN_COLUMN_FILL


def _overlap(a: list[Box], b: list[Box]) -> bool:
    """The two columns share a vertical stretch of at least two lines."""
    low = max(min(x.y for x in a), min(x.y for x in b))
    high = min(max(x.y for x in a), max(x.y for x in b))
    size = statistics.median([x.size or 10.0 for x in a + b])
    return high - low >= 2 * size


def reading_order(boxes: list[Box], page_height: float | None = None) -> list[int] | None:
    """Indices of `boxes` in reading order, or None when the page has no columns (keep stream order)."""
    cuts = gutters(boxes)
    if not cuts:
        return None
    order = sorted(range(len(boxes)), key=lambda i: (-round(boxes[i].y, 1), boxes[i].x0))
    head: list[int] = []
    foot: list[int] = []
    body: list[int] = []
    for i in order:
        if page_height and boxes[i].y > page_height * (1 - _MARGIN):
            head.append(i)
        elif page_height and boxes[i].y < page_height * _MARGIN:
            foot.append(i)
        else:
            body.append(i)
    spanning = _spanning(boxes, body, cuts)
    result = list(head)
    band: list[int] = []
    for i in body:
        if i in spanning:
            result.extend(_order_band(boxes, band, cuts, closed=True))
            band = []
            result.append(i)
        else:
            band.append(i)
    result.extend(_order_band(boxes, band, cuts, closed=False))
    result.extend(foot)
    return result


def _column(box: Box, cuts: list[float]) -> int:
    centre = (box.x0 + box.x1) / 2
    return sum(centre >= cut for cut in cuts)


def _order_band(boxes: list[Box], band: list[int], cuts: list[float], *, closed: bool) -> list[int]:
    """A stretch between two full-width lines, read column by column.

    A line with nothing beside it in the other columns, below which the other columns start
    again, ends the stretch: a full-width title that happens to be shorter than a column. When
    a full-width line follows (`closed`), headings left alone at the foot of the stretch belong
    to it and come after the columns (a table's title above the table).
    """
    if not band:
        return []
    column = {i: _column(boxes[i], cuts) for i in band}
    body_size = statistics.median(boxes[i].size or 10.0 for i in band)

    def alone(i: int) -> bool:
        box = boxes[i]
        others = [j for j in band if column[j] != column[i]]
        return bool(others) and all(abs(boxes[j].y - box.y) > 1.5 * (box.size or body_size) for j in others)

    def styled(i: int) -> bool:
        return boxes[i].bold or boxes[i].size >= body_size * 1.15

    segments: list[list[int]] = [[]]
    openers: list[int | None] = [None]  # the full-width line that opens each segment
    for k, i in enumerate(band):
        current = segments[-1]
        above = any(boxes[j].y > boxes[i].y for j in current if column[j] != column[i])
        below = any(column[j] != column[i] for j in band[k + 1:])
        if current and above and below and alone(i):
            segments.append([])
            openers.append(i)
            continue
        segments[-1].append(i)
    trailing: list[int] = []
    last = segments[-1]
    if closed:
        lowest_other = {c: min((boxes[j].y for j in last if column[j] != c), default=None) for c in set(column.values())}
        while last and styled(last[-1]) and alone(last[-1]):
            i = last[-1]
            other = lowest_other[column[i]]
            if other is None or other <= boxes[i].y:
                break
            trailing.insert(0, last.pop())
    result: list[int] = []
    for opener, segment in zip(openers, segments):
        if opener is not None:
            result.append(opener)
        result.extend(_by_column(boxes, segment, column))
    return result + trailing


def _spanning(boxes: list[Box], body: list[int], cuts: list[float]) -> set[int]:
    """Lines that stay in place: those crossing a gutter, those on the same baseline (the other cells
    of a table row), and table rows whose cells each fit in a column (short cells side by side)."""
    rows: dict[int, list[int]] = {}
    for i in body:
        key = next((k for k in rows if abs(boxes[k].y - boxes[i].y) < _SAME_BASELINE), i)
        rows.setdefault(key, []).append(i)
    kept: set[int] = set()
    short_rows: list[list[int]] = []
    for row in rows.values():
        if any(boxes[i].x0 < cut < boxes[i].x1 for i in row for cut in cuts):
            kept.update(row)
        elif (len({_column(boxes[i], cuts) for i in row}) >= 2
              and all(word_count(boxes[i].text) <= _MAX_CELL_WORDS for i in row)):
            short_rows.append(row)  # short texts side by side in several columns: perhaps a table row
    for row in short_rows:
        # a table row has a neighbour row with cells starting at the same places
        # (two paragraph endings side by side do not)
        starts = [boxes[i].x0 for i in row]
        y = boxes[row[0]].y
        size = max(boxes[i].size for i in row) or 10.0
        for other in short_rows:
            if other is row or abs(boxes[other[0]].y - y) > 3 * size:
                continue
            aligned = sum(any(abs(boxes[j].x0 - x) < 3 for j in other) for x in starts)
            if aligned >= 2:
                kept.update(row)
                break
    return kept


def _by_column(boxes: list[Box], band: list[int], column: dict[int, int]) -> list[int]:
    """Column after column; within a column, the order the lines were drawn in (a wrapped table cell and
    its neighbour keep their order, which sorting by height would break)."""
    return sorted(band, key=lambda i: (column[i], i))

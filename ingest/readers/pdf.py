"""PDF reader: text page by page with pypdf, rebuilt into headings, paragraphs, lists and tables.

pypdf gives the text of each page and, through its visitor, the font and
position of every run of text; that is enough to tell running headers and
footers, headings (bold or larger type, numbering), paragraph gaps and
table rows apart without a layout engine.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, LimitReachedError

try:  # pypdf's font model: character widths of embedded and standard fonts
    from pypdf.generic._font import Font as _PdfFont
except ImportError:  # pragma: no cover - another pypdf layout: widths are estimated
    _PdfFont = None  # type: ignore[assignment,misc]

from acv.errors import UnreadableFileError
from acv.records import Block, ParsedDocument
from ingest import boilerplate
from ingest.readers import columns, ocr
from ingest.readers._common import (
    BULLET_RE,
    date_lines,
    heading_level,
    is_upper_heading,
    join_lines,
    normalize_space,
    word_count,
)

log = logging.getLogger(__name__)

MAX_PAGES = 2000
MAX_PAGE_CHARS = 2_000_000
MAX_DOC_CHARS = 20_000_000
MAX_PAGE_CONTENT_BYTES = 2_000_000  # decoded content stream of one page (text pages: ~5–100 KB)
_EDGE_LINES = 2  # lines at each end of a page that may be running header/footer
_MARGIN = 0.08  # fraction of the page height considered top/bottom margin
_SCAN_MAX_WORDS = 5  # a page with an image and fewer words than this is a scan (a stamp or page number aside)


_LONE_BULLET = re.compile(r"^[•\x7f▪◦●■‣○□➢➤►✓✔·*–-]$")


class _PageTooLong(Exception):
    """Raised from the visitor to stop extracting a page past its character budget."""


@dataclass
class _Line:
    text: str
    page: int
    x: float | None = None
    y: float | None = None
    size: float = 0.0
    bold: bool = False
    x1: float | None = None  # right edge, from the font's character widths
    top: bool = False
    bottom: bool = False
    cells: list[str] = field(default_factory=list)
    cell_xs: list[float] = field(default_factory=list)
    ocr: bool = False  # a paragraph recognised by OCR: already a whole block, with its kind
    kind: str = "paragraph"
    level: int = 0


@dataclass
class _Run:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    font: Any = None  # pypdf Font (widths in thousandths of an em), None when unknown
    em: float = 0.0  # points per thousandth of an em, horizontally

    def width(self, text: str) -> float:
        if self.font is not None:
            try:
                return float(self.font.get_text_width(text)) * self.em
            except Exception:  # noqa: BLE001 - odd width tables: estimate
                pass
        return len(text) * 0.5 * self.size  # about half an em per character in Latin text


def read(path: Path, data: bytes, *, progress: ocr.Progress | None = None) -> ParsedDocument:
    """Parse a PDF held in memory, OCR'ing its scanned pages; raise UnreadableFileError with a French reason.

    `progress(done, total, page)` is called after each OCR'd page (pages are also logged).
    """
    reader = _open(data)
    warnings: list[str] = []
    try:
        n_pages = len(reader.pages)
    except Exception as exc:
        raise UnreadableFileError("PDF endommagé ou tronqué : arborescence des pages illisible") from exc
    if n_pages == 0:
        raise UnreadableFileError("PDF endommagé ou tronqué : aucune page trouvée")
    if n_pages > MAX_PAGES:
        warnings.append(f"seules les {MAX_PAGES} premières pages sur {n_pages} ont été lues")

    pages: list[list[_Line]] = []
    total = 0
    failed = skipped = 0
    timed_out = False
    scanned: list[int] = []  # 1-based numbers of the pages with an image and no text layer
    deadline = time.monotonic() + _time_budget()
    for index in range(min(n_pages, MAX_PAGES)):
        if time.monotonic() > deadline:
            timed_out = True
            warnings.append(f"lecture arrêtée à la page {index + 1} (délai dépassé)")
            break
        try:
            page = reader.pages[index]
            if _content_size(page) > MAX_PAGE_CONTENT_BYTES:
                # pypdf parses operators in pure Python: a huge stream would take minutes
                warnings.append(f"page {index + 1} ignorée : contenu trop volumineux")
                pages.append([])
                skipped += 1
                continue
            lines, height, truncated = _page_lines(page, index + 1)
        except MemoryError as exc:
            raise UnreadableFileError("PDF trop volumineux une fois décompressé") from exc
        except RecursionError as exc:
            raise UnreadableFileError("PDF endommagé : structure trop profondément imbriquée") from exc
        except LimitReachedError:
            # a stream that inflates past pypdf's cap (75 MB): a compression bomb, not a damaged page
            warnings.append(f"page {index + 1} ignorée : contenu trop volumineux une fois décompressé")
            pages.append([])
            skipped += 1
            continue
        except Exception as exc:  # noqa: BLE001 - one broken page must not sink the document
            log.warning("%s: page %d unreadable: %s", path, index + 1, exc)
            failed += 1
            lines, height, truncated = [], None, False
        if truncated:
            warnings.append(f"texte de la page {index + 1} tronqué (page trop volumineuse)")
        if sum(word_count(line.text) for line in lines) < _SCAN_MAX_WORDS and ocr.has_image(page):
            scanned.append(index + 1)
        _mark_edges(lines, height)
        pages.append(lines)
        total += sum(len(line.text) for line in lines)
        if total > MAX_DOC_CHARS:
            warnings.append(f"lecture arrêtée à la page {index + 1} (texte trop volumineux)")
            break
    ocr_meta: dict[str, Any] | None = None
    no_ocr_reason: str | None = None
    if scanned:
        ocr_meta, no_ocr_reason, ocr_timed_out = _ocr(path, data, pages, scanned, deadline, warnings, progress)
        timed_out = timed_out or ocr_timed_out
    pages = _strip_furniture(pages)
    blocks = _to_blocks(pages)
    if not blocks:
        if no_ocr_reason == ocr.UNAVAILABLE:
            raise UnreadableFileError("aucun texte extractible et " + ocr.UNAVAILABLE)
        if no_ocr_reason:
            raise UnreadableFileError(f"aucun texte extractible ({no_ocr_reason})")
        if timed_out:
            raise UnreadableFileError("PDF trop long à lire : délai dépassé")
        if skipped:
            raise UnreadableFileError("PDF trop volumineux une fois décompressé")
        if failed:
            raise UnreadableFileError("PDF endommagé ou tronqué : aucune page lisible")
        if ocr_meta is not None:
            raise UnreadableFileError("aucun texte extractible : l'OCR n'a reconnu aucun texte dans les pages scannées")
        raise UnreadableFileError("aucun texte extractible (PDF image sans OCR)")
    if failed:
        warnings.append(f"{failed} page(s) illisible(s) ignorée(s)")

    info = _info(reader)
    all_lines = [line.text for page in pages for line in page]
    meta: dict[str, Any] = {"pdf": {**info, "dates_text": date_lines(all_lines)}}
    if ocr_meta is not None:
        meta["ocr"] = ocr_meta
    if warnings:
        meta["warnings"] = warnings
    title = _meaningful_title(info.get("title"), path.stem) or _first_heading(blocks)
    return ParsedDocument.build(
        source=str(path), format="pdf", blocks=blocks, title=title, meta=meta, page_count=n_pages
    )


def _ocr(path: Path, data: bytes, pages: list[list[_Line]], scanned: list[int], deadline: float,
         warnings: list[str], progress: ocr.Progress | None) -> tuple[dict[str, Any] | None, str | None, bool]:
    """Replace the scanned pages' lines by OCR paragraphs; (OCR metadata, reason OCR did not run, timed out)."""
    cfg = ocr.config()
    listed = ", ".join(map(str, scanned))
    reason = "OCR désactivé par ACV_OCR=0" if not cfg.enabled else ocr.unavailable_reason(cfg.lang)
    if reason:
        log.warning("%s: %d scanned page(s) not read: %s", path, len(scanned), reason)
        warnings.append(f"page(s) scannée(s) {listed} non lue(s) : {reason}")
        return None, reason, False
    log.info("%s: OCR of %d scanned page(s): %s", path, len(scanned), listed)
    result = ocr.ocr_pages(data, scanned, deadline=deadline, cfg=cfg, progress=progress)
    warnings.extend(result.warnings)
    for number, paragraphs in result.pages.items():
        lines = [_Line(text=p.text, page=number, y=p.top, size=p.height, ocr=True, kind=p.kind, level=p.level)
                 for p in paragraphs]
        _mark_edges(lines, result.heights.get(number))
        pages[number - 1] = lines
    timed_out = any("délai dépassé" in w for w in result.warnings)
    meta = {"pages": sorted(result.pages), "lang": cfg.lang, "dpi": cfg.dpi, "seconds": round(result.seconds, 2)}
    return meta, None, timed_out


def _time_budget() -> float:
    try:
        from acv.settings import get_settings

        # keep a margin under the hard limit of ingest.isolation, so a slow PDF gives its first pages
        return 0.75 * float(get_settings().parse_timeout_s)
    except Exception:  # noqa: BLE001 - settings unavailable: the documented default
        return 45.0


def _content_size(page: Any) -> int:
    contents = page.get_contents()
    return len(contents.get_data()) if contents is not None else 0


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except MemoryError as exc:
        raise UnreadableFileError("PDF trop volumineux une fois décompressé") from exc
    except Exception as exc:
        raise UnreadableFileError("PDF endommagé ou tronqué") from exc
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except DependencyError as exc:
            raise UnreadableFileError("PDF chiffré avec un algorithme non pris en charge") from exc
        except Exception as exc:
            raise UnreadableFileError("PDF chiffré : mot de passe requis") from exc
        if not ok:
            raise UnreadableFileError("PDF chiffré : mot de passe requis")
    return reader


def _page_lines(page: Any, number: int) -> tuple[list[_Line], float | None, bool]:
    """Runs of text with their font and position, grouped into lines as pypdf wrote them."""
    runs: list[tuple[str, _Run | None]] = []
    budget = [MAX_PAGE_CHARS]
    fonts: dict[int, tuple[Any, Any]] = {}  # id(font dict) -> (font dict kept alive, pypdf Font or None)

    def font_model(font: Any) -> Any:
        if font is None or _PdfFont is None:
            return None
        cached = fonts.get(id(font))
        if cached is None:
            try:
                model = _PdfFont.from_font_resource(font)
            except Exception:  # noqa: BLE001 - a broken font dictionary: widths are estimated
                model = None
            cached = fonts[id(font)] = (font, model)
        return cached[1]

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if not text:
            return
        budget[0] -= len(text)
        if budget[0] < 0:
            raise _PageTooLong
        try:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
            hscale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            name = str(font.get("/BaseFont", "")) if font else ""
        except (TypeError, IndexError, AttributeError, ValueError):
            runs.append((text, None))
            return
        bold = bool(re.search(r"bold|black|heavy|semibold|demi", name, re.IGNORECASE))
        run = _Run(text, float(x), float(y), float(size or 0) * float(scale or 1), bold, font_model(font),
                   float(size or 0) * float(hscale or 1) / 1000.0)
        runs.append((text, run))

    truncated = False
    try:
        page.extract_text(visitor_text=visit)
    except _PageTooLong:
        truncated = True
    height: float | None
    try:
        height = float(page.mediabox.height)
    except Exception:  # noqa: BLE001
        height = None
    return _merge_rows(_reading_order(_group_lines(runs, number), height)), height, truncated


def _reading_order(lines: list[_Line], height: float | None) -> list[_Line]:
    """Lines of a multi-column page read column by column (ingest.readers.columns); others as drawn."""
    if not lines or any(ln.x is None or ln.x1 is None or ln.y is None for ln in lines):
        return lines
    boxes = [columns.Box(ln.x, ln.x1, ln.y, ln.size, ln.text, ln.bold) for ln in lines]  # type: ignore[arg-type]
    order = columns.reading_order(boxes, height)
    return lines if order is None else [lines[i] for i in order]


def _group_lines(runs: list[tuple[str, _Run | None]], number: int) -> list[_Line]:
    lines: list[_Line] = []
    pieces: list[tuple[str, _Run | None]] = []

    ends: list[float | None] = []  # right edge of each piece (None after a line break inside a run)

    def close() -> None:
        text = normalize_space("".join(t for t, _ in pieces))
        if text:
            located = [r for t, r in pieces if r is not None and t.strip()]
            line = _Line(text=text, page=number)
            known = [end for (t, _), end in zip(pieces, ends) if end is not None and t.strip()]
            line.x1 = max(known) if known and len(known) == len(located) else None
            if located:
                chars: Counter[float] = Counter()
                bold_chars = 0
                for run in located:
                    n = len(run.text.strip())
                    chars[round(run.size, 1)] += n
                    bold_chars += n if run.bold else 0
                line.x, line.y = located[0].x, located[0].y
                line.size = chars.most_common(1)[0][0]
                line.bold = bold_chars * 2 > sum(chars.values())
            lines.append(line)
        pieces.clear()
        ends.clear()

    for text, run in runs:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if part:
                end = run.x + run.width(part) if run is not None and i == 0 else None
                if run is not None and i == 0 and part.strip() and _far_right(pieces, ends, run):
                    close()  # same baseline, far to the right: another column or cell, drawn in one go
                pieces.append((part, run))
                ends.append(end)
            if i < len(parts) - 1:
                close()
    close()
    return lines


def _far_right(pieces: list[tuple[str, _Run | None]], ends: list[float | None], run: _Run) -> bool:
    last = next(((r, e) for (t, r), e in zip(reversed(pieces), reversed(ends)) if t.strip()), None)
    if last is None or last[0] is None or last[1] is None:
        return False
    prev, end = last
    return abs(prev.y - run.y) < 1.0 and run.x > end + max(1.5 * max(run.size, prev.size), 8.0)


def _merge_rows(lines: list[_Line]) -> list[_Line]:
    """Consecutive lines on the same baseline, left to right, are the cells of a table row."""
    merged: list[_Line] = []
    for line in lines:
        prev = merged[-1] if merged else None
        if (prev is not None and _LONE_BULLET.match(prev.text) and prev.y is not None and line.y is not None
                and abs(prev.y - line.y) < max(line.size, 4.0)):
            # a bullet drawn on its own, a little off the baseline of its text
            prev.text = f"{prev.text} {line.text}"
            prev.y, prev.size, prev.bold = line.y, line.size, line.bold
            continue
        last_x = (prev.cell_xs[-1] if prev.cell_xs else prev.x) if prev is not None else None
        if (prev is not None and prev.y is not None and line.y is not None and last_x is not None
                and line.x is not None and line.x > last_x
                and (abs(prev.y - line.y) < 1.5
                     # a cell whose text starts higher up than its neighbour's (other vertical alignment)
                     or (line.x > last_x + 20 and 0 < line.y - prev.y < 5 * max(prev.size, 1.0)))):
            if not prev.cells:
                prev.cells = [prev.text]
                prev.cell_xs = [prev.x]
            prev.cells.append(line.text)
            prev.cell_xs.append(line.x)
            prev.text = " | ".join(prev.cells)
            continue
        merged.append(line)
    return merged


def _mark_edges(lines: list[_Line], height: float | None) -> None:
    for i, line in enumerate(lines):
        in_top = in_bottom = False
        if height and line.y is not None:
            in_top = line.y > height * (1 - _MARGIN)
            in_bottom = line.y < height * _MARGIN
        line.top = i < _EDGE_LINES or in_top
        line.bottom = i >= len(lines) - _EDGE_LINES or in_bottom


def _strip_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop running headers/footers and page numbers, keeping a larger-type first-page title."""
    repeated = boilerplate.repeated_furniture(pages)
    sizes = [ln.size for page in pages for ln in page if boilerplate.line_key(ln.text) in repeated and ln.size]
    furniture_size = statistics.median(sizes) if sizes else 0.0
    kept_pages: list[list[_Line]] = []
    for lines in pages:
        kept: list[_Line] = []
        for line in lines:
            edge = line.top or line.bottom
            bigger = furniture_size and line.size > furniture_size * 1.2  # a title echoed by the header
            if edge and boilerplate.line_key(line.text) in repeated and not bigger:
                continue
            if boilerplate.is_explicit_page_number(line.text) or (edge and boilerplate.is_page_number(line.text)):
                continue
            kept.append(line)
        kept_pages.append(kept)
    return kept_pages


def _body_size(pages: list[list[_Line]]) -> float:
    """Size of the running text: the largest size holding a quarter of the characters.

    Not simply the most common size: tables in small type can outweigh the prose.
    """
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if line.size and not line.cells and not line.ocr:
                sizes[line.size] += len(line.text)
    total = sum(sizes.values())
    if not total:
        return 0.0
    return max(size for size, n in sizes.items() if n >= total * 0.25 or n == max(sizes.values()))


def _leading(pages: list[list[_Line]]) -> dict[float, float]:
    """Usual distance between two lines of one paragraph, per font size."""
    gaps: dict[float, list[float]] = {}
    for lines in pages:
        for a, b in itertools.pairwise(lines):
            if a.y is None or b.y is None or not a.size or a.size != b.size or a.ocr or b.ocr:
                continue
            gap = a.y - b.y
            if 0 < gap < a.size * 3:
                gaps.setdefault(a.size, []).append(gap)
    return {size: min(values) for size, values in gaps.items() if values}


def _classify(line: _Line, body: float, size_rank: dict[float, int], page_width: int) -> tuple[str, int]:
    """Kind and heading level of one line."""
    text = line.text
    if line.cells:
        return "table", 0
    if BULLET_RE.match(text):
        return "list_item", 0
    level = heading_level(text)
    short = word_count(text) <= 20 and not text.endswith((".", ";", ",", ":"))
    styled = bool(body) and (line.size >= body * 1.15 or (line.bold and line.size >= body * 0.95))
    # a bold line filling the whole width is the start of a paragraph, not a title
    full_width = page_width > 40 and len(text) > page_width * 0.85 and level is None
    if styled and short and not full_width:
        return "heading", level or size_rank.get(line.size, 2 if line.bold else 1)
    if level is not None:
        return "heading", level
    if is_upper_heading(text):
        return "heading", 1
    return "paragraph", 0


def _to_blocks(pages: list[list[_Line]]) -> list[Block]:
    body = _body_size(pages)
    leading = _leading(pages)
    bigger = sorted({ln.size for p in pages for ln in p if body and not ln.ocr and ln.size >= body * 1.15},
                    reverse=True)
    size_rank = {size: i + 1 for i, size in enumerate(bigger[:5])}
    blocks: list[Block] = []
    for lines in pages:
        current: list[str] = []
        kind = "paragraph"
        level = 0
        prev: _Line | None = None
        row_xs: list[float] = []  # column positions of the last table row
        first_x: float | None = None  # left edge of the current block's first line
        page_width = max((len(ln.text) for ln in lines), default=0)

        for line in lines:
            if line.ocr:  # OCR paragraphs come whole, already classified
                blocks.extend(_make_block(current, kind, level, line.page))
                blocks.extend(_make_block([line.text], line.kind, line.level, line.page, ocr=True))
                current, kind, level, prev = [], "paragraph", 0, None
                continue
            line_kind, line_level = _classify(line, body, size_rank, page_width)
            gap = _is_gap(prev, line, leading)
            continues = False
            if prev is not None and current and kind == "table":
                if line_kind == "table":
                    continues = True
                elif _in_column(line, row_xs):
                    # a wrapped cell: the line sits under a column other than the first
                    current[-1] = join_lines([current[-1], line.text])
                    prev = line
                    continue
            elif (prev is not None and current and gap and kind in ("paragraph", "list_item")
                  and line_kind == "paragraph" and line.text[:1].islower() and prev.size == line.size
                  and not prev.text.endswith((".", ";", ":", "!", "?"))):
                continues = True  # the sentence goes on despite the spacing
            elif prev is not None and current and not gap:
                same_style = prev.size == line.size and prev.bold == line.bold
                if kind == "heading":
                    # a wrapped title: same type, not itself a new numbered title
                    continues = bool(body) and same_style and line_kind == "heading" and heading_level(line.text) is None
                    if (not continues and line_kind == "paragraph" and prev.size == line.size and prev.bold
                            and heading_level(current[0]) is None and not is_upper_heading(current[0])):
                        # a bold lead-in running straight into plain text: a paragraph after all
                        kind, level, continues = "paragraph", 0, True
                elif kind in ("paragraph", "list_item") and line_kind in ("paragraph", "heading"):
                    if line_kind == "heading" and (heading_level(line.text) is not None or is_upper_heading(line.text)):
                        continues = False
                    elif kind == "list_item" and line.x is not None and first_x is not None \
                            and line.x <= first_x + 1 and prev.text.endswith((".", ";", ":", "!", "?")):
                        continues = False  # back at the bullet's margin: the list is over
                    elif prev.size and line.size:
                        # same size, no extra space: a bold or wrapped line of the same paragraph
                        continues = prev.size == line.size
                    else:
                        continues = line_kind == "paragraph" and not _ends_paragraph(prev, page_width)
            if line.cells:
                row_xs = line.cell_xs
            if continues:
                current.append(line.text)
            else:
                blocks.extend(_make_block(current, kind, level, line.page))
                kind, level = line_kind, line_level
                current = [line.text]
                first_x = line.x
            prev = line
        if lines:
            blocks.extend(_make_block(current, kind, level, lines[0].page))
    return blocks


def _make_block(lines: list[str], kind: str, level: int, page: int, *, ocr: bool = False) -> list[Block]:
    """The block made of the current lines (none if they hold no text)."""
    if not lines:
        return []
    if kind == "table":
        text = "\n".join(lines)
    else:
        text = join_lines(lines)
        if kind == "list_item":
            text = BULLET_RE.sub("", text, count=1)
    return [Block(text=text, kind=kind, page=page, level=level, ocr=ocr)] if text else []  # type: ignore[arg-type]


def _in_column(line: _Line, row_xs: list[float]) -> bool:
    return line.x is not None and any(abs(line.x - x) < 3 for x in row_xs[1:])


def _is_gap(prev: _Line | None, line: _Line, leading: dict[float, float]) -> bool:
    """Extra vertical space between two lines: a paragraph break."""
    if prev is None or prev.y is None or line.y is None:
        return False
    distance = prev.y - line.y
    if distance <= 0:  # new column or out-of-order text
        return True
    usual = leading.get(prev.size) or (prev.size * 1.2 if prev.size else 0)
    return bool(usual) and distance > usual * 1.3


def _ends_paragraph(prev: _Line, page_width: int) -> bool:
    return prev.text.endswith((".", "!", "?", ":", "»")) and len(prev.text) < page_width * 0.8


def _info(reader: PdfReader) -> dict[str, Any]:
    info: dict[str, Any] = {"title": None, "author": None, "subject": None, "creation_date": None}
    try:
        meta = reader.metadata
    except Exception:  # noqa: BLE001
        return info
    if not meta:
        return info
    for key, attr in (("title", "title"), ("author", "author"), ("subject", "subject")):
        try:
            value = getattr(meta, attr)
        except Exception:  # noqa: BLE001
            value = None
        if isinstance(value, str) and normalize_space(value) and not _PLACEHOLDER.match(value.strip()):
            info[key] = normalize_space(value)
    try:
        created = meta.creation_date
        info["creation_date"] = created.isoformat() if created else None
    except Exception:  # noqa: BLE001 - unparseable date strings
        raw = meta.get("/CreationDate")
        info["creation_date"] = None
        if raw:
            info["creation_date_raw"] = str(raw)
    return info


_PLACEHOLDER = re.compile(r"^\(?(?:anonymous|unspecified|unknown|untitled|none|null)\)?$", re.IGNORECASE)
_NOT_A_TITLE = re.compile(
    r"^(?:untitled|sans titre|document\d*|microsoft word|diapositive \d+)$|\.(?:docx?|odt|pdf|indd|pptx?|xlsx?|rtf)$"
    # what scanners write: « Numérisation 2023-04-12 10:15 », « Scan 0001 », « Document numérisé »
    r"|^(?:scan(?:ned)?|numérisation|numerisation|document numérisé|img|image|dsc|capture|copie)(?:[\s_\-:./]*\d*)*$",
    re.IGNORECASE,
)


_LETTERHEAD = re.compile(
    r"^(?:r[ée]publique fran[çc]aise|libert[ée],? [ée]galit[ée],? fraternit[ée]|h[ôo]tel de ville|"
    r"cabinet du maire|service (?:de la )?communication|(?:mairie|ville|commune|pr[ée]fecture|sous-pr[ée]fecture|"
    r"d[ée]partement|r[ée]gion|communaut[ée] d'agglom[ée]ration|agglom[ée]ration) "
    r"(?:de |d'|du |des )?[\w' -]{2,40})$",
    re.IGNORECASE,
)


_DATELINE = re.compile(r"^[\w' -]{2,40}, le \d")


def _meaningful_title(title: str | None, stem: str | None = None) -> str | None:
    """The PDF's Title metadata, unless it is a placeholder or a file name (« SCAN_0001 », the file's own
    name, « Microsoft Word - note.docx »): scanners and word processors fill it with those."""
    if not title:
        return None
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title).strip()
    if _NOT_A_TITLE.search(title) or word_count(title) < 2:
        return None
    if re.fullmatch(r"[\w.\-]+", title) and re.search(r"[_.\d]", title):  # SCAN_0001, note-v2.1
        return None
    if stem and _plain(title) == _plain(stem):
        return None
    return title


def _plain(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def _first_heading(blocks: list[Block]) -> str | None:
    """The first page's top heading; else its first heading-like line (short, no final punctuation, not a
    letterhead such as « Mairie de Dreux »), as in a scanned page read by OCR; else the first top heading."""
    first_page = min((b.page for b in blocks if b.page is not None), default=None)
    page = [b for b in blocks if b.page == first_page] if first_page is not None else blocks
    headings = [b for b in page if b.kind == "heading" and not _LETTERHEAD.match(b.text.strip())]
    if headings:
        top = min(b.level or 9 for b in headings[:10])
        return next(b.text for b in headings[:10] if (b.level or 9) == top)
    for block in page[:10]:
        text = block.text.strip()
        if 2 <= word_count(text) <= 16 and not text.endswith((".", ";", ",", ":")) and not _LETTERHEAD.match(text) \
                and not date_lines([text]) and not boilerplate.is_page_number(text) and not _DATELINE.match(text):
            return text
    headings = [b for b in blocks if b.kind == "heading"]
    if not headings:
        return None
    top = min(b.level or 9 for b in headings[:10])
    for block in headings[:10]:
        if (block.level or 9) == top:
            return block.text
    return headings[0].text

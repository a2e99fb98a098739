"""OCR of scanned PDF pages: render with pypdfium2, recognise with Tesseract (French).

Signed conventions and avenants are often published as scans: pages that
carry one picture and no text layer. Only those pages are OCR'd (a page
that has text keeps its text), one at a time, against the file's deadline,
so a long scan gives its first pages rather than nothing. Tesseract already
groups words into paragraphs; we keep that grouping and the page number.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ingest.readers._common import (
    BULLET_RE,
    heading_level,
    is_upper_heading,
    join_lines,
    normalize_space,
    word_count,
)

log = logging.getLogger(__name__)

UNAVAILABLE = "OCR indisponible : installez tesseract-ocr-fra"
_MIN_CONFIDENCE = 0  # Tesseract marks non-words (layout boxes) with -1
_MAX_IMAGE_DEPTH = 3  # form XObjects nested inside form XObjects
_SENTENCE_END = (".", "!", "?", ":", ";", "»")
MAX_PIXELS = 40_000_000  # one rendered page (A3 at 300 dpi is 17 Mpx): a giant page is rendered coarser

Progress = Callable[[int, int, int], None]  # (pages done, pages to OCR, page number just done)


@dataclass(slots=True)
class OcrParagraph:
    """One paragraph as Tesseract segmented it, with its place on the page (PDF points, origin bottom left)."""

    text: str
    kind: str  # "heading", "paragraph" or "list_item"
    level: int
    top: float  # y of the paragraph's top edge
    bottom: float
    height: float  # median line height, in points


@dataclass(slots=True)
class OcrResult:
    pages: dict[int, list[OcrParagraph]] = field(default_factory=dict)  # 1-based page number -> paragraphs
    heights: dict[int, float] = field(default_factory=dict)  # page number -> page height in points
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class OcrConfig:
    enabled: bool = True
    lang: str = "fra"
    dpi: int = 300


def config() -> OcrConfig:
    """The OCR settings (ACV_OCR, ACV_OCR_LANG, ACV_OCR_DPI), or the defaults if settings are unavailable."""
    try:
        from acv.settings import get_settings

        s = get_settings()
        return OcrConfig(enabled=bool(s.ocr), lang=str(s.ocr_lang), dpi=int(s.ocr_dpi))
    except Exception:  # noqa: BLE001 - settings unavailable: the documented defaults
        return OcrConfig()


@lru_cache(maxsize=8)
def unavailable_reason(lang: str = "fra") -> str | None:
    """None when Tesseract and the language data are installed, else a French reason."""
    try:
        import pytesseract
    except ImportError:
        return UNAVAILABLE
    try:
        pytesseract.get_tesseract_version()
        langs = set(pytesseract.get_languages(config=""))
    except Exception:  # noqa: BLE001 - binary missing or broken
        return UNAVAILABLE
    missing = [code for code in lang.split("+") if code not in langs]
    return f"OCR indisponible : installez tesseract-ocr-{missing[0]}" if missing else None


def has_image(page: Any) -> bool:
    """Whether the page draws a raster image (a scan), looking through form XObjects."""
    try:
        resources = page.get("/Resources")
        return _resources_have_image(resources.get_object() if resources is not None else None, 0)
    except Exception:  # noqa: BLE001 - a broken resource dictionary is simply not a scan
        return False


def _resources_have_image(resources: Any, depth: int) -> bool:
    if resources is None or depth > _MAX_IMAGE_DEPTH:
        return False
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return False
    for ref in xobjects.get_object().values():
        obj = ref.get_object()
        subtype = obj.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form":
            inner = obj.get("/Resources")
            if _resources_have_image(inner.get_object() if inner is not None else None, depth + 1):
                return True
    return False


def ocr_pages(data: bytes, pages: list[int], *, deadline: float, cfg: OcrConfig | None = None,
              progress: Progress | None = None) -> OcrResult:
    """OCR the given 1-based pages of a PDF held in memory, stopping at `deadline` (time.monotonic())."""
    import pypdfium2 as pdfium
    import pytesseract

    cfg = cfg or config()
    result = OcrResult()
    started = time.monotonic()
    try:
        document = pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001 - pypdf could open it, pdfium could not
        log.warning("OCR: pdfium cannot open the file: %s", exc)
        result.warnings.append("OCR impossible : le PDF n'a pas pu être rendu en image")
        return result
    try:
        for done, number in enumerate(pages):
            remaining = deadline - time.monotonic()
            if remaining <= 1.0:
                result.warnings.append(f"OCR arrêté avant la page {number} (délai dépassé)")
                break
            page_started = time.monotonic()
            try:
                image = _render(document, number - 1, cfg.dpi)
                table = pytesseract.image_to_data(image, lang=cfg.lang, config="--psm 3",
                                                  output_type=pytesseract.Output.DICT, timeout=remaining)
            except pytesseract.TesseractError as exc:  # Tesseract ran and failed on this page
                log.warning("OCR of page %d failed: %s", number, exc)
                result.warnings.append(f"OCR de la page {number} impossible")
                continue
            except RuntimeError as exc:  # pytesseract's timeout (TesseractError is caught above)
                log.warning("OCR of page %d stopped: %s", number, exc)
                result.warnings.append(f"OCR de la page {number} interrompu (délai dépassé)")
                break
            except Exception as exc:  # noqa: BLE001 - one page that cannot be rendered or read
                log.warning("OCR of page %d failed: %s", number, exc)
                result.warnings.append(f"OCR de la page {number} impossible")
                continue
            scale = 72.0 / image.info["dpi_used"]
            height = image.height * scale
            result.pages[number] = paragraphs_from_data(table, scale=scale, page_height=height)
            result.heights[number] = height
            log.info("OCR page %d (%d/%d) in %.1f s", number, done + 1, len(pages), time.monotonic() - page_started)
            if progress is not None:
                progress(done + 1, len(pages), number)
    finally:
        document.close()
    result.seconds = time.monotonic() - started
    return result


def _render(document: Any, index: int, dpi: int) -> Any:
    """The page as a greyscale picture at `dpi`, or less for a page so large it would pass MAX_PIXELS."""
    page = document[index]
    try:
        width, height = page.get_size()  # points
        area = max(width * height, 1.0) / (72.0 * 72.0)  # square inches
        dpi = min(float(dpi), (MAX_PIXELS / area) ** 0.5)
        image = page.render(scale=dpi / 72.0, grayscale=True).to_pil()
        image.info["dpi_used"] = dpi
        return image
    finally:
        page.close()


def paragraphs_from_data(table: dict[str, list[Any]], *, scale: float, page_height: float) -> list[OcrParagraph]:
    """Tesseract's word table (image_to_data) -> paragraphs in reading order, with kinds."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    order: list[tuple[int, int, int]] = []
    for i, word in enumerate(table["text"]):
        if not str(word).strip() or float(table["conf"][i]) < _MIN_CONFIDENCE:
            continue
        key = (int(table["block_num"][i]), int(table["par_num"][i]), int(table["line_num"][i]))
        if key not in lines:
            lines[key] = []
            order.append(key)
        lines[key].append(i)
    rows: list[tuple[tuple[int, int], str, int, int, float]] = []  # (paragraph key, text, top, bottom, height)
    for key in order:
        idx = lines[key]
        text = normalize_space(" ".join(str(table["text"][i]) for i in idx))
        top = min(int(table["top"][i]) for i in idx)
        bottom = max(int(table["top"][i]) + int(table["height"][i]) for i in idx)
        rows.append((key[:2], text, top, bottom, statistics.median(int(table["height"][i]) for i in idx)))
    out: list[OcrParagraph] = []
    for group in _split_paragraphs(rows):
        text = join_lines([row[1] for row in group])
        if not text:
            continue
        top = min(row[2] for row in group)
        bottom = max(row[3] for row in group)
        height = statistics.median(row[4] for row in group) * scale
        out.append(OcrParagraph(text=text, kind="paragraph", level=0, top=page_height - top * scale,
                                bottom=page_height - bottom * scale, height=round(height, 1)))
    _classify(out)
    return out


def _split_paragraphs(rows: list[tuple[tuple[int, int], str, int, int, float]]) -> list[list[Any]]:
    """Tesseract's paragraphs, split again where a line is much taller or a gap much wider than usual.

    Tesseract sometimes runs a heading into the paragraph under it; the type size and the
    space before the next paragraph still tell them apart.
    """
    gaps = [b[2] - a[3] for a, b in zip(rows, rows[1:]) if a[0] == b[0] and b[2] > a[3]]
    usual = statistics.median(gaps) if gaps else None
    groups: list[list[Any]] = []
    for row in rows:
        prev = groups[-1][-1] if groups else None
        if prev is None:
            new = True
        else:
            gap = row[2] - prev[3]
            taller = max(row[4], prev[4]) / max(min(row[4], prev[4]), 1.0)
            wide = usual is not None and gap > usual * 1.8 + 2 and gap > 0.4 * prev[4]
            # another Tesseract paragraph, unless the sentence visibly runs on at the usual spacing
            runs_on = usual is not None and gap <= usual * 1.3 + 2 and not prev[1].endswith(_SENTENCE_END)
            new = taller > 1.2 or wide or (prev[0] != row[0] and not runs_on)
        if new:
            groups.append([row])
        else:
            groups[-1].append(row)
    return groups


def _classify(paragraphs: list[OcrParagraph]) -> None:
    """Headings from numbering, capitals or taller type than the page's running text; bullets as list items."""
    heights = [p.height for p in paragraphs if word_count(p.text) >= 12]
    body = statistics.median(heights) if heights else 0.0
    for par in paragraphs:
        text = par.text
        if BULLET_RE.match(text):
            par.kind, par.text = "list_item", BULLET_RE.sub("", text, count=1)
            continue
        level = heading_level(text)
        short = word_count(text) <= 20 and not text.endswith((".", ";", ",", ":"))
        if level is not None:
            par.kind, par.level = "heading", level
        elif short and is_upper_heading(text):
            par.kind, par.level = "heading", 1
        elif short and body and par.height >= body * 1.3:
            par.kind, par.level = "heading", 1 if par.height >= body * 1.6 else 2

"""OCR of scanned PDFs: pages per second and word accuracy, against the text layer of the same pages.

The pages are the French text of tests/_scans.py (one two-page document per commune) drawn at a given resolution and wrapped in a PDF with
no text layer (a clean scan). Each configuration reads the same file through ingest.readers.pdf.read:

    scan@300   the scan at 300 dpi, OCR at 300 dpi (the default, ACV_OCR_DPI=300)
    scan@200   the same 300 dpi scan rendered for OCR at 200 dpi (ACV_OCR_DPI=200)
    scan@300 1 thread   as scan@300 with OMP_THREAD_LIMIT=1 for Tesseract
    worse scan@200      a 200 dpi scan turned by 0.7° with 1 % of its pixels flipped, OCR at 200 dpi
    text-layer the same pages typeset with a text layer (no OCR): the peer of the ratios

Word accuracy = 1 − word error rate (word-level edit distance / reference words, tests/_scans.py).
Tesseract threads: OMP_THREAD_LIMIT is passed through to it (unset = all cores).

    .venv/bin/python bench/ocr_speed.py                 # 3 two-page documents (Cahors, Agen, Sens): 6 pages
    .venv/bin/python bench/ocr_speed.py --copies 1
"""

from __future__ import annotations

import argparse
import io
import os
import time
from pathlib import Path
from typing import Any

from _common import header, load_average, table, write_result


def _text_layer_pdf(pages: list[list[tuple[str, str]]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story: list[Any] = []
    for page in pages:
        for kind, text in page:
            story.append(Paragraph(text, styles["Heading2" if kind == "h" else "BodyText"]))
        story.append(PageBreak())
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue()


def _run(name: str, documents: list[tuple[bytes, list[list[tuple[str, str]]]]], dpi: int,
         threads: str | None = None) -> dict[str, Any]:
    from acv.settings import get_settings
    from ingest.readers import pdf
    from tests import _scans

    os.environ["ACV_OCR_DPI"] = str(dpi)
    before = os.environ.get("OMP_THREAD_LIMIT")
    if threads is not None:
        os.environ["OMP_THREAD_LIMIT"] = threads  # read by the tesseract process pytesseract starts
    get_settings.cache_clear()
    load = load_average()
    seconds = 0.0
    ocr_pages = 0
    reference: list[str] = []
    read: list[str] = []
    accuracies: list[float] = []
    for i, (data, pages) in enumerate(documents):
        started = time.perf_counter()
        doc = pdf.read(Path(f"{name}-{i}.pdf"), data)
        seconds += time.perf_counter() - started
        ocr_pages += len(doc.meta.get("ocr", {}).get("pages", []))
        for number, page in enumerate(pages, start=1):
            got = "\n".join(b.text for b in doc.blocks if b.page == number)
            accuracies.append(_scans.word_accuracy(_scans.page_text(page), got))
            reference.append(_scans.page_text(page))
            read.append(got)
    if threads is not None:
        if before is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = before
    return {
        "config": name,
        "pages": len(reference),
        "ocr_pages": ocr_pages,
        "seconds": round(seconds, 2),
        "pages_per_s": f"{len(reference) / seconds:.3f}",
        "word_accuracy": f"{_scans.word_accuracy(chr(10).join(reference), chr(10).join(read)):.4f}",
        "worst_page_accuracy": f"{min(accuracies):.4f}",
        "threads": threads or os.environ.get("OMP_THREAD_LIMIT", "all"),
        "load_before": load,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=3, help="two-page documents, one per commune (default 3, at most 6)")
    args = parser.parse_args()

    from tests import _scans

    os.environ.setdefault("ACV_PARSE_TIMEOUT_S", "600")  # measure the OCR, not the per-file deadline
    cities = ["Cahors", "Agen", "Sens", "Vienne", "Quimper", "Épinal"][: args.copies]
    texts = [_scans.for_city(_scans.PAGES, city) for city in cities]
    scans = [(_scans.scanned_pdf(pages, dpi=300), pages) for pages in texts]
    worse = [(_scans.scanned_pdf(pages, dpi=200, degraded=True), pages) for pages in texts]
    born_digital = [(_text_layer_pdf(pages), pages) for pages in texts]
    header("OCR speed and accuracy")
    rows = [
        _run("text-layer", born_digital, 300),
        _run("scan@300", scans, 300),
        _run("scan@200", scans, 200),
        _run("scan@300 1 thread", scans, 300, threads="1"),
        _run("worse scan@200", worse, 200),
    ]
    peer = rows[0]["seconds"] / rows[0]["pages"]
    for row in rows:
        row["x_text_layer_time"] = f"{row['seconds'] / row['pages'] / peer:.0f}"
    print(table(rows, ["config", "pages", "ocr_pages", "seconds", "pages_per_s", "word_accuracy", "worst_page_accuracy",
                 "x_text_layer_time", "threads", "load_before"]))
    write_result("ocr_speed", [{k: r[k] for k in ("config", "pages", "seconds", "pages_per_s", "word_accuracy",
                                                 "x_text_layer_time", "threads", "load_before")} for r in rows])


if __name__ == "__main__":
    main()

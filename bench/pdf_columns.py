"""Word positions for the column reader: pypdf's visitor against pdfplumber, and what column ordering costs.

    pypdf visitor   page.extract_text(visitor_text=...) on every page (what ingest.readers.pdf uses)
    pdfplumber      page.extract_words(extra_attrs=["fontname", "size"]) on every page (exact word boxes)
    reader          ingest.readers.pdf.read on the same files, with and without the column ordering

All on the bundled conventions (corpus/documents/conventions/*.pdf), in this one process, each timed
`--repeat` times (best run kept). pdfplumber is only needed here: `pip install pdfplumber`.

    python bench/pdf_columns.py          # records bench/results/pdf_columns.json
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from _common import ROOT, header, load_average, table, write_result


def _best(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    best = float("inf")
    pages = 0
    for _ in range(repeat):
        started = time.perf_counter()
        pages = fn()
        best = min(best, time.perf_counter() - started)
    return best, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from pypdf import PdfReader

    from ingest.readers import columns, pdf

    files = sorted((ROOT / "corpus" / "documents" / "conventions").glob("*.pdf"))

    def pypdf_visitor() -> int:
        n = 0
        for path in files:
            for page in PdfReader(path).pages:
                page.extract_text(visitor_text=lambda *a: None)
                n += 1
        return n

    def plumber() -> int:
        import pdfplumber

        n = 0
        for path in files:
            with pdfplumber.open(path) as doc:
                for page in doc.pages:
                    page.extract_words(extra_attrs=["fontname", "size"])
                    n += 1
        return n

    def reader() -> int:
        n = 0
        for path in files:
            n += pdf.read(Path(path), path.read_bytes()).page_count or 0
        return n

    header("PDF word positions and column ordering")
    rows = []
    for name, fn in (("pypdf visitor", pypdf_visitor), ("pdfplumber words", plumber), ("reader with columns", reader)):
        load = load_average()
        seconds, pages = _best(fn, args.repeat)
        rows.append({"method": name, "pages": pages, "seconds": round(seconds, 2),
                     "ms_per_page": round(1000 * seconds / pages, 1), "load_before": load})
    original = columns.reading_order
    columns.reading_order = lambda boxes, height=None: None  # type: ignore[assignment]
    try:
        load = load_average()
        seconds, pages = _best(reader, args.repeat)
        rows.append({"method": "reader, stream order", "pages": pages, "seconds": round(seconds, 2),
                     "ms_per_page": round(1000 * seconds / pages, 1), "load_before": load})
    finally:
        columns.reading_order = original
    peer = rows[0]["ms_per_page"]
    for row in rows:
        row["x_pypdf_visitor"] = f"{row['ms_per_page'] / peer:.1f}"
    print(table(rows, ["method", "pages", "seconds", "ms_per_page", "x_pypdf_visitor", "load_before"]))
    write_result("pdf_columns", rows)


if __name__ == "__main__":
    main()

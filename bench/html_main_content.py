"""Main content of web pages: the hand-written extraction of ingest/readers/html.py against trafilatura.

Two labelled sets:
    corpus   the 31 pages of corpus/documents/**/*.html, labelled from their sources
             (corpus/_sources/pages/**.yaml: title, date, facts box, lead and body)
    web      the 22 pages of tests/data/files/web/ (prefecture, city hall, regional press and ANCT-style
             resource pages, three markups each), labelled in tests/data/files/web/labels.json

Main text: precision and recall of the words (lower-cased \\w+ tokens, counted with multiplicity) of what a
method keeps against the labelled main text (title, lead, paragraphs, lists, tables), summed over the pages;
F1 from those sums; "pages F1 < 0.8" counts pages where a method clearly fails.
Title: exact match after whitespace normalisation. Date: exact match of the publication date (ISO day).

Methods, text:
    reader               ingest.readers.html.read, the hand-written extraction (run it at an older commit
                         for the figures before a change)
    trafilatura          trafilatura.bare_extraction (tables kept, comments dropped), title from its metadata
    trafilatura+fallback trafilatura, and the reader where trafilatura keeps under half as many words
    trafilatura precision  trafilatura with favor_precision=True
Methods, date:
    reader               ingest.extract.dates.document_date on the reader's output
    htmldate             htmldate.find_date(original_date=True, extensive_search=False)
    trafilatura          the date of trafilatura's metadata (htmldate inside)

    .venv/bin/python bench/html_main_content.py
    .venv/bin/python bench/html_main_content.py --details    # one line per page and method
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import ROOT, header, load_average, table

WEB = ROOT / "tests" / "data" / "files" / "web"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower().replace("’", "'")))


def corpus_pages() -> list[dict[str, Any]]:
    """Corpus pages with labels from their YAML sources."""
    import yaml
    from bs4 import BeautifulSoup
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    sources = {}
    for path in sorted((ROOT / "corpus" / "_sources" / "pages").glob("*/*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and str(doc.get("out", "")).endswith(".html"):
            sources[doc["out"]] = doc
    pages = []
    for path in sorted((ROOT / "corpus" / "documents").glob("**/*.html")):
        doc = sources[path.name]
        parts = [doc["title"]]
        parts += [f"{k} | {v}" for k, v in doc.get("facts") or []]
        for key in ("chapo", "body"):
            if doc.get(key):
                parts.append(BeautifulSoup(md.render(str(doc[key])), "lxml").get_text(" "))
        pages.append({"set": "corpus", "path": path, "title": doc["title"], "date": str(doc["date"]),
                      "main": "\n".join(parts)})
    return pages


def web_pages() -> list[dict[str, Any]]:
    labels = json.loads((WEB / "labels.json").read_text(encoding="utf-8"))
    return [{"set": "web", "path": WEB / name, "title": label["title"], "date": label["date"],
             "main": "\n".join(label["main"])} for name, label in sorted(labels.items())]


# --- methods ---------------------------------------------------------------------------------------


def reader(path: Path, data: bytes) -> dict[str, Any]:
    from ingest.extract.dates import document_date
    from ingest.readers import html

    doc = html.read(path, data)
    return {"text": doc.text, "title": doc.title, "date": document_date(doc.text, doc.meta)}


def trafilatura_extract(path: Path, data: bytes, precision: bool = False) -> dict[str, Any]:
    import trafilatura

    result = trafilatura.bare_extraction(data.decode("utf-8", "replace"), include_tables=True,
                                         include_comments=False, with_metadata=True, favor_precision=precision)
    if result is None:
        return {"text": "", "title": None, "date": None}
    doc = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    title = doc.get("title")
    text = doc.get("text") or ""
    return {"text": f"{title}\n{text}" if title else text, "title": title, "date": doc.get("date")}


def trafilatura_fallback(path: Path, data: bytes) -> dict[str, Any]:
    first = trafilatura_extract(path, data)
    hand = reader(path, data)
    if sum(words(first["text"]).values()) < 0.5 * sum(words(hand["text"]).values()):
        return {**hand, "date": first["date"] or hand["date"]}
    return first


def htmldate_only(path: Path, data: bytes) -> dict[str, Any]:
    from htmldate import find_date

    return {"text": None, "title": None,
            "date": find_date(data.decode("utf-8", "replace"), original_date=True, outputformat="%Y-%m-%d",
                              extensive_search=False)}


TEXT_METHODS: dict[str, Callable[[Path, bytes], dict[str, Any]]] = {
    "reader": reader,
    "trafilatura": trafilatura_extract,
    "trafilatura+fallback": trafilatura_fallback,
    "trafilatura precision": lambda path, data: trafilatura_extract(path, data, precision=True),
}
DATE_METHODS: dict[str, Callable[[Path, bytes], dict[str, Any]]] = {
    "reader": reader,
    "htmldate": htmldate_only,
    "trafilatura": trafilatura_extract,
}


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("’", "'")).strip().lower()


def evaluate(pages: list[dict[str, Any]], details: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    text_rows = []
    for name, method in TEXT_METHODS.items():
        load = load_average()
        overlap = predicted = gold = 0
        failures = titles = 0
        started = time.perf_counter()
        for page in pages:
            out = method(page["path"], page["path"].read_bytes())
            got, want = words(out["text"] or ""), words(page["main"])
            common = sum((got & want).values())
            overlap += common
            predicted += sum(got.values())
            gold += sum(want.values())
            p = common / max(1, sum(got.values()))
            r = common / max(1, sum(want.values()))
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            failures += f1 < 0.8
            titles += _norm(out["title"]) == _norm(page["title"])
            if details:
                print(f"{name:22} {page['path'].name:60} P={p:.3f} R={r:.3f} title={_norm(out['title']) == _norm(page['title'])}")
        seconds = time.perf_counter() - started
        precision, recall = overlap / max(1, predicted), overlap / max(1, gold)
        text_rows.append({"method": name, "pages": len(pages), "precision": f"{precision:.3f}",
                          "recall": f"{recall:.3f}", "F1": f"{2 * precision * recall / (precision + recall):.3f}",
                          "pages_F1_below_0.8": failures, "title_exact": f"{titles}/{len(pages)}",
                          "ms_per_page": f"{1000 * seconds / len(pages):.1f}", "load_before": load})
    date_rows = []
    for name, method in DATE_METHODS.items():
        right = missing = 0
        for page in pages:
            found = method(page["path"], page["path"].read_bytes())["date"]
            right += found == page["date"]
            missing += found is None
            if details and found != page["date"]:
                print(f"date {name:20} {page['path'].name:60} got={found} want={page['date']}")
        date_rows.append({"method": name, "pages": len(pages), "date_exact": f"{right}/{len(pages)}",
                          "accuracy": f"{right / len(pages):.3f}", "no_date": missing})
    return text_rows, date_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    header("Main content of web pages")
    recorded = []
    for name, pages in (("corpus", corpus_pages()), ("web (new site styles)", web_pages())):
        text_rows, date_rows = evaluate(pages, args.details)
        recorded += [{"set": name, **r} for r in text_rows]
        print(f"\n## {name}: main text and title\n")
        print(table(text_rows))
        print(f"\n## {name}: publication date\n")
        print(table(date_rows))
    write_result("html_main_content", recorded)


if __name__ == "__main__":
    main()

"""The one export writer for search results: CSV for spreadsheets, JSON for programs.

CSV: semicolon-separated (the list separator of French spreadsheets), UTF-8 with a BOM so that Excel
opens it without an import dialog, one column set, lists joined with ", ", and cells that a
spreadsheet would run as a formula neutralised (CSV injection). JSON: the search response itself.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from service.types import to_plain

CSV_COLUMNS = ("rank", "score", "title", "doc_type", "date", "cities", "axes", "themes", "page", "section",
               "snippet", "doc_id", "chunk_id", "source")
CSV_DELIMITER = ";"
BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A CSV cell: None is empty, lists are joined, text that could run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v["name"]) if isinstance(v, Mapping) else str(v) for v in value)
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def to_csv(results: Iterable[Mapping[str, Any]]) -> str:
    """The CSV text (without BOM) of search results (`SearchHit`s or their JSON)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in results:
        writer.writerow([cell(r.get(col)) for col in CSV_COLUMNS])
    return out.getvalue()


def csv_bytes(results: Iterable[Mapping[str, Any]]) -> bytes:
    """The CSV file as sent to users: UTF-8 with a BOM."""
    return (BOM + to_csv(results)).encode("utf-8")


def json_bytes(payload: Any) -> bytes:
    """A search response (typed or already JSON-shaped) as indented UTF-8 JSON."""
    return json.dumps(to_plain(payload), ensure_ascii=False, indent=2).encode("utf-8")

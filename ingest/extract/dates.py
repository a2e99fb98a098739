"""Dates of a document: front matter, HTML meta and <time>, visible "Publié le" lines, signature lines.

Regexes cover the usual French forms ("24 septembre 2018", "1er mars 2021", "24/09/2018",
"2018-09-24"); a signature or publication date wins over any other date in the text, and a
bare year (a copyright footer) is never taken as a date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ingest.extract.text import fold

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"

# On folded text (accents stripped, lower case).
_TEXTUAL = rf"(?P<d>[0-3]?\d)(?:er)?\s*(?P<m>{_MONTH_ALT})\.?\s+(?P<y>(?:19|20)\d\d)(?!\d)"
_NUMERIC = r"(?P<d2>[0-3]?\d)[/.\-](?P<m2>[01]?\d)[/.\-](?P<y2>(?:19|20)\d\d)(?!\d)"
_ISO = r"(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)(?!\d)"
DATE_RE = re.compile(rf"(?<![\d/.\-])(?:{_TEXTUAL}|{_NUMERIC}|{_ISO})")

_SIGNED = re.compile(
    r"(?:sign[ee]e?s?|conclue?s?|approuvee?s?|paraphee?s?)\s+(?:a\s+[^,\n]{2,60},?\s+)?le\s+(?:" + _DAYS + r"\s+)?$"
)
_FAIT_A = re.compile(r"\bfait\s+(?:a|en)\s+[^\n]{1,80}?,?\s+le\s+(?:" + _DAYS + r"\s+)?$")
_PUBLISHED = re.compile(
    r"(?:publie|publiee|publication|date de publication|mis en ligne|communique(?: de presse)?\s*(?:du|[-|])|"
    r"paru)\s*(?:le|:)?\s*(?:" + _DAYS + r"\s+)?:?\s*$"
)
_UPDATED = re.compile(r"(?:mise? a jour|mis a jour|modifie|actualise)\s*(?:le|:)?\s*(?:" + _DAYS + r"\s+)?:?\s*$")
HEAD_CHARS = 800  # where a publication line or a dateline is expected
_PLACE_DATELINE = re.compile(r"(?:^|\n)\s*[A-Z][\w\-' ]{1,40},\s+le\s+(?:" + _DAYS + r"\s+)?$", re.IGNORECASE)


def to_iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> str | None:
    if m.group("d"):
        return to_iso(int(m.group("y")), MONTHS[m.group("m")], int(m.group("d")))
    if m.group("d2"):
        return to_iso(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
    return to_iso(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))


def parse_date(value: Any) -> str | None:
    """An ISO date from a front-matter value, an ISO timestamp, a PDF date (D:20180928…) or French text."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value).strip()
    pdf = re.match(r"^D:((?:19|20)\d\d)(\d\d)(\d\d)", s)
    if pdf:
        return to_iso(int(pdf.group(1)), int(pdf.group(2)), int(pdf.group(3)))
    m = DATE_RE.search(fold(s))
    return _from_match(m) if m else None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every full date in a text: (start, end, ISO) over the folded text."""
    f = fold(text)
    out = []
    for m in DATE_RE.finditer(f):
        iso = _from_match(m)
        if iso:
            out.append((m.start(), m.end(), iso))
    return out


def _labelled(f: str, dates: list[tuple[int, int, str]], label: re.Pattern[str], window: int = 90) -> str | None:
    for s, _e, iso in dates:
        if label.search(f[max(0, s - window) : s]):
            return iso
    return None


def document_date(text: str, meta: dict[str, Any], doc_type: str | None = None) -> str | None:
    """The document's date, most reliable source first."""
    fm = meta.get("front_matter") or {}
    for key in ("date", "published", "date_publication", "signed", "date_signature"):
        iso = parse_date(fm.get(key)) if isinstance(fm, dict) else None
        if iso:
            return iso
    html = meta.get("html") if isinstance(meta.get("html"), dict) else {}
    iso = parse_date(html.get("article:published_time"))
    if iso:
        return iso
    lines = [
        str(x)
        for key in ("html", "text", "markdown", "pdf")
        if isinstance(meta.get(key), dict)
        for x in (meta[key].get("dates_text") or [])
    ]
    for pattern in (_PUBLISHED, _UPDATED):
        for line in lines:
            fl = fold(line)
            for s, _e, d in find_dates(line):
                if pattern.search(fl[:s]):
                    return d
    for value in html.get("time") or []:
        iso = parse_date(value)
        if iso:
            return iso
    for line in lines:
        iso = parse_date(line)
        if iso:
            return iso
    iso = parse_date(html.get("date_published"))  # htmldate's reading of the page
    if iso:
        return iso

    f = fold(text)
    dates = find_dates(text)
    if dates:
        head = [d for d in dates if d[0] < HEAD_CHARS]
        signed = (_FAIT_A, _SIGNED)
        steps: list[tuple[list[tuple[int, int, str]], tuple[re.Pattern[str], ...]]] = [
            (head, (_PUBLISHED, _UPDATED)),
        ]
        if doc_type == "convention":
            steps.append((dates, signed))
        for found, labels in steps:
            for label in labels:
                iso = _labelled(f, found, label)
                if iso:
                    return iso
        for s, e, iso in head:
            if _PLACE_DATELINE.search(f[max(0, s - 60) : s]) or _line_is_date(f, s, e):
                return iso
        for label in (*signed, _PUBLISHED, _UPDATED):
            iso = _labelled(f, dates, label)
            if iso:
                return iso
    pdf = meta.get("pdf") if isinstance(meta.get("pdf"), dict) else {}
    iso = parse_date(pdf.get("creation_date"))
    if iso:
        return iso
    if dates:
        return dates[0][2]
    return None


def _line_is_date(f: str, s: int, e: int) -> bool:
    """The date stands alone on its line (a dateline under a title)."""
    line_start = f.rfind("\n", 0, s) + 1
    line_end = f.find("\n", e)
    line = f[line_start : line_end if line_end >= 0 else len(f)]
    return len(line.strip()) <= (e - s) + 20

"""Sums of money in French text, normalised to euros: "1,2 M€", "3 400 000 €", "5 milliards d'euros"."""

from __future__ import annotations

import math
import re

from acv.records import Amount

_SEP = r"[ \u00a0\u202f\u2009.]"
_NUMBER = rf"(?P<num>\d{{1,3}}(?:{_SEP}\d{{3}})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
_MULT = r"(?P<mult>milliards?|mds?|mrds?|md|millions?|mios?|m|k|milliers?)"
_EURO = r"(?P<cur>€|euros?|eur\b)"
_TAX = r"(?:\s?(?:ht|ttc|h\.t\.|t\.t\.c\.))?"
_GAP = r"[ \u00a0\u202f\u2009]?"
AMOUNT_RE = re.compile(
    rf"(?=\d)(?<![\w,.]){_NUMBER}{_GAP}(?:{_MULT}\.?{_GAP}(?:d['’]\s?|de\s)?)?{_EURO}{_TAX}(?![\w])",
    re.IGNORECASE,
)
_FACTORS = {
    "milliard": 1e9,
    "md": 1e9,
    "mds": 1e9,
    "mrd": 1e9,
    "mrds": 1e9,
    "million": 1e6,
    "m": 1e6,
    "mio": 1e6,
    "mios": 1e6,
    "k": 1e3,
    "millier": 1e3,
}


def _value(num: str, mult: str | None) -> float:
    num = num.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", num):
        num = num.replace(" ", "").replace(".", "")
    value = float(num.replace(",", "."))
    if mult:
        m = mult.lower().rstrip(".")
        factor = _FACTORS.get(m) or _FACTORS.get(m.rstrip("s")) or 1.0
        value *= factor
    return value


_CURRENCY = re.compile(r"€|[Ee]uros?\b|EUR\b")
_WINDOW = 70  # how far before a currency sign a number and its multiplier may start


def find_amounts(text: str) -> list[Amount]:
    """Every sum of money in euros, in order of appearance.

    Only the text just before each currency sign is scanned, which keeps long chunks cheap.
    """
    out: list[Amount] = []
    if "€" not in text and "eur" not in text and "EUR" not in text and "Eur" not in text:
        return out
    seen_end = -1
    for cur in _CURRENCY.finditer(text):
        start = max(seen_end, cur.start() - _WINDOW, 0)
        # Never start inside a number ("3 400 000 €" cut to "00 000 €").
        while (
            start > 0 and (text[start - 1].isdigit() or text[start - 1] in " \u00a0\u202f\u2009.,") and start > seen_end
        ):
            start -= 1
        for m in AMOUNT_RE.finditer(text, start, min(len(text), cur.end() + 8)):
            if m.end() <= seen_end:
                continue
            value = _value(m.group("num"), m.group("mult"))
            seen_end = m.end()
            if math.isfinite(value):  # 400 digits give inf, which JSON (and the API) cannot carry
                out.append(Amount(text=m.group(0).strip(), value=value))
    return out

"""Helpers shared by the readers: decoding, front matter, line heuristics.

Kept in one place so that HTML, Markdown and text treat charsets, YAML front
matter, headings and date lines the same way.
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re
from collections.abc import Sequence
from typing import Any

import yaml
from charset_normalizer import from_bytes

log = logging.getLogger(__name__)

# Browsers read pages labelled latin-1 as windows-1252; so do we (it maps ’ œ € …).
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
FINAL_PUNCT = tuple(".!?;:,…»\"”)")
BULLET_RE = re.compile(r"^\s*(?:[•\x7f▪◦●■‣○□➢➤►✓✔·*]|[-–—](?=\s))\s*")

# Numbered or labelled section titles of French public documents.
_LABELLED_HEADING = re.compile(
    r"^(?P<label>titre|partie|chapitre|axe|annexe|article|fiche[- ]action|action|orientation|objectif|section)"
    r"\s+(?P<num>[0-9IVXLC]+(?:[.-][0-9]+)*|premier|unique)\s*(?:[-–—:.)]|$)",
    re.IGNORECASE,
)
_NUMBERED_HEADING = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})[.)]?\s+(?=[A-ZÀ-ÖØ-Þ«])")
_LABEL_LEVEL = {"titre": 1, "partie": 1, "chapitre": 1, "axe": 1, "annexe": 1}

DATE_LINE_RE = re.compile(
    r"^\W*(?:(?:mise?s?|dernière mise) à jour|mis en ligne|publié(?:e|s)?|date de publication|"
    r"modifié(?:e)?|paru(?:e)?|actualisé(?:e)?|date)\b[^\n]{0,80}?\b(?:1[89]|20)\d{2}\b",
    re.IGNORECASE,
)


# C0 and C1 control characters other than tab, line feed, vertical tab, form feed and carriage return
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LINE_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x80-\x9f]")  # keeps \x7f: some PDF fonts draw bullets with it


def decode_bytes(data: bytes, declared: str | Sequence[str] | None = None) -> str:
    """Decode text and drop control characters.

    Order: a BOM; then UTF-8 when the bytes are valid UTF-8 (or nearly so),
    whatever the page declares, because legacy single-byte text is practically
    never valid multi-byte UTF-8 while pages saved as UTF-8 often keep an old
    « iso-8859-1 » label; then the declared charsets (several conflicting ones
    are arbitrated by charset-normalizer); then detection.
    """
    return CONTROL_RE.sub("", _decode(data, declared))


def _utf8_counts(data: bytes) -> tuple[str, int, int]:
    """The text decoded as UTF-8 with U+FFFD, its multi-byte characters and its invalid sequences."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 127) - bad
    return text, good, bad


def _mostly_utf8(data: bytes, counts: tuple[str, int, int] | None = None) -> str | None:
    """UTF-8 text with a few stray bytes (a cut or a bad copy) is still UTF-8: decode it with U+FFFD."""
    text, good, bad = counts or _utf8_counts(data)
    return text if good >= 1 and bad <= max(3, good // 50) else None


def _dominant_utf8(data: bytes, counts: tuple[str, int, int] | None = None) -> str | None:
    """Stricter than `_mostly_utf8`, enough to overrule a declared charset: many UTF-8 characters, rare strays."""
    text, good, bad = counts or _utf8_counts(data)
    return text if good >= 20 * max(1, bad) else None


def declared_codecs(declared: str | Sequence[str] | None) -> list[str]:
    """Python codec names of the declared charsets, in order, without duplicates, unknown labels or Unicode ones.

    UTF-8 is tried before any declaration anyway, and a UTF-16 or UTF-32 label
    read in ASCII bytes without a BOM is wrong by construction (browsers
    ignore it too).
    """
    names = [declared] if isinstance(declared, str) else list(declared or [])
    out: list[str] = []
    for label in names:
        name = label.strip().lower()
        name = _CHARSET_ALIASES.get(name, name)
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            log.debug("unknown declared charset %r", label)
            continue
        if codec.startswith(("utf-8", "utf-16", "utf-32")) or codec in out:
            continue
        out.append(codec)
    return out


def _decode(data: bytes, declared: str | Sequence[str] | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:2_000_000]
    counts = _utf8_counts(sample)  # one pass, shared by the two UTF-8 tests below
    if _dominant_utf8(sample, counts) is not None:
        return data.decode("utf-8", errors="replace")
    fitting = []
    for encoding in declared_codecs(declared):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        fitting.append((encoding, text))
    if len(fitting) == 1:
        return fitting[0][1]
    if fitting:  # conflicting declarations that all decode: let the statistics choose among them
        best = from_bytes(sample, cp_isolation=[e for e, _ in fitting]).best()
        chosen = codecs.lookup(best.encoding).name if best is not None else fitting[0][0]
        return next((t for e, t in fitting if e == chosen), fitting[0][1])
    mostly = _mostly_utf8(sample, counts)
    if mostly is not None:
        return mostly if len(data) <= 2_000_000 else data.decode("utf-8", errors="replace")
    best = from_bytes(sample).best()
    encoding = best.encoding if best is not None else "cp1252"
    encoding = _CHARSET_ALIASES.get(encoding.lower(), encoding)
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("cp1252", errors="replace")


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to one space."""
    text = _LINE_CONTROL_RE.sub("", text.replace("\u00ad", ""))  # soft hyphen, control characters
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text).strip()


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text))


def _jsonable(value: Any) -> Any:
    """YAML gives dates and datetimes; metadata must stay JSON-friendly."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


MAX_FRONT_MATTER_CHARS = 65_536
MAX_YAML_ALIASES = 50
_FRONT_MATTER_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str, str | None]:
    """Return (front matter, body, error): broken YAML gives an error message, never an exception."""
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return None, text, None
    body = text[match.end():]
    source = match.group(1)
    if len(source) > MAX_FRONT_MATTER_CHARS:
        return None, body, "en-tête YAML (front matter) ignoré : trop volumineux"
    try:
        # aliases can expand a few lines into millions of nodes (« billion laughs »)
        if sum(isinstance(tok, yaml.AliasToken) for tok in yaml.scan(source)) > MAX_YAML_ALIASES:
            return None, body, "en-tête YAML (front matter) ignoré : trop de références (alias)"
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntaxe incorrecte"
        message = f"en-tête YAML (front matter) invalide{where} : {problem}"
        log.warning("%s", message)
        return None, body, message
    except RecursionError:
        return None, body, "en-tête YAML (front matter) invalide : structure trop imbriquée"
    if data is None:
        return {}, body, None
    if not isinstance(data, dict):
        message = "en-tête YAML (front matter) invalide : ce n'est pas une liste de clés et de valeurs"
        log.warning("%s", message)
        return None, body, message
    return _jsonable(data), body, None


def front_matter_title(front: dict[str, Any] | None) -> str | None:
    if not front:
        return None
    for key in ("title", "titre"):
        value = front.get(key)
        if isinstance(value, str) and value.strip():
            return normalize_space(value)
    return None


def is_date_line(line: str) -> bool:
    return len(line) <= 140 and DATE_LINE_RE.search(line) is not None


def date_lines(lines: list[str] | tuple[str, ...]) -> list[str]:
    """Visible lines such as « Mise à jour : 24 septembre 2018 », deduplicated, in order."""
    found: list[str] = []
    for raw in lines:
        line = normalize_space(raw)
        if line and is_date_line(line) and line not in found:
            found.append(line)
    return found


def heading_level(line: str) -> int | None:
    """Level of a labelled or numbered heading (« Axe 2 – … », « 1.2 Objet »), else None."""
    line = line.strip()
    if not line or len(line) > 160 or line.endswith((".", ";", ",")):
        return None
    if word_count(line) > 20:
        return None
    match = _LABELLED_HEADING.match(line)
    if match:
        return _LABEL_LEVEL.get(match.group("label").lower(), 2)
    match = _NUMBERED_HEADING.match(line)
    if match and word_count(line) <= 14 and not line.endswith(":"):
        return match.group("num").count(".") + 1
    return None


def is_upper_heading(line: str) -> bool:
    """A short line written in capitals (« PRÉAMBULE », « TITRE I – OBJET »)."""
    letters = [c for c in line if c.isalpha()]
    return (len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.85
            and word_count(line) <= 15 and not line.rstrip().endswith((".", ";", ",")))


def looks_like_heading(line: str, max_words: int = 15) -> bool:
    """Short, no final punctuation, starts with a capital or a number: a plausible title line."""
    line = line.strip()
    if not line or line.endswith(FINAL_PUNCT) or is_date_line(line) or BULLET_RE.match(line):
        return False
    words = word_count(line)
    return 1 <= words <= max_words and (line[0].isupper() or line[0].isdigit())


_COMPOUND_PREFIXES = frozenset(
    ["centre", "convention", "cœur", "coeur", "contrat", "chef", "sous", "non", "ex", "anti", "après", "avant", "grand", "grande", "demi", "mi", "semi", "quasi", "auto", "extra", "ultra", "vice", "porte", "arrière", "arrière-plan", "plate", "arc", "bien", "entre", "contre", "haut", "basse", "bas", "nord", "sud", "est", "ouest", "saint", "sainte", "post", "pré", "co", "inter", "intra"]
)


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines into one paragraph, mending words cut by a hyphen at the line end."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].isalpha():
            last_word = re.split(r"[\s'’]", out[:-1])[-1].lower()
            if line[0].islower() and last_word not in _COMPOUND_PREFIXES:
                out = out[:-1] + line
            else:
                out = out + line
        else:
            out = out + " " + line
    return normalize_space(out)

"""Plain-text reader: paragraphs on blank lines, short unpunctuated lines as headings.

Text files in the corpus are often pages copied from a website, so a line
such as « Mise à jour : 24 septembre 2018 » is kept and reported as a date line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from acv.errors import UnreadableFileError
from acv.records import Block, ParsedDocument
from ingest.readers._common import (
    BULLET_RE,
    date_lines,
    decode_bytes,
    front_matter_title,
    heading_level,
    is_upper_heading,
    join_lines,
    looks_like_heading,
    split_front_matter,
    word_count,
)

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED_ITEM = re.compile(r"^\s*(?:\d{1,2}|[a-z])[).]\s+")


def read(path: Path, data: bytes) -> ParsedDocument:
    """Parse a text file; raise UnreadableFileError with a French reason."""
    text = decode_bytes(data).replace("\r\n", "\n").replace("\r", "\n")
    front, body, error = split_front_matter(text)
    blocks = _blocks(body)
    if not blocks:
        raise UnreadableFileError("aucun texte extractible dans le fichier texte")
    meta: dict[str, Any] = {"text": {"dates_text": date_lines([b.text for b in blocks[:40]])}}
    if front is not None:
        meta["front_matter"] = front
    if error:
        meta["front_matter_error"] = error
    title = front_matter_title(front) or _title(blocks)
    doc = ParsedDocument.build(source=str(path), format="text", blocks=blocks, title=title, meta=meta)
    if not doc.blocks:
        raise UnreadableFileError("aucun texte extractible dans le fichier texte")
    return doc


def _blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    for para in re.split(r"\n[ \t\u00a0]*\n", body):
        lines = [ln.strip() for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        if len(lines) == 1:
            line = lines[0]
            md = _MD_HEADING.match(line)
            if md:
                if md.group(2).strip("# \t"):  # « # # » is not a heading with a title
                    blocks.append(Block(text=md.group(2), kind="heading", level=len(md.group(1))))
                continue
            level = heading_level(line)
            if level is not None or is_upper_heading(line) or looks_like_heading(line):
                blocks.append(Block(text=line, kind="heading", level=level or 1))
                continue
        if all(BULLET_RE.match(ln) or _NUMBERED_ITEM.match(ln) for ln in lines[:1]) and \
                sum(bool(BULLET_RE.match(ln)) for ln in lines) >= 1:
            blocks.extend(_list_items(lines))
            continue
        blocks.append(Block(text=join_lines(lines), kind="paragraph"))
    return blocks


def _list_items(lines: list[str]) -> list[Block]:
    """Lines starting with a bullet open an item; other lines continue the previous one."""
    items: list[list[str]] = []
    for line in lines:
        if BULLET_RE.match(line) or not items:
            items.append([BULLET_RE.sub("", line, count=1)])
        else:
            items[-1].append(line)
    return [Block(text=join_lines(item), kind="list_item") for item in items]


def _title(blocks: list[Block]) -> str | None:
    """The first early heading of at least three words (skips rubrics such as « Actualité »)."""
    headings = [b.text for b in blocks[:8] if b.kind == "heading"]
    for text in headings:
        if word_count(text) >= 3:
            return text
    return headings[0] if headings else None

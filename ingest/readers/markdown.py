"""Markdown reader: YAML front matter plus the CommonMark structure (headings, lists, tables).

Front matter carries metadata written by hand (title, date, commune…), so a
broken one is reported in meta instead of failing the document.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from acv.errors import UnreadableFileError
from acv.records import Block, ParsedDocument
from ingest.readers import text as text_reader
from ingest.readers._common import (
    date_lines,
    decode_bytes,
    front_matter_title,
    normalize_space,
    split_front_matter,
)

_PARSER = MarkdownIt("commonmark").enable("table")
_MAX_NESTING = int(_PARSER.options["maxNesting"])
_NESTING_MARKS = re.compile(r"^[ \t>]*(?:[-*+]\s+|\d{1,9}[.)]\s+)?", re.MULTILINE)  # quote marks, list bullets


def read(path: Path, data: bytes) -> ParsedDocument:
    """Parse a Markdown file; raise UnreadableFileError with a French reason."""
    text = decode_bytes(data)
    front, body, error = split_front_matter(text)
    warnings: list[str] = []
    try:
        tokens = _PARSER.parse(body)
        blocks = _blocks(tokens)
    except RecursionError as exc:
        raise UnreadableFileError("document Markdown trop profondément imbriqué") from exc
    if any(t.level >= _MAX_NESTING - 1 for t in tokens):
        # past maxNesting markdown-it silently drops the rest of the document: read it as plain text instead
        blocks = text_reader.read(path, _NESTING_MARKS.sub("", body).encode("utf-8")).blocks
        warnings.append("structure Markdown trop imbriquée : lue comme du texte brut")
    if not blocks:
        raise UnreadableFileError("aucun texte extractible dans le fichier Markdown")
    meta: dict[str, Any] = {"markdown": {"dates_text": date_lines([b.text for b in blocks[:40]])}}
    if warnings:
        meta["warnings"] = warnings
    if front is not None:
        meta["front_matter"] = front
    if error:
        meta["front_matter_error"] = error
    headings = [b.text for b in blocks if b.kind == "heading"]
    title = front_matter_title(front) or (headings[0] if headings else None)
    return ParsedDocument.build(source=str(path), format="markdown", blocks=blocks, title=title, meta=meta)


def _inline_text(token: Token) -> str:
    """Plain text of an inline token: link and emphasis markup dropped, image alt text kept."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child) if child.children else child.content)
        elif child.type == "html_inline":
            continue
    return normalize_space("".join(parts))


def _blocks(tokens: list[Token]) -> list[Block]:
    blocks: list[Block] = []
    list_depth = 0
    heading_level = 0
    in_cell = False
    row: list[str] = []
    table_rows: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind == "heading_close":
            heading_level = 0
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "table_open":
            table_rows = []
        elif kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open"):
            in_cell = True
        elif kind in ("th_close", "td_close"):
            in_cell = False
        elif kind == "tr_close":
            if any(row):
                table_rows.append(" | ".join(c for c in row))
        elif kind == "table_close":
            if table_rows:
                blocks.append(Block(text="\n".join(table_rows), kind="table"))
        elif kind == "inline":
            text = _inline_text(token)
            if in_cell:
                row.append(text)
            elif not text:
                continue
            elif heading_level:
                blocks.append(Block(text=text, kind="heading", level=heading_level))
            elif list_depth:
                blocks.append(Block(text=text, kind="list_item"))
            else:
                blocks.append(Block(text=text, kind="paragraph"))
        elif kind in ("fence", "code_block") and token.content.strip():
            blocks.append(Block(text=token.content.strip(), kind="paragraph"))
    return blocks

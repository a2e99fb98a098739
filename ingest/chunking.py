"""Cut a ParsedDocument into passages that follow its structure.

A passage should answer one question: it starts at a heading when it can,
holds 100–250 words, never mixes two pages of a PDF once it has enough text
(so a hit can cite one page), and keeps the heading it belongs to.
"""

from __future__ import annotations

import math
from itertools import islice
import re
from dataclasses import dataclass, field

from acv.records import Block, Chunk, ParsedDocument
from ingest.readers._common import WORD_RE

_SENTENCE_END = re.compile(r"(?<=[.!?…;])[»\"”)]?\s+(?=[«\"(\[]?[A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:M|MM|Mme|Mmes|Dr|art|cf|etc|env|p|n°|no|St|Ste|av|bd)|\b[A-Z])\.$")


@dataclass(slots=True)
class _Unit:
    """A block, or a piece of a block too long to fit one chunk."""

    start: int
    end: int
    words: int
    page: int | None
    heading: str | None = None  # set for heading units
    ocr: bool = False  # from a block recognised by OCR


@dataclass(slots=True)
class _Draft:
    units: list[_Unit] = field(default_factory=list)
    words: int = 0
    section: str | None = None
    body_started: bool = False

    @property
    def page(self) -> int | None:
        return self.units[0].page if self.units else None


def chunk_document(doc: ParsedDocument, min_words: int = 100, max_words: int = 250) -> list[Chunk]:
    """Structure-aware chunks of `doc`, numbered 0..n-1, with offsets into `doc.text`."""
    if min_words < 1 or max_words < min_words:
        raise ValueError("min_words must be >= 1 and max_words >= min_words")
    half = min_words / 2
    drafts: list[_Draft] = []
    current = _Draft()
    heading: str | None = None

    def close() -> None:
        nonlocal current
        if current.units:
            if not current.body_started:
                current.section = heading
            drafts.append(current)
        current = _Draft()

    for unit in _units(doc, max_words):
        if current.units and unit.page != current.page and current.words >= half:
            close()
        if unit.heading is not None:
            if current.words >= half:
                close()
            heading = unit.heading
        else:
            if current.body_started and current.words + unit.words > max_words:
                close()
            if not current.body_started:
                current.section = heading
                current.body_started = True
        current.units.append(unit)
        current.words += unit.words
    close()

    drafts = _merge_tiny_trailing(drafts, min_words / 3)
    chunks: list[Chunk] = []
    for draft in drafts:
        start, end = draft.units[0].start, draft.units[-1].end
        text = doc.text[start:end].replace("\n\n", "\n")
        if sum(1 for _ in islice(WORD_RE.finditer(text), 5)) < 5:
            continue  # page numbers, a lone heading, a figure: nothing to retrieve
        chunks.append(Chunk(ordinal=len(chunks), text=text, start=start, end=end, page=draft.page,
                            section=draft.section, ocr=any(u.ocr for u in draft.units)))
    return chunks


def _merge_tiny_trailing(drafts: list[_Draft], tiny: float) -> list[_Draft]:
    """Fold a small last chunk of a page (or of the document) into the chunk before it."""
    merged: list[_Draft] = []
    for i, draft in enumerate(drafts):
        nxt = drafts[i + 1] if i + 1 < len(drafts) else None
        trailing = nxt is None or nxt.page != draft.page
        prev = merged[-1] if merged else None
        if prev is not None and trailing and draft.words < tiny and prev.page == draft.page:
            prev.units.extend(draft.units)
            prev.words += draft.words
            continue
        merged.append(draft)
    return merged


def _units(doc: ParsedDocument, max_words: int) -> list[_Unit]:
    units: list[_Unit] = []
    for block in doc.blocks:
        words = len(block.text.split())
        if block.kind == "heading":
            units.append(_Unit(block.start, block.end, words, block.page, heading=block.text, ocr=block.ocr))
        elif words <= max_words:
            units.append(_Unit(block.start, block.end, words, block.page, ocr=block.ocr))
        else:
            units.extend(_split_block(block, max_words))
    return units


def _split_block(block: Block, max_words: int) -> list[_Unit]:
    """Pieces of at most `max_words` words, cut between table rows or sentences."""
    spans = _row_spans(block.text) if block.kind == "table" else _sentence_spans(block.text)
    pieces: list[tuple[int, int]] = []
    for start, end in spans:
        if len(block.text[start:end].split()) > max_words:
            pieces.extend(_word_spans(block.text, start, end, max_words))
        else:
            pieces.append((start, end))
    # aim at pieces of equal size rather than full pieces and a tiny remainder
    total = len(block.text.split())
    target = math.ceil(total / math.ceil(total / max_words))
    units: list[_Unit] = []
    cur_start: int | None = None
    cur_end = 0
    cur_words = 0
    for start, end in pieces:
        words = len(block.text[start:end].split())
        if cur_start is not None and (cur_words + words > max_words or cur_words >= target):
            units.append(_Unit(block.start + cur_start, block.start + cur_end, cur_words, block.page, ocr=block.ocr))
            cur_start, cur_words = None, 0
        if cur_start is None:
            cur_start = start
        cur_end = end
        cur_words += words
    if cur_start is not None:
        units.append(_Unit(block.start + cur_start, block.start + cur_end, cur_words, block.page, ocr=block.ocr))
    return units


def _row_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start:match.start()].rstrip()
        if _ABBREVIATION.search(candidate.rstrip("»\"”)")):
            continue
        end = start + len(candidate)
        if end > start:
            spans.append((start, end))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return spans


def _word_spans(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """Last resort for a sentence longer than a chunk: cut every `max_words` words."""
    words = list(re.finditer(r"\S+", text[start:end]))
    size = math.ceil(len(words) / math.ceil(len(words) / max_words))
    return [
        (start + words[i].start(), start + words[min(i + size, len(words)) - 1].end())
        for i in range(0, len(words), size)
    ]

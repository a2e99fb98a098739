"""Records that flow through the pipeline: file → ParsedDocument → Chunk → store.

They are plain dataclasses so that the core stays free of any web or UI
framework; the API builds its own response models from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]
DocType = Literal["convention", "communique", "bonne_pratique", "autre"]
# Which near-duplicate passages wait below a result page (index/grouping.py PageRepeats).
NearDuplicateMode = Literal["across", "within", "best-copies", "best2-copies"]
DOC_TYPES: tuple[str, ...] = ("convention", "communique", "bonne_pratique", "autre")


@dataclass(slots=True)
class Block:
    """One structural unit a reader found: a heading, a paragraph, a list item or a table row group."""

    text: str
    kind: BlockKind = "paragraph"
    page: int | None = None
    level: int = 0  # heading level (1 = top); 0 for non-headings
    start: int = 0  # character offsets in ParsedDocument.text, set by ParsedDocument.build
    end: int = 0
    ocr: bool = False  # text recognised by OCR on a scanned page, not read from a text layer


@dataclass(slots=True)
class ParsedDocument:
    """What a reader gives back: the document's own text, structure and raw metadata."""

    source: str
    format: Literal["pdf", "html", "markdown", "text"]
    blocks: list[Block]
    title: str | None = None
    # Raw metadata found by the reader: front matter, <meta> tags, PDF info, <time> values…
    meta: dict[str, Any] = field(default_factory=dict)
    page_count: int | None = None
    text: str = ""

    @classmethod
    def build(cls, source: str, format: str, blocks: list[Block], **kwargs: Any) -> "ParsedDocument":
        """Join the blocks into one text and record each block's offsets in it."""
        parts: list[str] = []
        pos = 0
        kept: list[Block] = []
        for block in blocks:
            text = block.text.strip()
            if not text:
                continue
            if parts:
                parts.append("\n\n")
                pos += 2
            block.text = text
            block.start = pos
            block.end = pos + len(text)
            parts.append(text)
            pos = block.end
            kept.append(block)
        return cls(source=source, format=format, blocks=kept, text="".join(parts), **kwargs)  # type: ignore[arg-type]


@dataclass(slots=True)
class Commune:
    """An ACV commune from the gazetteer."""

    insee: str
    name: str
    population: int
    departement_code: str
    departement: str
    region_code: str
    region: str
    longitude: float
    latitude: float
    acv_id: str = ""


@dataclass(slots=True)
class Amount:
    """A sum of money found in the text, normalised to euros."""

    text: str
    value: float


@dataclass(slots=True)
class DocumentMetadata:
    """What document understanding extracts for a whole document."""

    doc_type: str = "autre"
    title: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD)
    cities: list[str] = field(default_factory=list)  # INSEE codes of the main cities
    mentioned_cities: list[str] = field(default_factory=list)  # INSEE codes only mentioned
    departements: list[str] = field(default_factory=list)  # département names
    regions: list[str] = field(default_factory=list)  # region names
    axes: list[int] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    # Which signals decided the type, the axes and the main town, in French (`acv docs --explain`).
    explain: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ChunkMetadata:
    """What document understanding extracts for one chunk."""

    axes: list[int] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)  # INSEE codes named in the chunk


@dataclass(slots=True)
class Chunk:
    """A passage of a document, the unit that is indexed and returned by search."""

    ordinal: int
    text: str
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    meta: ChunkMetadata = field(default_factory=ChunkMetadata)
    ocr: bool = False  # some of its text was recognised by OCR (stored as `ocr` in the chunk metadata)

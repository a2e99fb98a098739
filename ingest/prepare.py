"""Everything about one document that needs no model and no store: chunks, metadata, analysed text.

This is the CPU-heavy half of the ingest. It runs in a worker (a forked,
time- and memory-bounded child, or a Ray task) while the model embeds other
documents, and hands back plain picklable rows; the embedding and the store
write happen afterwards, in the single writer.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from acv.records import Block, ChunkMetadata, DocumentMetadata, ParsedDocument
from index.analysis import FrenchAnalyzer
from index.store import ChunkRow
from ingest.chunking import chunk_document
from ingest.embedding_text import embedding_text
from ingest.extract import Extractor
from ingest.passages import select_passages


@dataclass(frozen=True, slots=True)
class PrepareConfig:
    """What a worker needs to know besides the file."""

    embedder_id: str
    chunk_min_words: int = 100
    chunk_max_words: int = 250
    max_bytes: int | None = None
    max_passages: int | None = None


@dataclass(slots=True)
class PreparedDocument:
    """One document ready to embed and store (everything but the vectors and the ingest time)."""

    source: str
    format: str
    title: str | None
    doc_type: str
    date: str | None
    page_count: int | None
    metadata: dict[str, Any]
    chunks: list[ChunkRow]
    notes: list[str] = field(default_factory=list)
    # what the dense model reads, by embedding key (first occurrence order): see ingest/embedding_text.py
    embed_inputs: dict[str, str] = field(default_factory=dict)

    def embed_texts(self) -> dict[str, str]:
        """Distinct texts to embed, by embedding key (first occurrence order)."""
        return dict(self.embed_inputs)


def embed_key(embedder_id: str, text: str) -> str:
    return hashlib.sha256(f"{embedder_id}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


def prepare_parsed(parsed: ParsedDocument, analyzer: FrenchAnalyzer, extractor: Extractor,
                   config: PrepareConfig) -> PreparedDocument:
    """Chunk, filter, understand and analyse one parsed document.

    Identical passages (a page repeating one paragraph) are understood and
    analysed once: both steps depend only on the text and its section.
    """
    from acv.errors import UnreadableFileError

    chunks = chunk_document(parsed, config.chunk_min_words, config.chunk_max_words)
    if not chunks:
        raise UnreadableFileError("Aucun texte exploitable dans ce document.")
    found = len(chunks)
    chunks, notes = select_passages(chunks, config.max_passages)
    metas: dict[tuple[str, str | None], ChunkMetadata] = {}
    for chunk in chunks:
        key = (chunk.text, chunk.section)
        if key not in metas:
            metas[key] = extractor.chunk(chunk.text, chunk.section)
        chunk.meta = metas[key]
    # The document is understood from what is indexed: its distinct passages, and its text up to the cap.
    seen = parsed if len(chunks) == found else _truncated(parsed, chunks[-1].end)
    meta = extractor.document(seen, list(metas.values()))
    analysed: dict[tuple[str, str | None], str] = {}
    facets_by_meta: dict[int, dict[str, list[str]]] = {}
    meta_json: dict[int, dict[str, Any]] = {}
    rows: list[ChunkRow] = []
    embed_inputs: dict[str, str] = {}
    title = meta.title or parsed.title
    for c in chunks:
        key = (c.text, c.section)
        if key not in analysed:
            analysed[key] = analyzer.analyse(" ".join(filter(None, [c.section or "", c.text])))
        if id(c.meta) not in facets_by_meta:
            facets_by_meta[id(c.meta)] = chunk_facets(c.meta, meta, extractor)
            meta_json[id(c.meta)] = asdict(c.meta)
        dense_text = embedding_text(c.text, c.section, title)
        key_of_text = embed_key(config.embedder_id, dense_text)
        embed_inputs.setdefault(key_of_text, dense_text)
        rows.append(ChunkRow(
            ordinal=c.ordinal, text=c.text, analysed=analysed[key], page=c.page, section=c.section,
            start=c.start, end=c.end, embed_key=key_of_text,
            metadata={**meta_json[id(c.meta)], "ocr": c.ocr}, facets=facets_by_meta[id(c.meta)],
        ))
    warnings = list(notes)
    doc_meta = document_metadata_json(meta, parsed)
    if warnings:
        doc_meta["ingest_notes"] = warnings
    return PreparedDocument(
        source=parsed.source, format=parsed.format, title=title, doc_type=meta.doc_type,
        date=meta.date, page_count=parsed.page_count, metadata=doc_meta, chunks=rows, notes=warnings,
        embed_inputs=embed_inputs,
    )


def _truncated(parsed: ParsedDocument, end: int) -> ParsedDocument:
    """What a capped document is understood from: its distinct blocks up to its last kept passage.

    A capped document is by definition outsized or degenerate (a page repeating one paragraph); reading it
    whole, or each repeat of a block again, would make its metadata cost its size rather than the cap.
    """
    seen: set[tuple[str, str]] = set()
    blocks: list[Block] = []
    for block in parsed.blocks:
        if block.start >= end:
            break
        if (block.kind, block.text) not in seen:
            seen.add((block.kind, block.text))
            blocks.append(replace(block))
    return ParsedDocument.build(parsed.source, parsed.format, blocks, title=parsed.title, meta=parsed.meta,
                                page_count=parsed.page_count)


# What the readers' metadata keeps in the store; origin: the root checked when serving the file (acv/paths.py).
READER_META_KEPT = ("pdf", "html", "front_matter", "warnings", "origin", "ocr")


def document_metadata_json(meta: DocumentMetadata, parsed: ParsedDocument | None) -> dict[str, Any]:
    out = asdict(meta)
    if parsed is not None:
        out["reader"] = {k: v for k, v in parsed.meta.items() if k in READER_META_KEPT}
    return out


def chunk_facets(chunk: ChunkMetadata, doc: DocumentMetadata, extractor: Extractor) -> dict[str, list[str]]:
    """Facet values of a chunk: its own axes and themes (or the document's when it has none), the document's places."""
    gaz = extractor.gazetteer
    dep_codes: list[str] = []
    regions: list[str] = list(doc.regions)
    for insee in doc.cities:
        commune = gaz.get(insee)
        if commune is not None:
            dep_codes.append(commune.departement_code)
            regions.append(commune.region)
    dep_codes.extend(departement_code(gaz, name) for name in doc.departements)
    return {
        "axis": [str(a) for a in (chunk.axes or doc.axes)],
        "theme": list(chunk.themes or doc.themes),
        "city": list(doc.cities),
        "mentioned_city": list(doc.mentioned_cities),
        "departement": sorted(set(filter(None, dep_codes))),
        "region": sorted(set(filter(None, regions))),
        "doc_type": [doc.doc_type],
    }


def departement_code(gazetteer: Any, name_or_code: str) -> str:
    """The code of a département given by name or code (unknown names are kept as given)."""
    from index.analysis import fold

    key = fold(name_or_code).replace("-", " ").strip()
    for commune in gazetteer.all():
        if key in (fold(commune.departement).replace("-", " "), commune.departement_code.lower()):
            return commune.departement_code
    return name_or_code

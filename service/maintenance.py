"""Writing to the base: ingest files, delete a document, recompute metadata or vectors.

Everything goes through the ingest pipeline and the store's own methods; nothing here writes SQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from acv.errors import NotFoundError
from acv.records import Block, ParsedDocument
from acv.settings import Settings
from index.vectors import CONFIG_FILE, INDEX_FILE
from ingest.embedding_text import EMBEDDING_TEXT_SCHEME
from ingest.progress import IngestProgress, read_progress
from ingest.pipeline import (
    IngestReport,
    ProgressCallback,
    chunk_facets,
    document_metadata_json,
    embed_key,
    embedding_text,
)
from ingest.prepare import READER_META_KEPT
from service.components import Components


def _reread(doc: Any, reader: dict[str, Any]) -> ParsedDocument | None:
    """The document read again from its source, when the file is there, unchanged and not OCR'd (slow)."""
    import hashlib

    from ingest.readers import read_file

    if reader.get("ocr"):
        return None
    path = Path(doc["source"])
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != doc["content_hash"]:
            return None
        parsed = read_file(path)
    except Exception:  # noqa: BLE001 - gone, unreadable or changed: understood from the stored passages
        return None
    if "origin" in reader:
        parsed.meta["origin"] = reader["origin"]
    return parsed


class Maintenance:
    """Ingest, delete, reindex."""

    def __init__(self, parts: Components) -> None:
        self.parts = parts

    def ingest(self, paths: Sequence[Path | str], prune: bool = False,
               progress: ProgressCallback | None = None, ray_address: str | None = None) -> IngestReport:
        """Ingest files or folders; with `ray_address` ("" = a local cluster for this run) the reading,
        chunking and embedding fan out over Ray while the writes stay here (one writer)."""
        paths = [Path(p) for p in paths]
        self.upgrade_embedding_text(progress)
        if ray_address is not None:
            from ingest.ray_ingest import ray_ingest

            report = ray_ingest(self.parts.ingestor(), self.parts.settings, paths, address=ray_address or None,
                                prune=prune, progress=progress)
        else:
            report = self.parts.ingestor().ingest(paths, prune=prune, progress=progress)
        changed = [o.doc_id for o in report.outcomes
                   if o.doc_id and o.status in ("added", "updated", "moved", "removed")]
        if changed:
            self.parts.groups.refresh(changed)  # the same announcement from other sites: one result
        return report

    def upgrade_embedding_text(self, progress: ProgressCallback | None = None) -> int:
        """Re-embed a store built from another embedding text (an older version) before adding to it.

        Unchanged files are skipped by ingest, so without this their old vectors would stay beside new ones.
        Returns how many passages were embedded (0 when the store is already current or empty).
        """
        store = self.parts.store
        if store.get_meta("embedding_text") == EMBEDDING_TEXT_SCHEME:
            return 0
        done = self.reindex_vectors(progress) if store.count("chunks") else 0
        store.set_meta("embedding_text", EMBEDDING_TEXT_SCHEME)
        return done

    def delete_document(self, doc_id: str) -> None:
        if not self.parts.store.delete_document(doc_id):
            raise NotFoundError(f"Document introuvable : « {doc_id} ».", {"doc_id": doc_id})
        self.parts.groups.refresh([doc_id])
        dense = self.parts.dense
        dense.sync()
        dense.save()

    def reindex_metadata(self) -> int:
        """Re-run document understanding on stored chunks; no re-embedding.

        A source file still there and unchanged (same hash) is read again, so that what the readers learnt
        since (a page's breadcrumb, rubric, boxes, a PDF's first heading) reaches an existing base; other
        documents are understood from their stored passages and reader metadata."""
        store, extractor = self.parts.store, self.parts.extractor
        count = 0
        for doc in store.documents():
            chunks = store.chunks_of(doc["id"])
            reader = json.loads(doc["metadata"]).get("reader", {})
            parsed = _reread(doc, reader)
            if parsed is not None:
                reader = {k: v for k, v in parsed.meta.items() if k in READER_META_KEPT}
            else:
                blocks = [Block(text=c["text"], page=c["page"]) for c in chunks]
                parsed = ParsedDocument.build(doc["source"], doc["format"], blocks, title=doc["title"], meta=reader,
                                              page_count=doc["page_count"])
            chunk_metas = [extractor.chunk(c["text"], c["section"]) for c in chunks]
            meta = extractor.document(parsed, chunk_metas)
            updates = [(c["id"], {**asdict(cm), "ocr": bool(json.loads(c["metadata"]).get("ocr", False))},
                        chunk_facets(cm, meta, extractor)) for c, cm in zip(chunks, chunk_metas)]
            doc_json = document_metadata_json(meta, None)
            doc_json["reader"] = reader
            store.update_metadata(
                doc["id"],
                {"title": meta.title or doc["title"], "doc_type": meta.doc_type, "date": meta.date, "metadata": doc_json},
                updates,
            )
            count += 1
        self.parts.groups.refresh()  # dates and cities may have changed
        return count

    def reindex_vectors(self, progress: ProgressCallback | None = None) -> int:
        """Re-embed every chunk with the configured embedder (after a model change); returns how many were embedded."""
        parts = self.parts
        emb, store = parts.embedder, parts.store
        rows = store.chunk_texts()
        done = 0
        batch = parts.settings.embed_batch_size
        for i in range(0, len(rows), batch):
            part = rows[i : i + batch]
            texts = [embedding_text(r["text"], r["section"], r["title"]) for r in part]
            keys = [embed_key(emb.id, t) for t in texts]
            cached = store.existing_embeddings(keys)
            need = [j for j, k in enumerate(keys) if k not in cached]
            vecs = emb.embed_passages([texts[j] for j in need]) if need else []
            store.set_chunk_embeddings(
                [(r["id"], k) for r, k in zip(part, keys)],
                {keys[j]: np.asarray(v, dtype=np.float32).tobytes() for j, v in zip(need, vecs)},
            )
            done += len(need)
        store.set_meta("embedder", emb.id)
        store.set_meta("embedding_text", EMBEDDING_TEXT_SCHEME)
        for name in (INDEX_FILE, CONFIG_FILE):
            (parts.settings.vectors_dir / name).unlink(missing_ok=True)
        parts.forget_dense()
        parts.dense.save()
        return done


def ingest_progress(settings: Settings) -> IngestProgress | None:
    """What a running (or the last) ingest published in the store, maybe from another process; None if none ran."""
    return read_progress(settings.store_path)

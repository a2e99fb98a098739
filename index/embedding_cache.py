"""Vectors of short texts the retriever embeds for itself (theme definitions, vocabulary entries), computed once
per model and kept in the store's embedding cache, so that opening a retriever does not re-embed them."""

from __future__ import annotations

import hashlib

import numpy as np

from index.embedders.base import Embedder
from index.store import Store

BATCH = 256


def cached_passage_vectors(embedder: Embedder, store: Store | None, kind: str, texts: list[str]) -> np.ndarray:
    """One passage vector per text, in order; `kind` keeps the keys of different uses apart."""
    keys = [hashlib.sha256(f"{embedder.id}\n{kind}\n{t}".encode()).hexdigest() for t in texts]
    cached = store.existing_embeddings(keys) if store is not None else {}
    missing = [i for i, k in enumerate(keys) if k not in cached]
    for start in range(0, len(missing), BATCH):
        part = missing[start: start + BATCH]
        vecs = embedder.embed_passages([texts[i] for i in part])
        fresh = {keys[i]: np.asarray(v, dtype=np.float32).tobytes() for i, v in zip(part, vecs)}
        if store is not None:
            with store.transaction() as con:
                con.executemany("INSERT OR IGNORE INTO embeddings(key, vector) VALUES (?, ?)", list(fresh.items()))
        cached.update(fresh)
    if not keys:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return np.stack([np.frombuffer(cached[k], dtype=np.float32) for k in keys])

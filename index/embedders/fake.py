"""A deterministic embedder for fast tests: hashed bags of French stems.

It has no model, yet texts that share terms get close vectors, so tests of
retrieval and fusion still mean something.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from index.analysis import get_analyzer
from index.embedders.base import Embedder, model_input


class FakeEmbedder(Embedder):
    backend = "fake"

    def __init__(self, dimension: int = 64) -> None:
        self.model = f"hash-{dimension}"
        self.dimension = dimension
        self._analyzer = get_analyzer()

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        for term in self._analyzer.terms(text):
            digest = hashlib.blake2b(term.encode(), digest_size=8).digest()
            slot = int.from_bytes(digest[:4], "little") % self.dimension
            sign = 1.0 if digest[4] & 1 else -1.0
            vec[slot] += sign
        if not vec.any():
            vec[0] = 1.0
        return vec

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.normalise(np.stack([self._vector(model_input(t)) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return self.normalise(self._vector(text)[None, :])[0]

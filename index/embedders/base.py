"""The interface every embedder honours."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np


class Embedder(ABC):
    """Turns passages and queries into L2-normalised float32 vectors.

    `id` names the backend and model; it is saved beside the index so that a
    vector space is never searched with queries from another model.
    """

    backend: str = ""
    model: str = ""
    dimension: int = 0

    @property
    def id(self) -> str:
        return f"{self.backend}:{self.model}"

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of shape (len(texts), dimension)."""

    @abstractmethod
    def embed_query(self, text: str) -> np.ndarray:
        """Vector of shape (dimension,)."""

    @staticmethod
    def normalise(vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.ascontiguousarray(vectors / norms, dtype=np.float32)

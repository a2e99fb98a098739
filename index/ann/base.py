"""What the dense retriever needs from a vector index."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np


class ANN(ABC):
    """Inner-product search over L2-normalised vectors, keyed by chunk id (int64)."""

    kind: str = ""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension

    @abstractmethod
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    @abstractmethod
    def remove(self, ids: np.ndarray) -> None: ...

    @abstractmethod
    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, scores) of the k best, restricted to `allowed` ids when given."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def ids(self) -> np.ndarray: ...

    @abstractmethod
    def save(self, path: Path) -> None:
        """Write to `path` (the caller makes the write atomic)."""

    @classmethod
    @abstractmethod
    def load(cls, path: Path, config: dict[str, Any]) -> "ANN": ...

    def config(self) -> dict[str, Any]:
        return {"kind": self.kind, "dimension": self.dimension}

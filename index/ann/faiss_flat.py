"""Exact inner-product search with FAISS (IndexIDMap2 over IndexFlatIP)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.ann.base import ANN


class FaissFlat(ANN):
    kind = "faiss-flat"

    def __init__(self, dimension: int, index: Any | None = None) -> None:
        super().__init__(dimension)
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self._index.remove_ids(faiss.IDSelectorBatch(np.asarray(ids, dtype=np.int64)))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        n = self._index.ntotal
        if n == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)))
            k = min(k, len(allowed))
        k = min(k, n)
        scores, ids = self._index.search(q, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def count(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, config: dict[str, Any]) -> "FaissFlat":
        return cls(int(config["dimension"]), faiss.read_index(str(path)))

"""Chooses and restores vector indexes by kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.ann.base import ANN
from index.ann.faiss_flat import FaissFlat

_KINDS: dict[str, type[ANN]] = {FaissFlat.kind: FaissFlat}


def create_ann(dimension: int, expected_size: int = 0, kind: str | None = None) -> ANN:
    """A new empty index; exact search until the collection is large enough to need an approximate one."""
    cls = _KINDS.get(kind or FaissFlat.kind, FaissFlat)
    return cls(dimension)


def load_ann(path: Path, config: dict[str, Any]) -> ANN:
    kind = config.get("kind", FaissFlat.kind)
    if kind not in _KINDS:
        raise ValueError(f"unknown index kind {kind!r}")
    return _KINDS[kind].load(path, config)

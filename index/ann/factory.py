"""Chooses and restores vector indexes by kind.

Exact search (flat) up to `APPROXIMATE_FROM` vectors, where it is both fast
enough and affordable in memory; IVF-SQ8 beyond, trained on the vectors at
hand (see bench/scale.py for the recall and memory measured).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.ann.base import ANN
from index.ann.faiss_flat import FaissFlat
from index.ann.faiss_ivf import FaissIVF

APPROXIMATE_FROM = 200_000
_KINDS: dict[str, type[ANN]] = {FaissFlat.kind: FaissFlat, FaissIVF.kind: FaissIVF}


def create_ann(dimension: int, expected_size: int = 0, kind: str | None = None) -> ANN:
    """A new empty index, of `kind` or chosen by the expected size."""
    if kind is None:
        kind = FaissIVF.kind if expected_size >= APPROXIMATE_FROM else FaissFlat.kind
    if kind == FaissIVF.kind:
        return FaissIVF(dimension, nlist=FaissIVF.nlist_for(expected_size))
    if kind not in _KINDS:
        raise ValueError(f"unknown index kind {kind!r}")
    return _KINDS[kind](dimension)


def load_ann(path: Path, config: dict[str, Any]) -> ANN:
    kind = config.get("kind", FaissFlat.kind)
    if kind not in _KINDS:
        raise ValueError(f"unknown index kind {kind!r}")
    return _KINDS[kind].load(path, config)

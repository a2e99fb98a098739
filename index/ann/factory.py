"""Chooses and restores vector indexes by kind.

Exact search (flat) below `APPROXIMATE_FROM` vectors; IVF-SQ8 from there on,
trained on the vectors at hand. A flat scan is one thread over every vector
(about 40 ms per query at 100k on this project's 2-core machine, most of the
unfiltered hybrid query once the embedding is done); IVF-SQ8 with nprobe 256
answers in 1–3 ms at 50k–100k with Recall@10 ≥ 0.95 against exact search
(bench/scale.py --ann-only, docs/BENCHMARKS.md). A store that grows
past the threshold switches on that write (index/vectors.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.ann.base import ANN
from index.ann.faiss_flat import FaissFlat
from index.ann.faiss_ivf import FaissIVF

APPROXIMATE_FROM = 50_000
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

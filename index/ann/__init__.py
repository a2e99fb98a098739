"""Approximate (or exact) nearest-neighbour indexes: a base, a factory, one backend per file."""

from index.ann.base import ANN
from index.ann.factory import create_ann, load_ann

__all__ = ["ANN", "create_ann", "load_ann"]

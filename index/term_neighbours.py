"""Corpus-vocabulary neighbours of a query, added to the lexical query (issue 16, paraphrases).

A paraphrase describes a project in words the passages do not use (« logements vides » for « vacance
résidentielle »), so BM25 finds nothing and only the dense side helps. The theme expansion
(index/expansion.py) covers what corpus/themes.yaml names; this covers the rest from the corpus itself:
its frequent words (and, optionally, adjacent word pairs) are embedded once, and the entries closest to the
query's embedding (mode « query ») or to the embedding of each query word and word pair (mode « words »)
are added to the BM25 query at a reduced weight.

The vocabulary is bounded: words of a sample of at most `sample` passages, kept when their term's chunk
frequency in the lexical index is ≥ `min_df`, at most `max_entries` of them (most frequent first). Each
entry is one surface form (the most frequent word of its term) mapped to the analysed terms BM25 searches.
Vectors are kept in the store's embedding cache, keyed by embedder id and text, so a rebuild after the
corpus moved on only embeds the new entries. Decided in docs/BENCHMARKS.md, « Corpus-vocabulary
neighbours of the lexical query »; off by default.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.analysis import FrenchAnalyzer
from index.embedding_cache import cached_passage_vectors
from index.embedders.base import Embedder
from index.store import Store

MODES = ("off", "query", "words")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class NeighbourConfig:
    mode: str = "off"  # off | query (the query's vector) | words (each query word and word pair embedded)
    # The other defaults are the tuning split's choice (words mode), docs/BENCHMARKS.md.
    min_similarity: float = 0.95  # cosine of an entry with the query (or a query word) to be added
    max_terms: int = 6  # entries added per query at most (best first)
    weight: float = 0.2  # BM25 boost of an added term, against 1 for a typed term
    min_df: int = 2  # chunk frequency of a term to enter the vocabulary
    bigrams: bool = False  # adjacent word pairs as entries too
    max_entries: int = 20_000
    sample: int = 20_000  # passages read for surface forms

    @property
    def enabled(self) -> bool:
        return self.mode in ("query", "words") and self.max_terms > 0 and self.weight > 0

    @property
    def spec(self) -> str:
        """« mode:τ:max:weight:words|pairs », the name benchmarks give a variant."""
        kind = "pairs" if self.bigrams else "words"
        return f"{self.mode}:{self.min_similarity}:{self.max_terms}:{self.weight}:{kind}"

    @classmethod
    def from_spec(cls, spec: str) -> "NeighbourConfig":
        if spec == "off":
            return cls()
        mode, tau, max_terms, weight, kind = spec.split(":")
        if mode not in MODES or kind not in ("words", "pairs"):
            raise ValueError(spec)
        return cls(mode, float(tau), int(max_terms), float(weight), bigrams=kind == "pairs")

    def settings(self) -> dict[str, object]:
        """The same as ACV_TERM_NEIGHBOURS* settings (acv/settings.py)."""
        return {"term_neighbours": self.mode, "term_neighbours_min_similarity": self.min_similarity,
                "term_neighbours_max_terms": self.max_terms, "term_neighbours_weight": self.weight,
                "term_neighbours_pairs": self.bigrams}


@dataclass(frozen=True, slots=True)
class Entry:
    text: str  # what is embedded (a surface word, or two)
    terms: tuple[str, ...]  # the analysed terms it stands for


def build_entries(texts: Iterable[str], analyzer: FrenchAnalyzer, doc_freqs: Mapping[str, int], min_df: int = 2,
                  bigrams: bool = False, max_entries: int = 20_000) -> list[Entry]:
    """The vocabulary: one entry per indexed term with chunk frequency ≥ `min_df` (its most frequent surface
    word in `texts`), and with `bigrams` each pair of adjacent words found in ≥ `min_df` of `texts`.

    Ordered by frequency (then text), at most `max_entries`. Words of fewer than three letters are left out.
    """
    surface: dict[str, Counter[str]] = {}
    pairs: Counter[tuple[str, str]] = Counter()
    pair_words: dict[tuple[str, str], Counter[str]] = {}
    for text in texts:
        words: list[tuple[str, str]] = []  # (word, term), stop words and numbers dropped, order kept
        for m in _WORD.finditer(text.lower()):
            word = m.group()
            terms = analyzer.terms(word) if len(word) >= 3 else []
            words.append((word, terms[0]) if len(terms) == 1 else ("", ""))
        for word, term in words:
            if term:
                surface.setdefault(term, Counter())[word] += 1
        if bigrams:
            seen: set[tuple[str, str]] = set()
            for (w1, t1), (w2, t2) in zip(words, words[1:]):
                if t1 and t2 and t1 != t2 and (t1, t2) not in seen:
                    seen.add((t1, t2))
                    pairs[(t1, t2)] += 1
                    pair_words.setdefault((t1, t2), Counter())[f"{w1} {w2}"] += 1
    scored: list[tuple[int, Entry]] = []
    for term, words in surface.items():
        df = int(doc_freqs.get(term, 0))
        if df >= min_df:
            scored.append((df, Entry(_most_common(words), (term,))))
    for pair, n in pairs.items():
        if n >= min_df and all(doc_freqs.get(t, 0) >= min_df for t in pair):
            scored.append((n, Entry(_most_common(pair_words[pair]), pair)))
    scored.sort(key=lambda e: (-e[0], e[1].text))
    return [e for _n, e in scored[:max_entries]]


def _most_common(words: Counter[str]) -> str:
    return min(words.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def query_units(query: str, analyzer: FrenchAnalyzer) -> list[str]:
    """What « words » mode embeds of a query: its content words and each pair of adjacent content words."""
    words = [m.group() for m in _WORD.finditer(query.lower()) if len(m.group()) >= 3 and analyzer.terms(m.group())]
    units = list(dict.fromkeys(words))
    units += [f"{a} {b}" for a, b in zip(words, words[1:])]
    return list(dict.fromkeys(units))


class TermNeighbours:
    """The vocabulary's vectors and the nearest-entry look-up; rebuilt when `version` changes."""

    def __init__(self, entries: Sequence[Entry], vectors: np.ndarray) -> None:
        self.entries = list(entries)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)

    def neighbours(self, query_vectors: np.ndarray, present: set[str], config: NeighbourConfig) -> dict[str, float]:
        """Terms of the entries nearest to any of `query_vectors` (rows), cosine ≥ threshold, best first, at most
        `max_terms` entries; entries whose terms are all in `present` are skipped. Values: the config's weight."""
        if not len(self.entries) or query_vectors.size == 0:
            return {}
        sims = np.atleast_2d(query_vectors) @ self.vectors.T
        best = sims.max(axis=0)
        order = np.argsort(-best, kind="stable")
        out: dict[str, float] = {}
        taken = 0
        for i in order:
            if best[i] < config.min_similarity or taken >= config.max_terms:
                break
            new = [t for t in self.entries[i].terms if t not in present and t not in out]
            if not new:
                continue
            taken += 1
            for t in new:
                out[t] = config.weight
        return out


class NeighbourIndex:
    """Builds `TermNeighbours` for a store on first use and again when the lexical index moves on."""

    def __init__(self, store: Store, analyzer: FrenchAnalyzer, embedder: Embedder,
                 doc_freqs: Callable[[], Mapping[str, int]], version: Callable[[], int]) -> None:
        self.store = store
        self.analyzer = analyzer
        self.embedder = embedder
        self._doc_freqs = doc_freqs
        self._version = version
        self._built: OrderedDict[tuple, TermNeighbours] = OrderedDict()  # by (version, vocabulary settings)
        self._unit_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, config: NeighbourConfig) -> TermNeighbours:
        key = (self._version(), config.min_df, config.bigrams, config.max_entries, config.sample)
        with self._lock:
            built = self._built.get(key)
            if built is not None:
                return built
            texts = self._sample_texts(config.sample)
            entries = build_entries(texts, self.analyzer, self._doc_freqs(), config.min_df, config.bigrams,
                                    config.max_entries)
            vectors = cached_vectors(self.embedder, self.store, [e.text for e in entries])
            neighbours = TermNeighbours(entries, vectors)
            self._built[key] = neighbours
            while len(self._built) > 2:
                self._built.popitem(last=False)
            return neighbours

    def expand(self, query: str, query_terms: Sequence[str], query_vector: np.ndarray | None,
               config: NeighbourConfig) -> dict[str, float]:
        """Added terms and their BM25 boost for one query."""
        if not config.enabled:
            return {}
        if config.mode == "query":
            if query_vector is None:
                return {}
            vectors = np.asarray(query_vector, dtype=np.float32)[None, :]
        else:
            vectors = self._units(query_units(query, self.analyzer))
        return self.get(config).neighbours(vectors, set(query_terms), config)

    def _units(self, units: list[str]) -> np.ndarray:
        """Passage vectors of the query's words and pairs, from a small in-memory cache."""
        with self._lock:
            missing = [u for u in units if u not in self._unit_vectors]
        fresh = self.embedder.embed_passages(missing) if missing else np.zeros((0, 0))
        with self._lock:
            for u, v in zip(missing, fresh):
                self._unit_vectors[u] = v
            while len(self._unit_vectors) > 4096:
                self._unit_vectors.popitem(last=False)
            rows = [self._unit_vectors.get(u) for u in units]
        rows = [r for r in rows if r is not None]
        return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)

    def _sample_texts(self, sample: int) -> list[str]:
        """Texts of at most `sample` passages spread evenly over the chunk ids."""
        ids = self.store.chunk_ids()
        if len(ids) > sample > 0:
            ids = ids[np.linspace(0, len(ids) - 1, sample).astype(np.int64)]
        out: list[str] = []
        ids_list = [int(i) for i in ids]
        for i in range(0, len(ids_list), 500):
            rows = self.store.chunks_with_documents(ids_list[i: i + 500])
            out.extend(str(rows[c]["text"] or "") for c in ids_list[i: i + 500] if c in rows)
        return out


def cached_vectors(embedder: Embedder, store: Store | None, texts: list[str]) -> np.ndarray:
    """Passage vectors of vocabulary entries, computed once per model and kept in the store's embedding cache."""
    return cached_passage_vectors(embedder, store, "vocabulary", texts)

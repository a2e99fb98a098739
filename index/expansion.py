"""Query expansion from the theme taxonomy (corpus/themes.yaml).

Paraphrases share few words with the passages that answer them (« un endroit
pour travailler à plusieurs » for a tiers-lieu). The query is matched to the
themes both by their words and by the embedding of each theme's label and
definition; the synonyms of the matched themes are then added to the lexical
query with a reduced weight, so BM25 can find « espace de travail partagé ».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.analysis import FrenchAnalyzer
from index.embedding_cache import cached_passage_vectors
from index.embedders.base import Embedder
from index.store import Store


@dataclass(slots=True)
class Expansion:
    themes: list[str]
    terms: list[str]


class ThemeExpander:
    def __init__(
        self,
        themes: Sequence[dict[str, Any]],
        analyzer: FrenchAnalyzer,
        embedder: Embedder | None,
        store: Store | None,
        min_similarity: float = 0.84,
        margin: float = 0.01,
    ) -> None:
        self.analyzer = analyzer
        self.min_similarity = min_similarity
        self.margin = margin
        self.ids = [t["id"] for t in themes]
        self.phrases: list[list[list[str]]] = []
        self.terms: list[list[str]] = []
        self.required: list[list[frozenset[str]]] = []
        for t in themes:
            phrases = [self.analyzer.terms(str(p)) for p in [t.get("label", ""), *t.get("synonyms", [])]]
            phrases = [p for p in phrases if p]
            self.phrases.append(phrases)
            # A phrase counts when all its words are typed; one word counts only if it has more than 4 letters.
            self.required.append([frozenset(p) for p in phrases if len(p) > 1 or len(p[0]) > 4])
            self.terms.append(list(dict.fromkeys(term for p in phrases for term in p)))
        self.vectors: np.ndarray | None = None
        if embedder is not None:
            texts = [f"{t.get('label', '')} : {t.get('definition', '')} ({', '.join(map(str, t.get('synonyms', [])[:8]))})"
                     for t in themes]
            self.vectors = cached_passage_vectors(embedder, store, "theme", texts)

    def expand(self, query_terms: Sequence[str], query_vector: np.ndarray | None) -> Expansion:
        present = set(query_terms)
        chosen: list[int] = []
        for i, required in enumerate(self.required):
            if any(words <= present for words in required):
                chosen.append(i)
        if query_vector is not None and self.vectors is not None and len(self.vectors):
            sims = self.vectors @ query_vector
            best = float(sims.max())
            if best >= self.min_similarity:
                chosen.extend(int(i) for i in np.flatnonzero(sims >= best - self.margin))
        chosen = list(dict.fromkeys(chosen))
        extra = [t for i in chosen for t in self.terms[i] if t not in present]
        return Expansion([self.ids[i] for i in chosen], list(dict.fromkeys(extra)))

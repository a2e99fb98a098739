"""A small learned arbiter for the document type, used only where no signal decides or the body's cues conflict.

The rules of `doctype` decide whenever a document says what it is (front matter, a « Type » field, its site's
section, a legal structure, a press rubric…). A page that says nothing of the kind used to fall to a fixed
guess (« communiqué »). There, a multinomial logistic regression over the same counts the rules look at plus
the words of the title and opening gives a better guess: it was cross-validated on the project's four labelled
sets, leaving one set out at a time (bench/type_classifier_cv.py, figures in bench/results/).

The weights are a small JSON (`type_model.json`) built by `scripts/train_type_model.py` with scikit-learn;
inference here needs only the standard library and numpy, so scikit-learn stays a build-time tool.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("type_model.json")
OPENING_CHARS = 3000
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def model_text(title: str | None, text: str) -> str:
    """What the word features read: the title and the opening of the text."""
    return f"{title or ''}\n{text[:OPENING_CHARS]}"


def analyse(text: str) -> list[str]:
    """Words and word pairs, lower case without accents (the analyzer given to scikit-learn when training)."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = _TOKEN.findall(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


class TypeModel:
    """Logistic regression over scaled signal counts and TF-IDF words, from its JSON weights."""

    def __init__(self, data: dict[str, Any]) -> None:
        import numpy as np

        self.classes: list[str] = list(data["classes"])
        self.signal_names: list[str] = list(data["signal_names"])
        self.signal_mean = np.asarray(data["signal_mean"], dtype=float)
        self.signal_scale = np.asarray(data["signal_scale"], dtype=float)
        self.vocabulary: dict[str, int] = {w: i for i, w in enumerate(data["vocabulary"])}
        self.idf = np.asarray(data["idf"], dtype=float)
        self.coef = np.asarray(data["coef"], dtype=float)
        self.intercept = np.asarray(data["intercept"], dtype=float)
        self.min_probability = float(data.get("min_probability", 0.5))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "TypeModel | None":
        try:
            return cls(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, KeyError):
            return None

    def probabilities(self, signals: dict[str, float], text: str) -> dict[str, float]:
        import numpy as np

        sig = np.array([float(signals.get(n, 0.0)) for n in self.signal_names])
        sig = (sig - self.signal_mean) / self.signal_scale
        words = np.zeros(len(self.vocabulary))
        for term, n in Counter(analyse(text)).items():
            j = self.vocabulary.get(term)
            if j is not None:
                words[j] = (1.0 + math.log(n)) * self.idf[j]
        norm = float(np.linalg.norm(words))
        if norm:
            words /= norm
        scores = self.coef @ np.concatenate([sig, words]) + self.intercept
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        return {c: float(p) for c, p in zip(self.classes, probs)}

    def predict(self, signals: dict[str, float], text: str,
                among: tuple[str, ...] | None = None) -> tuple[str, float] | None:
        """The most probable type (among `among`, probabilities renormalised) and its probability, or None
        below `min_probability`."""
        probs = self.probabilities(signals, text)
        if among:
            total = sum(probs.get(c, 0.0) for c in among) or 1.0
            probs = {c: probs.get(c, 0.0) / total for c in among}
        best = max(probs, key=lambda c: probs[c])
        return (best, probs[best]) if probs[best] >= self.min_probability else None


@lru_cache(maxsize=1)
def shipped_model() -> TypeModel | None:
    return TypeModel.load()

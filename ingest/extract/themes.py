"""The theme taxonomy (corpus/themes.yaml) and synonym matching.

Synonyms are matched on folded text (no accents, lower case) at word boundaries, with simple
plurals; all-capital acronyms ("ORT", "OPAH", "TER") are matched as written so that common
words ("ter", "élan") do not count.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ingest.extract.text import fold, trie_regex

_NO_PLURAL = frozenset(
    {"de", "du", "des", "la", "le", "les", "l", "d", "a", "au", "aux", "en", "et", "pour", "dans", "sur", "par", "avec",
     "centre", "ville", "gare", "ancien", "l'ancien", "commun", "mise", "marche", "location", "territoire",
     "l'habitat", "sommeil", "plein", "vent", "sauvegarde", "valeur", "soins", "sante", "musique", "art", "histoire"}
)


def _plural(word: str) -> str:
    if word in _NO_PLURAL or not word[-1:].isalpha() or word.endswith(("s", "x", "z")):
        return word
    if word.endswith("al"):
        return word[:-2] + "aux"
    if word.endswith(("eau", "eu")):
        return word + "x"
    return word + "s"


def _forms(synonym: str) -> set[str]:
    """Folded written forms of a synonym: as given, all words plural, first word plural."""
    base = re.sub(r"\s+", " ", fold(synonym).replace("-", " ")).strip()
    words = base.split(" ")
    forms = {base, " ".join(_plural(w) for w in words), " ".join([_plural(words[0]), *words[1:]])}
    return {f for f in forms if f}


def _is_acronym(s: str) -> bool:
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", s)
    return bool(letters) and letters.isupper() and len(s) <= 8


class Taxonomy:
    """Themes from YAML: `.themes` is a list of {id, label, definition, synonyms, axes}."""

    def __init__(self, themes: list[dict[str, Any]]) -> None:
        self.themes = themes
        self.ids = [t["id"] for t in themes]
        self._by_id = {t["id"]: t for t in themes}
        self._folded: dict[str, str] = {}  # folded form -> theme id
        self._acronyms: dict[str, str] = {}  # exact acronym -> theme id
        for t in themes:
            for syn in [t["label"], *t.get("synonyms", [])]:
                syn = str(syn)
                if _is_acronym(syn):
                    self._acronyms.setdefault(syn, t["id"])
                    continue
                for form in _forms(syn):
                    self._folded.setdefault(form, t["id"])
        self._regex = re.compile(r"(?<![\w])(?:" + trie_regex(self._folded) + r")(?![\w])")
        self._acro_regex = re.compile(r"(?<![\w])(?:" + trie_regex(self._acronyms) + r")(?![\w])")

    @classmethod
    def from_yaml(cls, path: Path) -> "Taxonomy":
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        themes = data["themes"] if isinstance(data, dict) else data
        return cls(themes)

    def get(self, theme_id: str) -> dict[str, Any] | None:
        return self._by_id.get(theme_id)

    def label(self, theme_id: str) -> str:
        t = self._by_id.get(theme_id)
        return t["label"] if t else theme_id

    def counts(self, text: str) -> dict[str, int]:
        """How many synonym matches each theme has in `text`."""
        out: dict[str, int] = {}
        folded = re.sub(r"[\-\s]+", " ", fold(text))
        for m in self._regex.finditer(folded):
            tid = self._folded[m.group(0)]
            out[tid] = out.get(tid, 0) + 1
        if self._acronyms:
            for m in self._acro_regex.finditer(text):
                tid = self._acronyms[m.group(0)]
                out[tid] = out.get(tid, 0) + 1
        return out

    def find(self, text: str) -> list[str]:
        """Theme ids named in `text`, in taxonomy order."""
        found = self.counts(text)
        return [t for t in self.ids if t in found]

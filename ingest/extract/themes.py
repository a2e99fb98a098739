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

from ingest.extract.text import Lexicon, case_tokens, rules_form


def _is_acronym(s: str) -> bool:
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", s)
    return bool(letters) and letters.isupper() and len(s) <= 8


class Taxonomy:
    """Themes from YAML: `.themes` is a list of {id, label, definition, synonyms, axes}."""

    def __init__(self, themes: list[dict[str, Any]]) -> None:
        self.themes = themes
        self.ids = [t["id"] for t in themes]
        self._by_id = {t["id"]: t for t in themes}
        self._acronyms: dict[str, str] = {}  # exact acronym -> theme id
        entries: list[tuple[str, str]] = []
        for t in themes:
            for syn in [t["label"], *t.get("synonyms", [])]:
                syn = str(syn)
                if _is_acronym(syn):
                    self._acronyms.setdefault(syn, t["id"])
                else:
                    entries.append((syn, t["id"]))
        self._lexicon = Lexicon(entries)
        self._acro = Lexicon(self._acronyms.items(), case_sensitive=True)

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

    def counts(self, text: str, toks: list[str] | None = None, ctoks: list[str] | None = None) -> dict[str, int]:
        """How many synonym matches each theme has in `text` (`toks` = its tokens, if already made)."""
        out: dict[str, int] = {}
        for _form, ids in self._lexicon.matches(toks if toks is not None else rules_form(text)):
            for tid in ids:
                out[tid] = out.get(tid, 0) + 1
        if self._acronyms:
            for _form, ids in self._acro.matches(ctoks if ctoks is not None else case_tokens(text)):
                for tid in ids:
                    out[tid] = out.get(tid, 0) + 1
        return out

    def find(self, text: str, toks: list[str] | None = None, ctoks: list[str] | None = None) -> list[str]:
        """Theme ids named in `text`, in taxonomy order (`toks`/`ctoks`: its folded/case tokens, if made)."""
        found = self.counts(text, toks, ctoks)
        return [t for t in self.ids if t in found]

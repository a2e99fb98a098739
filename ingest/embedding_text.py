"""What the dense model reads for a passage: the passage with its document title and section heading.

A passage cut out of a long document often no longer says what it is about (« Les résultats : 17
boutiques ouvertes… »); the title and the heading it sits under carry that context. Putting them in
front of the text that is embedded (not of the text that is shown or indexed by BM25) lets a
paraphrase that names the subject reach the passage. Changing this function changes every vector:
the corpus must be re-embedded: bump the scheme in `SCHEMES` and the next ingest re-embeds every
passage first (`acv reindex --vectors` does it at once).

`ACV_EMBEDDING_CONTEXT` (issue 16, bench/theme_context.py, off by default) may add the passage's own themes
of the controlled vocabulary (corpus/themes.yaml) after the passage, one line each: the label alone, the
label and its definition, or the label and a few synonyms the passage does not already use; so that a
question in everyday words may meet the theme's words. Each context has its own scheme: a store embedded
with one context is re-embedded when opened for ingest with another, never mixed.
Off: none of the three passed its rule on the tuning split (docs/BENCHMARKS.md, « Theme labels in the
embedded text »). Under a theme context, an edit of themes.yaml reaches the vectors only through
`acv reindex --vectors` (the scheme does not name the taxonomy's version).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.extract.text import rules_form, tokens

if TYPE_CHECKING:
    from ingest.extract.themes import Taxonomy

_MAX_CONTEXT_CHARS = 200

# One per value of `Settings.embedding_context`. Recorded in the store (meta « embedding_text »): a store whose
# vectors were made from another text is re-embedded before its next ingest, so old and new vectors never mix.
SCHEMES: dict[str, str] = {
    "title-section": "title-section/1",
    "themes": "title-section-themes/1",
    "themes-definitions": "title-section-theme-definitions/1",
    "themes-synonyms": "title-section-theme-synonyms/1",
}
CONTEXTS: tuple[str, ...] = tuple(SCHEMES)
DEFAULT_CONTEXT = "title-section"
EMBEDDING_TEXT_SCHEME = SCHEMES[DEFAULT_CONTEXT]

MAX_THEMES = 3  # a passage's most-mentioned themes, at most
MAX_SYNONYMS = 4  # per theme, in « themes-synonyms »


def embedding_scheme(context: str) -> str:
    """The scheme recorded in the store for vectors made with `context`."""
    return SCHEMES[context]


def contextual_embedding_text(text: str, section: str | None, title: str | None) -> str:
    """« title — section » on a first line when they add something, then the passage."""
    parts: list[str] = []
    for piece in (title, section):
        piece = " ".join((piece or "").split())
        if piece and piece not in parts and piece.casefold() not in text[:300].casefold():
            parts.append(piece[:_MAX_CONTEXT_CHARS])
    if not parts:
        return text
    return " — ".join(parts) + "\n" + text


def embedding_text_for(context: str, text: str, section: str | None, title: str | None,
                       taxonomy: Taxonomy | None) -> str:
    """The embedded text under `context`: the title-section text, then one line per theme of the passage."""
    base = contextual_embedding_text(text, section, title)
    if context == DEFAULT_CONTEXT or taxonomy is None:
        return base
    if context not in SCHEMES:
        raise ValueError(f"unknown embedding context: {context!r}")
    lines = theme_lines(context, text, section, title, taxonomy)
    return base + "".join("\n" + line for line in lines)


def passage_themes(text: str, taxonomy: Taxonomy, limit: int = MAX_THEMES) -> list[str]:
    """The passage's own themes (as ingest detects them), most matches first, ties in taxonomy order."""
    counts = taxonomy.counts(text)
    order = {tid: i for i, tid in enumerate(taxonomy.ids)}
    return sorted(counts, key=lambda tid: (-counts[tid], order[tid]))[:limit]


def theme_lines(context: str, text: str, section: str | None, title: str | None, taxonomy: Taxonomy) -> list[str]:
    """« Thème : … » lines of the passage's themes under `context`."""
    lines = []
    seen = _words(" ".join(filter(None, [title, section, text])))
    for tid in passage_themes(text, taxonomy):
        theme = taxonomy.get(tid) or {}
        label = str(theme.get("label") or tid)
        if context == "themes-definitions" and theme.get("definition"):
            lines.append(f"Thème : {label}. {theme['definition']}")
        elif context == "themes-synonyms":
            taken = _new_synonyms(theme, seen | _words(label))
            lines.append(f"Thème : {label} ({', '.join(taken)})" if taken else f"Thème : {label}")
        else:
            lines.append(f"Thème : {label}")
    return lines


def _new_synonyms(theme: dict, seen: set[str]) -> list[str]:
    """Up to MAX_SYNONYMS synonyms (YAML order, no acronyms) bringing a word not in `seen` (updated)."""
    taken: list[str] = []
    for syn in theme.get("synonyms") or []:
        syn = str(syn)
        letters = "".join(ch for ch in syn if ch.isalpha())
        if letters.isupper():  # ORT, OPAH-RU, MSAP: not everyday words
            continue
        words = _words(syn)
        if not words or words <= seen:
            continue
        taken.append(syn)
        seen |= words
        if len(taken) == MAX_SYNONYMS:
            break
    return taken


def _words(text: str) -> set[str]:
    """Folded words of 3 letters or more, a final s/x dropped (« crèches » and « creche » are one word)."""
    out = set()
    for tok in tokens(rules_form(text)):
        if len(tok) >= 3:
            out.add(tok[:-1] if len(tok) > 3 and tok[-1] in "sx" else tok)
    return out

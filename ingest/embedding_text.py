"""What the dense model reads for a passage: the passage with its document title and section heading.

A passage cut out of a long document often no longer says what it is about (« Les résultats : 17
boutiques ouvertes… »); the title and the heading it sits under carry that context. Putting them in
front of the text that is embedded (not of the text that is shown or indexed by BM25) lets a
paraphrase that names the subject reach the passage. Changing this function changes every vector:
bump `EMBEDDING_TEXT_SCHEME` and the next ingest re-embeds every passage first (`acv reindex --vectors`
does it at once).
"""

from __future__ import annotations

_MAX_CONTEXT_CHARS = 200

# Recorded in the store (meta « embedding_text »): a store whose vectors were made from another text is
# re-embedded before its next ingest, so old and new vectors never mix.
EMBEDDING_TEXT_SCHEME = "title-section/1"


def embedding_text(text: str, section: str | None, title: str | None) -> str:
    """« title — section » on a first line when they add something, then the passage."""
    parts: list[str] = []
    for piece in (title, section):
        piece = " ".join((piece or "").split())
        if piece and piece not in parts and piece.casefold() not in text[:300].casefold():
            parts.append(piece[:_MAX_CONTEXT_CHARS])
    if not parts:
        return text
    return " — ".join(parts) + "\n" + text

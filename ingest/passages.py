"""Which passages of a document are worth embedding, and how many of them a document may have.

A passage made of punctuation runs, base64 or one enormous token carries no
words: the model would spend seconds on it and nobody can find it by a
query. A document that yields more passages than the cap (a 20 MB page of a
repeated paragraph, a list of a million items) is cut at the cap, and says so.
Every decision comes back as a French note that the ingest report shows.
"""

from __future__ import annotations

import re

from acv.errors import UnreadableFileError
from acv.records import Chunk

# A "word" here is a whitespace-separated token of reasonable length holding a letter or a digit: prose,
# amounts and tables of figures pass; base64 lines, URLs glued together and a 5 MB token do not.
MAX_WORD_CHARS = 40
MIN_WORDS = 5
MIN_WORD_SHARE = 0.5

NO_WORDS_MESSAGE = (
    "Fichier ignoré : aucun passage ne contient de mots (ponctuation, code, données encodées ou jeton géant)."
)


def carries_words(text: str) -> bool:
    """True when the text has a few word-like tokens and they make most of it.

    An overlong token counts as `MAX_WORD_CHARS` characters against the words: a sentence followed by
    one giant token is kept (the sentence can be found), a page of punctuation runs is not. Regular
    expressions rather than a loop over tokens: 16,000 passages are judged in well under a second.
    """
    tokens = len(text.split())
    if tokens < MIN_WORDS:
        return False
    long_tokens = _LONG_TOKEN.findall(text)
    bare = _NO_ALNUM_TOKEN.findall(text)
    words = tokens - len(long_tokens) - len(bare)
    if words < MIN_WORDS:
        return False
    total = len(text) - len(_SPACE.findall(text))
    long_chars = sum(map(len, long_tokens))
    bare_chars = sum(len(t) for t in bare if len(t) <= MAX_WORD_CHARS)
    word_chars = total - long_chars - bare_chars
    counted = word_chars + MAX_WORD_CHARS * len(long_tokens) + bare_chars
    return word_chars >= MIN_WORD_SHARE * counted


_SPACE = re.compile(r"\s")
_LONG_TOKEN = re.compile(r"\S{%d,}" % (MAX_WORD_CHARS + 1))
_NO_ALNUM_TOKEN = re.compile(r"(?<!\S)(?:[^\w\s]|_)+(?!\S)")


def select_passages(chunks: list[Chunk], max_passages: int | None) -> tuple[list[Chunk], list[str]]:
    """The chunks to keep (renumbered 0..n-1) and the French notes on what was left out.

    Passages past the cap are not even judged (a degenerate file costs the cap, not its size).
    Raises UnreadableFileError when no chunk carries words.
    """
    notes: list[str] = []
    kept: list[Chunk] = []
    judged: dict[str, bool] = {}  # a repeated passage is judged once
    skipped = 0
    for chunk in chunks:
        if max_passages and len(kept) >= max_passages:
            break
        ok = judged.get(chunk.text)
        if ok is None:
            ok = judged[chunk.text] = carries_words(chunk.text)
        if ok:
            kept.append(chunk)
        else:
            skipped += 1
    if not kept:
        raise UnreadableFileError(NO_WORDS_MESSAGE, {"passages": len(chunks)})
    if skipped:
        notes.append(f"{_n(skipped)} passage{'s' if skipped > 1 else ''} sans mots (ponctuation, code, données "
                     f"encodées ou jeton géant) ignoré{'s' if skipped > 1 else ''}.")
    if max_passages and len(kept) + skipped < len(chunks):
        notes.append(passage_cap_message(len(chunks), max_passages))
    for ordinal, chunk in enumerate(kept):
        chunk.ordinal = ordinal
    return kept, notes


def passage_cap_message(found: int, cap: int) -> str:
    return (f"Document tronqué : seuls les {_n(cap)} premiers passages sur {_n(found)} sont indexés "
            f"(limite ACV_MAX_PASSAGES_PER_DOCUMENT).")


def _n(value: int) -> str:
    """A count written the French way (narrow no-break space between thousands)."""
    return f"{value:,}".replace(",", "\u202f")

"""What user text may contain: no control characters, no lone surrogates, and something to search.

Names and queries reach SQLite (which stores UTF-8: a lone surrogate cannot be encoded), Atom feeds (XML 1.0
forbids most control characters) and terminals. Whitespace controls (tab, newlines) become spaces; the other
control characters are removed; a lone surrogate or a noncharacter makes the text refused, since it was never
text (a broken client or a probe).
"""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 does not allow, whatever the escaping (§2.2 Char).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACE_CONTROLS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    return bool(_SURROGATE.search(text))


def without_controls(text: str) -> str:
    """`text` with whitespace controls turned into one space and the other control characters removed."""
    text = _SPACE_CONTROLS.sub(" ", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def xml_safe(text: str) -> str:
    """`text` with the characters XML 1.0 cannot carry removed (controls, lone surrogates, U+FFFE/U+FFFF)."""
    return _NOT_XML.sub("", text)


def searchable(text: str) -> bool:
    """Whether `text` has at least one letter or digit (anything else gives nothing to search)."""
    return any(ch.isalnum() for ch in text)

"""What is not the document's own content: page furniture and site chrome.

Running headers/footers of PDFs, page numbers, and the id/class/heading
patterns of web page chrome (cookie banners, menus, « À lire aussi »…) are
recognised here so that readers and the chunker agree on them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:(?:page|p\.)\s*)?[-–—]?\s*\d{1,4}\s*(?:(?:/|sur|of)\s*\d{1,4})?\s*[-–—]?\s*$", re.IGNORECASE
)
_EXPLICIT_PAGE_RE = re.compile(r"^\s*(?:page|p\.)\s*\d{1,4}\s*(?:(?:/|sur)\s*\d{1,4})?\s*$", re.IGNORECASE)

# id/class tokens of web page chrome; matched between separators so that « menu » does not hit « menuiserie ».
CHROME_RE = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent(?:ement)?|gdpr|rgpd|tarteaucitron|didomi|axeptio|banner|bandeau|"
    r"breadcrumbs?|fil-d?-?ariane|ariane|menu|navbar|nav|navigation|sidebar|side-bar|share|sharing|partage|"
    r"social|socials|reseaux-sociaux|related|a-lire-aussi|lire-aussi|voir-aussi|sur-le-meme-sujet|footer|"
    r"newsletter|skip-?links?|pagination|advert|ads|publicite|popup|modal)(?:$|[\s_-])",
    re.IGNORECASE,
)
RELATED_HEADING_RE = re.compile(
    r"^\W*(?:à lire aussi|a lire aussi|lire aussi|sur le même sujet|sur le meme sujet|voir aussi|"
    r"dans la même rubrique|articles? similaires|ces articles peuvent vous intéresser|pour aller plus loin)\W*$",
    re.IGNORECASE,
)
CHROME_LINES = frozenset(
    s.lower() for s in (
        "Partager", "Imprimer", "Partager la page", "Partager sur Facebook", "Partager sur Twitter",
        "Partager sur LinkedIn", "Envoyer par courriel", "Retour en haut de page", "Haut de page",
        "Lire la suite", "Facebook", "Twitter", "LinkedIn", "X", "Copier le lien", "Télécharger",
    )
)


class PositionedLine(Protocol):
    text: str
    top: bool  # among the first lines of its page (or in the top margin)
    bottom: bool  # among the last lines of its page (or in the bottom margin)


def line_key(text: str) -> str:
    """Compare furniture lines ignoring digits (page numbers, dates) and spacing."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.lower())).strip()


def is_page_number(text: str) -> bool:
    return PAGE_NUMBER_RE.match(text) is not None


def is_explicit_page_number(text: str) -> bool:
    """« Page 3 / 10 »: safe to drop anywhere on a page, unlike a bare « 3 »."""
    return _EXPLICIT_PAGE_RE.match(text) is not None


def repeated_furniture(pages: Sequence[Sequence[PositionedLine]], min_ratio: float = 0.5) -> set[str]:
    """Keys of lines found at the top or bottom of many pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        keys = {line_key(line.text) for line in lines if (line.top or line.bottom) and line.text.strip()}
        counts.update(keys)
    needed = max(2, int(len(pages) * min_ratio + 0.999))
    return {key for key, n in counts.items() if n >= needed}


def is_chrome_attr(value: str) -> bool:
    return CHROME_RE.search(value) is not None


def is_related_heading(text: str) -> bool:
    return RELATED_HEADING_RE.match(text.strip()) is not None


def is_chrome_line(text: str) -> bool:
    return text.strip().lower() in CHROME_LINES

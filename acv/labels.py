"""The words users read for the programme's fixed vocabularies: the five axes and the document types.

One table per vocabulary, used by every edge (facet labels of the API, badges and filters of the UI)
so that an axis is never named two ways.
"""

from __future__ import annotations

from dataclasses import dataclass

from acv.records import DOC_TYPES


@dataclass(frozen=True, slots=True)
class Axis:
    """One axis of Action cœur de ville, in the wording of the 2018 conventions and of the 2023–2026 phase."""

    number: int
    name: str  # the 2018 wording, as the conventions-cadres title their axes
    name_2023: str  # the 2023–2026 wording (axes 3 to 5 were renamed; 1 and 2 kept theirs)
    short: str  # a badge-sized name


AXES: dict[int, Axis] = {
    a.number: a
    for a in (
        Axis(1, "Réhabilitation-restructuration de l'habitat", "Réhabilitation-restructuration de l'habitat",
             "Habitat"),
        Axis(2, "Développement économique et commercial équilibré",
             "Développement économique et commercial équilibré", "Commerce et économie"),
        Axis(3, "Accessibilité, mobilité et connexions", "Développer des mobilités décarbonées",
             "Mobilité et connexions"),
        Axis(4, "Formes urbaines, espace public et patrimoine", "Aménager durablement l'espace urbain",
             "Espace public et patrimoine"),
        Axis(5, "Accès aux équipements et services publics", "Garantir un socle de services",
             "Équipements et services"),
    )
}
AXIS_LABELS: dict[int, str] = {n: a.name for n, a in AXES.items()}
# Words that name an axis in a labelled « Axe » field (« Axe : commerce », « Axes : habitat ; mobilité »),
# folded (no accents, lower case). The one table from a field's wording to the axes.
AXIS_FIELD_WORDS: dict[int, tuple[str, ...]] = {
    1: ("habitat", "logement", "logements", "rehabilitation restructuration de l'habitat"),
    2: ("developpement economique", "economique", "economie", "commerce", "commercial", "commerces", "artisanat"),
    3: ("accessibilite", "mobilite", "mobilites", "connexions", "deplacements", "transports"),
    4: ("formes urbaines", "espace public", "espaces publics", "patrimoine", "amenager durablement",
        "espace urbain", "cadre de vie", "paysage"),
    5: ("equipements", "services publics", "service public", "socle de services", "acces aux equipements",
        "equipements publics"),
}
AXIS_SHORT_LABELS: dict[int, str] = {n: a.short for n, a in AXES.items()}

DOC_TYPE_LABELS: dict[str, str] = {
    "convention": "Convention",
    "communique": "Communiqué",
    "bonne_pratique": "Bonne pratique",
    "autre": "Autre",
}
assert tuple(DOC_TYPE_LABELS) == DOC_TYPES


def axis_label(value: str | int) -> str:
    """'Axe 2 — Développement économique…' for a facet value; an unknown value is shown as it is."""
    text = str(value)
    if not text.isdigit():
        return text
    return f"Axe {text} — {AXIS_LABELS.get(int(text), '')}"


def axes_named_in(folded: str) -> list[int]:
    """The axes a labelled field names, by number (« Axe 2 », « 1 et 3 ») or by wording; `folded`: lower case,
    no accents, hyphens as spaces."""
    import re

    found = {int(n) for n in re.findall(r"(?<![\d,.])([1-5])(?![\d,.]|\s?(?:m|k)?€|\s?%)", folded)}
    for number, words in AXIS_FIELD_WORDS.items():
        if any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", folded) for w in words):
            found.add(number)
    return sorted(found)


def doc_type_label(value: str) -> str:
    return DOC_TYPE_LABELS.get(value, value)

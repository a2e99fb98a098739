"""Funders named in a text, under canonical names.

Canonical funders: "Banque des Territoires" (also Caisse des Dépôts, CDC), "Action Logement", "Anah",
"ANCT", "État", "Région", "Département", "FEDER" (European funds), "EPF" (établissement public foncier).
State programmes are returned twice, as "État" and under their own name ("DSIL", "DETR", "FNADT",
"Fonds vert", "Fonds friches"), so that a filter on "État" finds them and a reader still sees which
programme it is. The Cerema is technical support, not a funder, and is not returned.
"""

from __future__ import annotations

import re

from ingest.extract.text import Lexicon, case_tokens, rules_form, tokens

# Case-insensitive phrases (matched on folded text in one pass) -> canonical names.
_PHRASES: dict[tuple[str, ...], list[str]] = {
    ("Banque des Territoires",): ["Banque des Territoires", "Caisse des Dépôts", "Caisse des dépôts et consignations"],
    ("Action Logement",): ["Action Logement"],
    ("Anah",): ["Agence nationale de l'habitat"],
    ("ANCT",): ["Agence nationale de la cohésion des territoires"],
    ("État", "DSIL"): ["DSIL", "dotation de soutien à l'investissement local"],
    ("État", "DETR"): ["DETR", "dotation d'équipement des territoires ruraux"],
    ("État", "FNADT"): ["FNADT", "fonds national d'aménagement et de développement du territoire"],
    ("État", "Fonds vert"): ["Fonds vert", "fonds d'accélération de la transition écologique dans les territoires"],
    ("État", "Fonds friches"): ["fonds friches", "fonds de recyclage des friches"],
    ("État",): ["France Relance", "préfecture", "crédits de l'État", "crédits d'État", "dotation de l'État"],
    ("Région",): ["conseil régional"],
    ("Département",): ["conseil départemental"],
    ("FEDER",): ["FEDER", "Fonds européen de développement régional", "fonds européens", "Union européenne"],
    ("EPF",): ["établissement public foncier"],
}
# Case-sensitive acronyms, matched on the original text's tokens.
_ACRONYMS = {
    "CDC": "Banque des Territoires",
    "BDT": "Banque des Territoires",
    "ANAH": "Anah",
    "Anah": "Anah",
    "ANCT": "ANCT",
    "EPF": "EPF",
    "EPFL": "EPF",
    "EPFN": "EPF",
    "EPFLI": "EPF",
    "EPFIF": "EPF",
}
# "l'État", "la Région", "le Département" with a capital: lower-case "l'état des lieux" or "la région" in a
# prefect's title are not funders. Checked only when the folded word is present.
_CAPITALISED = {
    "etat": ("État", re.compile(r"[Ll]['’][ÉE]tat\b")),
    "region": ("Région", re.compile(r"(?:\b(?:la|La|par la|à la) R[ée]gion\b|\bR[ée]gion (?=[A-ZÎÉ]))")),
    "departement": ("Département", re.compile(r"\b(?:le|Le|du|par le|au) D[ée]partement\b")),
}
FUNDERS = ("Banque des Territoires", "Action Logement", "Anah", "ANCT", "État", "Région", "Département", "FEDER", "EPF")


class FunderMatcher:
    """Built once; `find` returns canonical names in a stable order."""

    def __init__(self) -> None:
        self._lexicon = Lexicon(((p, names) for names, phrases in _PHRASES.items() for p in phrases), plurals=False)
        self._order = {n: i for i, n in enumerate(FUNDERS)}

    def find(self, text: str, toks: list[str] | None = None, ctoks: list[str] | None = None) -> list[str]:
        found: set[str] = set()
        toks = toks if toks is not None else tokens(rules_form(text))
        for _form, payloads in self._lexicon.matches(toks):
            for names in payloads:
                found.update(names)
        toks = toks if toks is not None else tokens(rules_form(text))
        present = set(toks)
        for word, (name, rx) in _CAPITALISED.items():
            if name not in found and word in present and rx.search(text):
                found.add(name)
        for tok in ctoks if ctoks is not None else case_tokens(text):
            name = _ACRONYMS.get(tok)
            if name:
                found.add(name)
        return sorted(found, key=lambda n: (self._order.get(n, len(self._order)), n))

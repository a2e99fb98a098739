"""Funders named in a text, under canonical names.

Canonical funders: "Banque des Territoires" (also Caisse des Dépôts, CDC), "Action Logement", "Anah",
"ANCT", "État", "Région", "Département", "FEDER" (European funds), "EPF" (établissement public foncier).
State programmes are returned twice, as "État" and under their own name ("DSIL", "DETR", "FNADT",
"Fonds vert", "Fonds friches"), so that a filter on "État" finds them and a reader still sees which
programme it is. The Cerema is technical support, not a funder, and is not returned.
"""

from __future__ import annotations

import re

# (canonical names, pattern) — patterns run on the original text; case matters for short acronyms.
_RULES: list[tuple[tuple[str, ...], str, int]] = [
    (("Banque des Territoires",), r"\bBanque des [Tt]erritoires\b|\bCaisse des [Dd][ée]p[ôo]ts\b|\bCDC\b|\bBDT\b", 0),
    (("Action Logement",), r"\bAction[ \-][Ll]ogement\b", 0),
    (("Anah",), r"\bANAH\b|\bAnah\b|\bAgence nationale de l['’]habitat\b", 0),
    (("ANCT",), r"\bANCT\b|\bAgence nationale de la coh[ée]sion des territoires\b", 0),
    (("État", "DSIL"), r"\bDSIL\b|\bdotation de soutien [àa] l['’]investissement local\b", re.IGNORECASE),
    (("État", "DETR"), r"\bDETR\b|\bdotation d['’][ée]quipement des territoires ruraux\b", re.IGNORECASE),
    (("État", "FNADT"), r"\bFNADT\b", 0),
    (("État", "Fonds vert"), r"\b[Ff]onds [Vv]ert\b", 0),
    (("État", "Fonds friches"), r"\b[Ff]onds (?:de recyclage des )?[Ff]riches\b", 0),
    (("État",), r"\b[Ll]['’][ÉE]tat\b|\bFrance Relance\b|\bpr[ée]fecture\b", 0),
    (("Région",), r"\b[Cc]onseil r[ée]gional\b|\b(?:la |La |de la |par la |à la )R[ée]gion\b|\bR[ée]gion [A-ZÎÉ]", 0),
    (("Département",), r"\b[Cc]onseil d[ée]partemental\b|\b(?:le |Le |du |par le |au )D[ée]partement\b", 0),
    (("FEDER",), r"\bFEDER\b|\bFonds europ[ée]en de d[ée]veloppement r[ée]gional\b|\b[Ff]onds europ[ée]ens\b|\bUnion europ[ée]enne\b", 0),
    (("EPF",), r"\bEPF[A-Z]*\b|\b[ÉEée]tablissement public foncier\b", 0),
]
FUNDERS = ("Banque des Territoires", "Action Logement", "Anah", "ANCT", "État", "Région", "Département", "FEDER", "EPF")


class FunderMatcher:
    """Compiled once; `find` returns canonical names in a stable order."""

    def __init__(self) -> None:
        self._rules = [(names, re.compile(p, flags)) for names, p, flags in _RULES]

    def find(self, text: str) -> list[str]:
        found: list[str] = []
        for names, rx in self._rules:
            if rx.search(text):
                for n in names:
                    if n not in found:
                        found.append(n)
        order = {n: i for i, n in enumerate(FUNDERS)}
        return sorted(found, key=lambda n: (order.get(n, len(order)), n))

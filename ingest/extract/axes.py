"""The five ACV axes, from phrase rules in both wordings (2018 and 2023–2026).

Each rule is a folded phrase pattern with a weight; a chunk gets an axis when its evidence
reaches AXIS_THRESHOLD, or when it sits under an "Axe N" heading, or names "axe N" itself.
"""

from __future__ import annotations

import re

AXIS_THRESHOLD = 2

# Weight 2: the axis itself or a clearly specific subject; weight 1: supporting words.
_RULES: dict[int, list[tuple[str, int]]] = {
    1: [
        (r"habitat", 2), (r"logements?", 2), (r"opah(?: ru)?", 2), (r"anah", 2), (r"rehabilitation (?:de|des) logements", 2),
        (r"renovation (?:de l'|des |de )?(?:habitat|logements?|immeubles?)", 2), (r"denormandie", 2),
        (r"permis de louer", 2), (r"coproprietes?", 2), (r"habitat indigne|insalubr\w*|marchands? de sommeil", 2),
        (r"offre attractive de l'habitat", 3), (r"residentiel(?:le)?s?", 1), (r"proprietaires?", 1), (r"locataires?", 1),
        (r"bailleurs?(?: sociaux| social)?", 1), (r"immeubles?", 1), (r"accession a la propriete", 2),
        (r"renovation energetique", 1), (r"logements? vacants?", 2), (r"residences? (?:etudiantes?|seniors?)", 2),
        (r"action logement", 1), (r"ilots? degrades?", 2), (r"thirori|rhi|ori", 1),
    ],
    2: [
        (r"developpement economique(?: et commercial)?", 3), (r"commerces?", 2), (r"commerciale?s?|commerciaux", 2),
        (r"commercants?", 2), (r"artisan(?:at|s)?", 2), (r"vacance commerciale", 2), (r"boutiques?", 1),
        (r"fonciere", 1), (r"manager (?:de|du) (?:centre ville|commerce)", 2), (r"halles?|marche couvert", 1),
        (r"emplois?", 1), (r"entreprises?", 1), (r"economi(?:e|que)s?", 1), (r"tiers lieux?|coworking", 1),
        (r"vitrines?|devantures?", 1), (r"activites? economiques?", 2), (r"attractivite economique", 2),
        (r"locaux commerciaux|local commercial|cellules? commerciales?", 2), (r"tourisme|touristique", 1),
    ],
    3: [
        (r"accessibilite", 2), (r"mobilites?", 2), (r"connexions?", 1), (r"stationnement", 2), (r"parkings?", 2),
        (r"mobilites? (?:douces?|actives?|decarbonees?)", 3), (r"poles? d'echanges?(?: multimodal)?", 2),
        (r"velos?", 2), (r"pistes? cyclables?|cyclables?", 2), (r"transports? (?:en commun|collectifs?)", 2),
        (r"navettes?", 2), (r"bus", 1), (r"gare", 1), (r"circulation", 1), (r"pietons?|pietonn\w+", 1),
        (r"deplacements?", 2), (r"covoiturage|autopartage", 2), (r"intermodal\w*", 2), (r"desserte", 1),
        (r"plan de (?:circulation|mobilite|deplacements)", 2), (r"bornes? de recharge", 2), (r"voirie", 1),
        (r"tres haut debit|fibre optique|wifi", 1),
    ],
    4: [
        (r"formes? urbaines?", 3), (r"espaces? publics?", 2), (r"patrimoine|patrimonia\w+", 2), (r"facades?", 2),
        (r"vegetali\w+", 2), (r"ilots? de fraicheur", 2), (r"amenager durablement", 3), (r"paysag\w+", 1),
        (r"requalification", 1), (r"embellissement", 1), (r"trame verte|nature en ville|espaces? verts?", 2),
        (r"monuments? historiques?|secteur sauvegarde|site patrimonial remarquable|avap|psmv", 2),
        (r"centre ancien|centre historique", 1), (r"friches?", 2), (r"places? (?:du|de la|de l'|des|centrale)", 1),
        (r"parvis|esplanade|berges|quais?", 1), (r"mobilier urbain|eclairage public", 1), (r"renouvellement urbain", 1),
        (r"desimpermeabilis\w+|renaturation", 2), (r"cadre de vie", 1), (r"amenagement urbain|amenagements urbains", 2),
        (r"entrees? de ville", 2), (r"ravalement", 2), (r"urbanisme", 1), (r"jardins?|parcs?", 1),
    ],
    5: [
        (r"equipements? (?:et )?services publics", 3), (r"equipements? publics?", 2), (r"services? publics?", 2),
        (r"services? au public", 2), (r"maisons? de sante|centres? de sante|maison medicale|sante", 2),
        (r"mediatheques?|bibliotheques?", 2), (r"ecoles?|groupe scolaire|scolaires?", 2), (r"france services", 2),
        (r"socle de services", 3), (r"equipements? (?:culturels?|sportifs?|structurants?)", 2),
        (r"cinemas?|theatres?|musees?|conservatoires?|salles? de spectacles?", 2), (r"creches?", 2),
        (r"piscines?|gymnases?", 2), (r"equipements?", 1), (r"services", 1), (r"culturel(?:le)?s?|culture", 1),
    ],
}
_EXPLICIT = re.compile(r"\baxe\s*(?:n\s?°\s?|no\.?\s?)?([1-5])\b")
_AXIS_NAMES = {
    1: re.compile(r"offre attractive de l'habitat|\bhabitat\b"),
    2: re.compile(r"developpement economique et commercial"),
    3: re.compile(r"accessibilite,? mobilite|mobilites? decarbonees?"),
    4: re.compile(r"formes urbaines|amenager durablement"),
    5: re.compile(r"acces aux equipements|equipements et services publics|socle de services"),
}


class AxisMatcher:
    """Scores the five axes in a text; compiled once."""

    def __init__(self) -> None:
        # Longer patterns first so that "mobilites? douces?" wins over "mobilites?" at the same place.
        self._combined = {
            axis: re.compile(
                r"(?<![\w])(?:"
                + "|".join(f"(?P<r{i}>{p})" for i, (p, _w) in sorted(enumerate(rules), key=lambda x: -len(x[1][0])))
                + r")(?![\w])"
            )
            for axis, rules in _RULES.items()
        }
        self._weights = {axis: [w for _p, w in rules] for axis, rules in _RULES.items()}

    def scores(self, folded: str) -> dict[int, int]:
        """Evidence per axis in folded text (each distinct rule counts once, plus one per repeat, capped)."""
        out: dict[int, int] = {}
        for axis, rx in self._combined.items():
            seen: dict[int, int] = {}
            for m in rx.finditer(folded):
                idx = int(m.lastgroup[1:])  # type: ignore[index]
                seen[idx] = seen.get(idx, 0) + 1
            if seen:
                weights = self._weights[axis]
                out[axis] = sum(weights[i] + min(n - 1, 2) for i, n in seen.items())
        for m in _EXPLICIT.finditer(folded):
            axis = int(m.group(1))
            out[axis] = out.get(axis, 0) + 3
        return out

    @staticmethod
    def explicit(folded: str) -> set[int]:
        """Axes named explicitly ("Axe 2", or the axis' own wording), as in a heading."""
        found = {int(m.group(1)) for m in _EXPLICIT.finditer(folded)}
        for axis, rx in _AXIS_NAMES.items():
            if rx.search(folded):
                found.add(axis)
        return found

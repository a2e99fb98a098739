"""The five ACV axes, from phrase rules in both wordings (2018 and 2023–2026).

Each phrase has a weight (3: the axis' own wording, 2: a specific subject, 1: a supporting word,
0: a phrase that only stops a shorter one from matching, e.g. "Action Logement" is a funder, not
housing). A chunk gets an axis when its evidence reaches AXIS_THRESHOLD, when it sits under an
"Axe N" heading, or when it names "axe N" itself. Phrases are matched in one pass (see Lexicon).
"""

from __future__ import annotations

import re

from ingest.extract.text import Lexicon

AXIS_THRESHOLD = 2


def _phrases(text: str) -> list[str]:
    return [p.strip() for p in text.split(";") if p.strip()]


_PHRASES: dict[int, dict[int, list[str]]] = {
    1: {
        3: ["offre attractive de l'habitat"],
        2: _phrases(
            "habitat; logement; OPAH; OPAH-RU; réhabilitation de logements; réhabilitation des logements; "
            "rénovation de logements; rénovation des logements; rénovation de l'habitat; rénovation des "
            "immeubles; Denormandie; permis de louer; copropriété; habitat indigne; insalubre; insalubrité; "
            "marchand de sommeil; accession à la propriété; logement vacant; résidence étudiante; résidence "
            "senior; îlot dégradé"
        ),
        1: _phrases(
            "Anah; résidentiel; résidentielle; propriétaire; locataire; bailleur; bailleur social; immeuble; "
            "rénovation énergétique; THIRORI; RHI; ORI"
        ),
        0: ["Action Logement"],
    },
    2: {
        3: ["développement économique", "développement économique et commercial"],
        2: _phrases(
            "commerce; commercial; commerciale; commerçant; artisanat; artisan; vacance commerciale; manager "
            "de centre-ville; manager du commerce; activité économique; attractivité économique; local "
            "commercial; locaux commerciaux; cellule commerciale"
        ),
        1: _phrases(
            "boutique; foncière; halle; marché couvert; emploi; entreprise; économie; économique; tiers-lieu; "
            "tiers-lieux; coworking; vitrine; devanture; tourisme; touristique"
        ),
    },
    3: {
        3: _phrases(
            "mobilité douce; mobilité active; mobilités décarbonées; mobilité décarbonée; accessibilité, "
            "mobilité et connexions"
        ),
        2: _phrases(
            "accessibilité; mobilité; stationnement; parking; pôle d'échanges; pôle d'échanges multimodal; "
            "pôle d'échange multimodal; vélo; piste cyclable; cyclable; transport en commun; transports en "
            "commun; transport collectif; navette; déplacement; covoiturage; autopartage; intermodalité; "
            "intermodal; plan de circulation; plan de mobilité; plan de déplacements; borne de recharge; "
            "cycliste"
        ),
        1: _phrases(
            "connexion; bus; gare; circulation; piéton; piétonne; piétonnier; piétonnisation; desserte; "
            "voirie; très haut débit; fibre optique; wifi; liaison"
        ),
    },
    4: {
        3: ["formes urbaines", "aménager durablement"],
        2: _phrases(
            "espace public; patrimoine; patrimonial; patrimoniale; façade; végétalisation; végétaliser; "
            "végétalisé; végétalisée; îlot de fraîcheur; trame verte; nature en ville; espace vert; monument "
            "historique; secteur sauvegardé; site patrimonial remarquable; AVAP; PSMV; friche; "
            "désimperméabilisation; désimperméabiliser; renaturation; renaturer; aménagement urbain; entrée "
            "de ville; ravalement"
        ),
        1: _phrases(
            "paysager; paysagère; paysagé; requalification; embellissement; centre ancien; centre historique; "
            "place du; place de la; place de l'; place des; place centrale; parvis; esplanade; berge; quai; "
            "mobilier urbain; éclairage public; renouvellement urbain; cadre de vie; urbanisme; jardin; parc"
        ),
        0: ["mise en place", "en place", "sur place", "à la place", "parc de stationnement", "parc relais"],
    },
    5: {
        3: ["équipements et services publics", "socle de services", "accès aux équipements"],
        2: _phrases(
            "équipement public; service public; service au public; services au public; maison de santé; "
            "centre de santé; maison médicale; santé; médiathèque; bibliothèque; école; groupe scolaire; "
            "scolaire; France services; équipement culturel; équipement sportif; équipement structurant; "
            "cinéma; théâtre; musée; conservatoire; salle de spectacle; crèche; piscine; gymnase"
        ),
        1: ["équipement", "services", "culturel", "culturelle", "culture"],
    },
}
_EXPLICIT = re.compile(r"axe\s*(?:n\s?°\s?|no\.?\s?)?([1-5])\b")
_AXIS_NAMES = {
    1: re.compile(r"offre attractive de l'habitat|\bhabitat\b"),
    2: re.compile(r"developpement economique et commercial"),
    3: re.compile(r"accessibilite,? mobilite|mobilites? decarbonees?"),
    4: re.compile(r"formes urbaines|amenager durablement"),
    5: re.compile(r"acces aux equipements|equipements et services publics|socle de services"),
}


class AxisMatcher:
    """Scores the five axes in a text (a `rules_form` text); built once."""

    def __init__(self) -> None:
        entries = []
        self._rules: list[tuple[int, int]] = []  # rule id -> (axis, weight)
        for axis, by_weight in _PHRASES.items():
            for weight, phrases in by_weight.items():
                for phrase in phrases:
                    entries.append((phrase, len(self._rules)))
                    self._rules.append((axis, weight))
        self._lexicon = Lexicon(entries)

    def scores(self, folded: str, toks: list[str] | None = None) -> dict[int, int]:
        """Evidence per axis in one chunk: each phrase counts its weight once, plus one per repeat (at most two)."""
        seen: dict[int, int] = {}
        for _form, rule_ids in self._lexicon.matches(toks if toks is not None else folded):
            rid = rule_ids[0]
            seen[rid] = seen.get(rid, 0) + 1
        out: dict[int, int] = {}
        for rid, n in seen.items():
            axis, weight = self._rules[rid]
            if weight:
                out[axis] = out.get(axis, 0) + weight + min(n - 1, 2)
        if "axe" in folded:
            for m in _EXPLICIT.finditer(folded):
                axis = int(m.group(1))
                out[axis] = out.get(axis, 0) + 3
        return out

    def totals(self, folded: str) -> dict[int, int]:
        """Weighted evidence per axis over a whole document, every match counted."""
        out: dict[int, int] = {}
        for _form, rule_ids in self._lexicon.matches(folded):
            axis, weight = self._rules[rule_ids[0]]
            if weight:
                out[axis] = out.get(axis, 0) + weight
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

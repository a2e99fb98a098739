"""Document type: convention, communiqué, bonne pratique or autre.

Front matter `type` wins. Otherwise cues are scored on the title and the head of the text:
the legal structure of a convention ("entre les soussignés", "article 1", "fait à … le"),
press and news markers ("communiqué de presse", "Actualité", "Publié le"), and the wording of
experience sheets ("retour d'expérience", "fiche projet"). A page that does not speak of the
programme at all, or speaks mostly of another programme, is "autre".
"""

from __future__ import annotations

import re
from typing import Any

from ingest.extract.text import fold

_TYPE_ALIASES = {
    "convention": "convention", "convention-cadre": "convention", "convention cadre": "convention", "avenant": "convention",
    "communique": "communique", "communique de presse": "communique", "actualite": "communique", "actualites": "communique",
    "presse": "communique", "news": "communique", "article": "communique",
    "bonne_pratique": "bonne_pratique", "bonne pratique": "bonne_pratique", "bonne-pratique": "bonne_pratique",
    "bonnes pratiques": "bonne_pratique", "retour d'experience": "bonne_pratique", "fiche projet": "bonne_pratique",
    "autre": "autre", "other": "autre",
}


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(patterns) + r")(?![\w])")


_CONVENTION_TITLE = _rx(r"convention(?: |-)?cadre", r"avenant(?: n ?°? ?\d+)?", r"convention (?:d'|de l'|d )?(?:operation de revitalisation|ort)",
                        r"convention (?:pluriannuelle|action coeur de ville)", r"convention")
_LEGAL = _rx(
    r"entre les soussignes", r"ci apres (?:denomme|designe|appele)e?s?", r"il (?:est|a ete) convenu", r"d'une part",
    r"d'autre part", r"article (?:1|premier|1er)", r"vu le code", r"vu la loi", r"les parties", r"signataires?",
    r"en \w+ exemplaires", r"fait a [^\n]{1,60}le", r"objet de la convention", r"duree de la convention",
    r"la presente convention", r"le present avenant", r"comite de projet", r"engagements? des partenaires",
)
_PRESS = _rx(
    r"communique de presse", r"communique", r"contact(?:s)? presse", r"dossier de presse", r"info presse",
    r"service de presse", r"relations presse", r"actualites?", r"publie le", r"mise a jour ?:?", r"mis en ligne le",
    r"a la une", r"toute l'actualite",
)
_PRACTICE = _rx(
    r"retours? d'experiences?", r"bonnes? pratiques?", r"fiches? projets?", r"fiches? experiences?", r"ils l'ont fait",
    r"exemples? inspirants?", r"projets? exemplaires?", r"facteurs? (?:cles )?de (?:succes|reussite)", r"cles de (?:la )?reussite",
    r"points? de vigilance", r"enseignements", r"ce qu'il faut retenir", r"pour aller plus loin", r"porteurs? (?:du|de) projet",
    r"contexte et enjeux", r"la demarche", r"les resultats", r"partage d'experience",
)
_ACV = _rx(r"action coeur de ville", r"coeur de ville", r"acv", r"operation de revitalisation de territoire", r"ort",
           r"revitalisation (?:du|des|de) centres? villes?", r"villes moyennes")
_OTHER_PROGRAMMES = _rx(r"petites villes de demain", r"territoires d'industrie", r"villages d'avenir",
                        r"quartiers prioritaires", r"npnru", r"renouvellement urbain de l'anru")


def _norm(text: str) -> str:
    return re.sub(r"[\s\-’]+", lambda m: "'" if m.group(0) == "’" else " ", fold(text))


def doc_type(title: str | None, text: str, meta: dict[str, Any]) -> str:
    """One of convention, communique, bonne_pratique, autre."""
    fm = meta.get("front_matter") or {}
    if isinstance(fm, dict) and fm.get("type"):
        t = _TYPE_ALIASES.get(fold(str(fm["type"])).replace("_", " ").strip()) or _TYPE_ALIASES.get(str(fm["type"]))
        if t:
            return t
    t_title = _norm(title or "")
    head = _norm(text[:2500])
    body = _norm(text)
    html = meta.get("html") or {}

    acv_hits = len(_ACV.findall(body))
    other_hits = len(_OTHER_PROGRAMMES.findall(body))
    if acv_hits == 0 or other_hits > acv_hits:
        return "autre"

    legal = len(set(_LEGAL.findall(body)))
    if _CONVENTION_TITLE.search(t_title) or _CONVENTION_TITLE.search(head[:300]):
        if legal >= 2 or re.match(r"\s*(?:convention|avenant)", t_title or head[:300]):
            return "convention"
    if legal >= 4:
        return "convention"

    practice = len(set(_PRACTICE.findall(head))) + 2 * len(_PRACTICE.findall(t_title))
    press = len(set(_PRESS.findall(head))) + 2 * len(_PRESS.findall(t_title))
    if html.get("og:type") == "article" or html.get("article:published_time"):
        press += 1
    if html.get("dates_text"):
        press += 1
    if practice >= 2 and practice >= press:
        return "bonne_pratique"
    if press >= 1:
        return "communique"
    if practice >= 1:
        return "bonne_pratique"
    return "communique"  # a page about the programme with no other cue is a news item

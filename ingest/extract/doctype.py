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

from acv.records import ParsedDocument
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
# Rubric labels ("kickers") a site prints above the title, and the PDF subject: strong cues.
_PRESS_RUBRIC = _rx(r"communiques? de presse", r"communique", r"actualites?", r"a la une", r"presse", r"info presse", r"breve")
_PRACTICE_RUBRIC = _rx(
    r"retours? d'experiences?", r"bonnes? pratiques?", r"fiches? (?:bonne pratique|projets?|experiences?)",
    r"ils l'ont fait", r"exemples? inspirants?", r"projets? exemplaires?", r"cahiers? de la revitalisation",
)
_PRESS = _rx(
    r"contact(?:s)? presse", r"dossier de presse", r"service de presse", r"relations presse", r"publie le",
    r"mise a jour ?:?", r"mis en ligne le",
)
# Section headings of an experience sheet.
_PRACTICE_HEADINGS = _rx(
    r"(?:le |les )?constats?", r"(?:la )?realisation", r"(?:les )?(?:premiers )?resultats", r"ce que nous retenons",
    r"ce qu'il faut retenir", r"(?:les )?enseignements", r"(?:le )?probleme a resoudre", r"(?:le )?montage",
    r"(?:le )?contexte(?: et enjeux)?", r"(?:la )?demarche", r"points? de vigilance", r"facteurs? (?:cles )?de (?:succes|reussite)",
    r"(?:les )?cles de (?:la )?reussite", r"(?:le )?projet", r"(?:les )?objectifs", r"(?:le )?mode d'intervention",
    r"pour aller plus loin", r"(?:les )?chiffres cles", r"(?:les )?acteurs", r"(?:le )?bilan", r"(?:les )?etapes",
)
_ACV = _rx(r"action coeur de ville", r"acv", r"operations? de revitalisation de territoire", r"ort",
           r"villes moyennes", r"convention cadre")
_HEART = _rx(r"coeur de ville", r"coeurs de ville")
_OTHER_PROGRAMMES = _rx(r"petites villes de demain", r"territoires d'industrie", r"villages d'avenir",
                        r"quartiers prioritaires", r"npnru", r"renouvellement urbain de l'anru")


def _norm(text: str) -> str:
    return re.sub(r"[\s\-’]+", lambda m: "'" if m.group(0) == "’" else " ", fold(text))


def doc_type(title: str | None, doc: ParsedDocument, meta: dict[str, Any] | None = None) -> str:
    """One of convention, communique, bonne_pratique, autre."""
    meta = meta if meta is not None else (doc.meta or {})
    fm = meta.get("front_matter") or {}
    if isinstance(fm, dict) and fm.get("type"):
        t = _TYPE_ALIASES.get(fold(str(fm["type"])).replace("_", " ").strip()) or _TYPE_ALIASES.get(str(fm["type"]))
        if t:
            return t
    blocks = list(getattr(doc, "blocks", None) or [])
    t_title = _norm(title or "")
    body = _norm(doc.text)
    html = meta.get("html") or {}
    pdf = meta.get("pdf") or {}

    acv_hits = len(_ACV.findall(body)) + len(_HEART.findall(body)) // 2
    other_title = bool(_OTHER_PROGRAMMES.search(t_title)) and not _ACV.search(t_title)
    if acv_hits == 0 or other_title or len(_OTHER_PROGRAMMES.findall(body)) > acv_hits:
        return "autre"

    legal = len(set(_LEGAL.findall(body)))
    if legal >= 4 or (legal >= 2 and re.match(r"\s*(?:convention|avenant)", t_title)):
        return "convention"

    # Rubrics: short blocks before the first paragraph of running text, and the PDF subject.
    rubrics = [_norm(str(pdf.get("subject") or ""))]
    for b in blocks[:4]:
        if len(b.text) <= 60 and b.kind != "heading":
            rubrics.append(_norm(b.text))
    rubric = " | ".join(rubrics)
    headings = [_norm(b.text) for b in blocks if b.kind == "heading" and len(b.text) <= 60]
    head = _norm(doc.text[:2500])

    practice = 3 * bool(_PRACTICE_RUBRIC.search(rubric) or _PRACTICE_RUBRIC.search(t_title))
    practice += sum(1 for h in headings if _PRACTICE_HEADINGS.fullmatch(h.strip(" :.")))
    press = 3 * bool(_PRESS_RUBRIC.search(rubric))
    press += len(set(_PRESS.findall(head)))
    if html.get("og:type") == "article" or html.get("article:published_time"):
        press += 1
    if practice >= 3 and practice > press:
        return "bonne_pratique"
    if press >= 1:
        return "communique"
    if practice >= 2:
        return "bonne_pratique"
    return "communique"  # a page about the programme with no other cue is a news item

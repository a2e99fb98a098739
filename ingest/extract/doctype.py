"""Document type: convention, communiqué, bonne pratique or autre.

Front matter `type` wins. Otherwise cues are scored on the title and the head of the text:
the legal structure of a convention ("entre les soussignés", "article 1", "fait à … le"),
press and news markers ("communiqué de presse", "Actualité", "Publié le"), and the wording of
experience sheets ("retour d'expérience", "fiche projet"). A page that does not speak of the
programme at all, or speaks mostly of another programme, is "autre".

Experience sheets are also recognised from their structure alone: section headings such as
« Le contexte », « Résultats », « Enseignements », « Ce qu'il faut retenir », whether the reader
kept them as headings (HTML, Markdown) or they arrive glued to the start of a paragraph, as in text
pulled out of a PDF (« Résultats La part des élèves… », « Le contexte : un site… »).
"""

from __future__ import annotations

import re
from typing import Any

from acv.records import ParsedDocument
from ingest.extract.text import fold, rules_form

_TYPE_ALIASES = {
    "convention": "convention",
    "convention-cadre": "convention",
    "convention cadre": "convention",
    "avenant": "convention",
    "communique": "communique",
    "communique de presse": "communique",
    "actualite": "communique",
    "actualites": "communique",
    "presse": "communique",
    "news": "communique",
    "article": "communique",
    "bonne_pratique": "bonne_pratique",
    "bonne pratique": "bonne_pratique",
    "bonne-pratique": "bonne_pratique",
    "bonnes pratiques": "bonne_pratique",
    "retour d'experience": "bonne_pratique",
    "fiche projet": "bonne_pratique",
    "autre": "autre",
    "other": "autre",
}


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(patterns) + r")(?![\w])")


_CONVENTION_TITLE = _rx(
    r"convention(?: |-)?cadre",
    r"avenant(?: n ?°? ?\d+)?",
    r"convention (?:d'|de l'|d )?(?:operation de revitalisation|ort)",
    r"convention (?:pluriannuelle|action coeur de ville)",
    r"convention",
)
_LEGAL = _rx(
    r"entre les soussignes",
    r"ci apres (?:denomme|designe|appele)e?s?",
    r"il (?:est|a ete) convenu",
    r"d'une part",
    r"d'autre part",
    r"article (?:1|premier|1er)",
    r"vu le code",
    r"vu la loi",
    r"les parties",
    r"signataires?",
    r"en \w+ exemplaires",
    r"fait a [^\n]{1,60}le",
    r"objet de la convention",
    r"duree de la convention",
    r"la presente convention",
    r"le present avenant",
    r"comite de projet",
    r"engagements? des partenaires",
    r"preambule",
    r"fiches? actions?",
)
# Rubric labels ("kickers") a site prints above the title, and the PDF subject: strong cues.
_PRESS_RUBRIC = _rx(
    r"communiques? de presse", r"communique", r"actualites?", r"a la une", r"presse", r"info presse", r"breve"
)
_PRACTICE_RUBRIC = _rx(
    r"retours? d'experiences?",
    r"bonnes? pratiques?",
    r"fiches? (?:bonne pratique|projets?|experiences?)",
    r"ils l'ont fait",
    r"exemples? inspirants?",
    r"projets? exemplaires?",
    r"cahiers? de la revitalisation",
)
_PRESS = _rx(
    r"contact(?:s)? presse",
    r"dossier de presse",
    r"service de presse",
    r"relations presse",
    r"publie le",
    r"mise a jour ?:?",
    r"mis en ligne le",
)
# Section headings of an experience sheet (matched at the start of a heading); the lessons weigh double.
_PRACTICE_HEADINGS = re.compile(
    r"^(?:le |la |les |l')?(?:constats?|realisations?|(?:premiers )?resultats|probleme a resoudre|montage|contexte|"
    r"demarche|projet|objectifs|mode d'intervention|pour aller plus loin|chiffres|acteurs|bilan|etapes|"
    r"ce qui a ete (?:fait|realise|mis en place)|comment ca marche|pourquoi|cout et financeurs|calendrier|"
    r"porteurs? de projet|partenaires|moyens|point de depart|solution retenue|probleme|mise en oeuvre|"
    r"deroulement|ce que la ville a fait|comment la ville a procede)\b"
)
_LESSON_HEADINGS = re.compile(
    r"^(?:le |la |les |l')?(?:enseignements|lecons|ce que nous retenons|ce qu'il faut retenir|points? de vigilance|"
    r"cles de (?:la )?reussite|facteurs? (?:cles )?de (?:succes|reussite)|conseils|recommandations|"
    r"a retenir|ce que nous (?:en )?retenons|ce que nous conseillons|ce qui a (?:moins bien )?marche|"
    r"ce qui n'a pas marche|lecons tirees)\b"
)
# A heading glued to its paragraph (text from PDFs): the heading words, then a colon or a capital.
_GLUED_END = re.compile(r"\s*(?::|[-–—]\s|\s(?=[A-ZÀÂÉÈÊÎÔÛÇ0-9]))")
_PRACTICE_TITLE = _rx(r"bilan", r"retour sur", r"comment", r"lecons")
_CONTACT_LINE = re.compile(r"(?:^|\n)contact ?:(?! ?presse)")
_ACV = _rx(
    r"action coeur de ville",
    r"acv",
    r"operations? de revitalisation de territoire",
    r"ort",
    r"villes moyennes",
    r"convention cadre",
    r"revitalis\w+",
    r"redynamis\w+",
)
_HEART = _rx(r"coeur de ville", r"coeurs de ville")
_OTHER_PROGRAMMES = _rx(
    r"petites villes de demain",
    r"territoires d'industrie",
    r"villages d'avenir",
    r"quartiers prioritaires",
    r"npnru",
    r"renouvellement urbain de l'anru",
)


def _norm(text: str) -> str:
    return rules_form(text)


def _glued_headings(text: str) -> list[str]:
    """Section headings at the start of a paragraph or of one of its sentences (PDF text keeps no heading
    blocks): « Résultats La part… », « Le contexte : un site… ». The heading must be followed by a colon,
    a dash or a capitalised word, so that « Le projet a coûté… » is not taken for one."""
    out = []
    for part in re.split(r"(?<=[.;!?])\s+", text)[:12]:
        head = _norm(part[:60])
        m = _PRACTICE_HEADINGS.match(head) or _LESSON_HEADINGS.match(head)
        if not m:
            continue
        words = len(head[: m.end()].split())
        rest = part.split(maxsplit=words)
        tail = " " + rest[words] if len(rest) > words else ""
        if tail and _GLUED_END.match(tail if tail.lstrip()[:1] != ":" else tail.lstrip()):
            out.append(head[: m.end()])
    return out


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
    if legal >= 4 or (legal >= 1 and re.match(r"\s*(?:convention|avenant)", t_title)):
        return "convention"

    # Rubrics: short blocks above the text, the opening words of the first paragraph, the PDF subject.
    rubrics = [_norm(str(pdf.get("subject") or ""))]
    paragraphs = 0
    for b in blocks[:5]:
        if b.kind == "heading" and len(b.text) > 40:
            continue  # the title, not a rubric
        rubrics.append(_norm(b.text[:80]))
        paragraphs += len(b.text) > 80
        if paragraphs >= 2:
            break
    rubric = " | ".join(rubrics)
    headings = [_norm(b.text).strip(" :.?!") for b in blocks if b.kind == "heading" and len(b.text) <= 80]
    headings += [h for b in blocks if b.kind != "heading" for h in _glued_headings(b.text)]
    head = _norm(doc.text[:2500])

    # A long heading opening with the rubric (« Bonne pratique : la friche… ») counts as a rubric too.
    lead = [_norm(b.text[:40]) for b in blocks[:3] if b.kind == "heading"]
    practice = 3 * bool(_PRACTICE_RUBRIC.search(rubric) or _PRACTICE_RUBRIC.search(t_title)
                        or any(_PRACTICE_RUBRIC.match(x.strip()) for x in lead))
    practice += sum(1 for h in headings if _PRACTICE_HEADINGS.match(h))
    practice += 2 * sum(1 for h in headings if _LESSON_HEADINGS.match(h))
    practice += bool(_PRACTICE_TITLE.search(t_title)) + bool(_CONTACT_LINE.search(body))
    press = 3 * bool(_PRESS_RUBRIC.search(rubric))
    press += len(set(_PRESS.findall(head))) + bool(
        re.search(r"contacts? presse|service de presse|relations presse", body)
    )
    if html.get("og:type") == "article" or html.get("article:published_time"):
        press += 1
    if practice >= 3 and practice > press:
        return "bonne_pratique"
    if press >= 1:
        return "communique"
    if practice >= 2:
        return "bonne_pratique"
    return "communique"  # a page about the programme with no other cue is a news item

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

import math
import re
from dataclasses import dataclass, field
from typing import Any

from acv.records import ParsedDocument
from ingest.extract.signals import PROJECT_FIELDS, Signal, dated_press_rubric, labelled_fields, self_description, votes
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
# The name of this software (« acv-kb ») is not a mention of the programme.
_PROJECT_NAME = re.compile(r"\bacv kb\b")
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


@dataclass(slots=True)
class TypeDecision:
    """The type and the signals that decided it (shown by `acv docs --explain`)."""

    doc_type: str
    decided_by: list[Signal] = field(default_factory=list)
    seen: list[Signal] = field(default_factory=list)  # every self-description signal, decisive or not
    stage: str = "declared"  # declared, off_topic, legal, self_description, body or default
    scores: dict[str, int] = field(default_factory=dict)  # the body scores, where the body decided

    def explain(self) -> dict[str, Any]:
        return {"type": self.doc_type, "decide_par": [s.to_json() for s in self.decided_by],
                "autres_indices": [s.to_json() for s in self.seen if s not in self.decided_by]}


def doc_type(title: str | None, doc: ParsedDocument, meta: dict[str, Any] | None = None) -> str:
    """One of convention, communique, bonne_pratique, autre."""
    return decide_type(title, doc, meta).doc_type


# Self-description votes that settle the type without looking at the running text (a strong signal, or two).
_SELF_DECISIVE = 3
_PROJECT_BOX_POINTS = 2


# A page that never names the programme is still about it when its text is full of the programme's subjects
# (axis vocabulary and themes, as `Extractor` counts them) or when it is laid out as a good-practice sheet.
TOPIC_MIN_AXIS_EVIDENCE = 12
TOPIC_MIN_THEME_MENTIONS = 4


def decide_type(title: str | None, doc: ParsedDocument, meta: dict[str, Any] | None = None,
                fields: list[tuple[str, str, str]] | None = None,
                topic: tuple[int, int] | None = None, model: Any = None) -> TypeDecision:
    """The type, from what the document says about itself first, then from the structure of its text.

    Order: a front-matter or labelled « Type » field; a page that is not about the programme; the legal
    structure of a convention; the page's own description (title suffix, breadcrumb, rubric, keywords,
    address, PDF subject) when it is clear; the structure of the body (fiche headings, project box, press cues).
    `topic`: (axis evidence, theme mentions) of the text, which keep a page that never names the programme
    but speaks of its subjects out of `autre`. `model`: the learned arbiter (default: the shipped one; False:
    none, the rules' fixed guess).
    """
    meta = meta if meta is not None else (doc.meta or {})
    fm = meta.get("front_matter") or {}
    if isinstance(fm, dict) and fm.get("type"):
        t = _TYPE_ALIASES.get(fold(str(fm["type"])).replace("_", " ").strip()) or _TYPE_ALIASES.get(str(fm["type"]))
        if t:
            return TypeDecision(t, [Signal("front_matter", str(fm["type"]), t, 9)])
    fields = fields if fields is not None else labelled_fields(doc)
    for key, label, value in fields:
        if key == "type":
            t = _TYPE_ALIASES.get(_norm(value).strip(" .")) or _type_in(value)
            if t:
                return TypeDecision(t, [Signal("field", f"{label} : {value}", t, 9)])
    seen = self_description(doc, title)
    ballot = votes(seen)
    blocks = list(getattr(doc, "blocks", None) or [])
    t_title = _norm(title or "")
    body = _norm(doc.text)
    html = meta.get("html") or {}
    pdf = meta.get("pdf") or {}

    # Is the page about the programme? Its text, and what it says of itself (title, keywords, box).
    described = _norm(" ".join(str(x) for x in (html.get("title"), html.get("keywords"), html.get("breadcrumb"),
                                                 pdf.get("subject")) if x))
    body_acv = _PROJECT_NAME.sub(" ", body)
    acv_hits = len(_ACV.findall(body_acv)) + len(_HEART.findall(body_acv)) // 2 + len(_ACV.findall(described))
    heart_hits = len(_HEART.findall(body_acv))
    other_title = bool(_OTHER_PROGRAMMES.search(t_title)) and not _ACV.search(t_title)
    practice_self = ballot.get("bonne_pratique", 0)
    if other_title or len(_OTHER_PROGRAMMES.findall(body)) > max(acv_hits, heart_hits):
        return TypeDecision("autre", [Signal("other_programme", title or "", "autre", 3)], seen, "off_topic")
    headings = [_norm(b.text).strip(" :.?!") for b in blocks if b.kind == "heading" and len(b.text) <= 80]
    headings += [h for b in blocks if b.kind != "heading" for h in _glued_headings(b.text)]
    fiche = [h for h in headings if _PRACTICE_HEADINGS.match(h)]
    lessons = [h for h in headings if _LESSON_HEADINGS.match(h)]
    if acv_hits == 0 and not (heart_hits and practice_self >= _SELF_DECISIVE):
        axis_evidence, theme_mentions = topic or (0, 0)
        box = {k for k, _l, _v in fields if k in PROJECT_FIELDS}
        on_topic = axis_evidence >= TOPIC_MIN_AXIS_EVIDENCE and theme_mentions >= TOPIC_MIN_THEME_MENTIONS
        sheet = len(fiche) + 2 * len(lessons) >= 2  # laid out as a good-practice sheet (two of its parts)
        if not (on_topic or sheet or practice_self >= _SELF_DECISIVE or len(box) >= 2):
            return TypeDecision("autre", [Signal("not_about_programme", "", "autre", 3)], seen, "off_topic")
        if on_topic:
            seen = [*seen, Signal("topic", f"{axis_evidence} indices d'axes, {theme_mentions} mentions de thèmes",
                                  "hors autre", 0)]

    legal_found = sorted(set(_LEGAL.findall(body)))
    legal = len(legal_found)
    if legal >= 4 or (legal >= 1 and re.match(r"\s*(?:convention|avenant)", t_title)):
        return TypeDecision("convention", [Signal("legal", ", ".join(legal_found[:6]), "convention", legal)], seen,
                            "legal")

    # The page's own description, when it is clear: one strong signal, or agreeing weaker ones.
    press_self = ballot.get("communique", 0)
    if practice_self >= _SELF_DECISIVE and practice_self > press_self:
        return TypeDecision("bonne_pratique", [s for s in seen if s.points_to == "bonne_pratique"], seen,
                            "self_description")
    if press_self >= _SELF_DECISIVE and press_self > practice_self:
        return TypeDecision("communique", [s for s in seen if s.points_to == "communique"], seen, "self_description")

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
    head = _norm(doc.text[:2500])

    # A long heading opening with the rubric (« Bonne pratique : la friche… ») counts as a rubric too.
    lead = [_norm(b.text[:40]) for b in blocks[:3] if b.kind == "heading"]
    body_signals: list[Signal] = []
    practice_rubric = _PRACTICE_RUBRIC.search(rubric) or _PRACTICE_RUBRIC.search(t_title) \
        or next((m for x in lead if (m := _PRACTICE_RUBRIC.match(x.strip()))), None)
    practice = 3 * bool(practice_rubric)
    if practice_rubric:
        body_signals.append(Signal("rubric", practice_rubric.group(0), "bonne_pratique", 3))
    practice += len(fiche) + 2 * len(lessons)
    if fiche or lessons:
        body_signals.append(Signal("practice_headings", ", ".join([*lessons, *fiche][:6]), "bonne_pratique",
                                   len(fiche) + 2 * len(lessons)))
    practice += bool(_PRACTICE_TITLE.search(t_title)) + bool(_CONTACT_LINE.search(body))
    box = sorted({k for k, _l, _v in fields if k in PROJECT_FIELDS})
    if len(box) >= 2:
        practice += _PROJECT_BOX_POINTS
        body_signals.append(Signal("fields", ", ".join(box), "bonne_pratique", _PROJECT_BOX_POINTS))
    practice += practice_self
    press_rubric = _PRESS_RUBRIC.search(rubric)
    dated = dated_press_rubric(doc)
    press = 3 * bool(press_rubric or dated)
    if press_rubric or dated:
        shown = dated or press_rubric.group(0)  # type: ignore[union-attr]
        body_signals.append(Signal("rubric", shown, "communique", 3))
    cues = sorted(set(_PRESS.findall(head)))
    contact = bool(re.search(r"contacts? presse|service de presse|relations presse", body))
    press += len(cues) + contact
    if html.get("og:type") == "article" or html.get("article:published_time"):
        press += 1
        cues.append("og:type article" if html.get("og:type") == "article" else "article:published_time")
    if cues or contact:
        named = dict.fromkeys([*cues, *(["contact presse"] if contact else [])])
        body_signals.append(Signal("press_cues", ", ".join(named),
                                   "communique", len(cues) + contact))
    press += press_self
    self_of = {t: [s for s in seen if s.points_to == t] for t in ("bonne_pratique", "communique")}
    scores = {"bonne_pratique": practice, "communique": press}
    conflict = practice >= 2 and press >= 2 and abs(practice - press) <= 1
    if conflict or (practice < 2 and press < 1):  # the body's cues disagree, or there are none
        learned = _learned(title, doc, meta, fields, topic, model)
        if learned is not None:
            kind, probability = learned
            why = "indices du texte en conflit" if conflict else "aucun indice décisif"
            return TypeDecision(kind, [Signal("classifier", f"{why} ; probabilité {probability:.2f}", kind, 0)],
                                seen, "classifier", scores)
    if practice >= 3 and practice > press:
        return TypeDecision("bonne_pratique", [*self_of["bonne_pratique"],
                                               *(s for s in body_signals if s.points_to == "bonne_pratique")], seen,
                            "body", scores)
    if press >= 1:
        return TypeDecision("communique", [*self_of["communique"],
                                           *(s for s in body_signals if s.points_to == "communique")], seen,
                            "body", scores)
    if practice >= 2:
        return TypeDecision("bonne_pratique", [*self_of["bonne_pratique"],
                                               *(s for s in body_signals if s.points_to == "bonne_pratique")], seen,
                            "body", scores)
    return TypeDecision("communique", [Signal("default", "", "communique", 0)], seen, "default", scores)


def _type_in(value: str) -> str | None:
    """The type a labelled « Type » field names in a longer value (« Fiche retour d'expérience »)."""
    f = _norm(value)
    if _PRACTICE_RUBRIC.search(f):
        return "bonne_pratique"
    if _PRESS_RUBRIC.search(f):
        return "communique"
    if re.search(r"\bconvention|\bavenant", f):
        return "convention"
    return None


def type_features(title: str | None, doc: ParsedDocument, meta: dict[str, Any] | None = None,
                  fields: list[tuple[str, str, str]] | None = None,
                  topic: tuple[int, int] | None = None) -> dict[str, float]:
    """The counts the rules look at, as features of the learned arbiter (ingest/extract/classifier.py)."""
    meta = meta if meta is not None else (doc.meta or {})
    fields = fields if fields is not None else labelled_fields(doc)
    blocks = list(getattr(doc, "blocks", None) or [])
    body = _PROJECT_NAME.sub(" ", _norm(doc.text))
    t_title = _norm(title or "")
    ballot = votes(self_description(doc, title))
    headings = [_norm(b.text).strip(" :.?!") for b in blocks if b.kind == "heading" and len(b.text) <= 80]
    headings += [h for b in blocks if b.kind != "heading" for h in _glued_headings(b.text)]
    head = _norm(doc.text[:2500])
    axis_evidence, theme_mentions = topic or (0, 0)
    return {
        "self_bp": ballot.get("bonne_pratique", 0), "self_press": ballot.get("communique", 0),
        "self_conv": ballot.get("convention", 0),
        "legal": len(set(_LEGAL.findall(body))),
        "fiche_headings": sum(1 for h in headings if _PRACTICE_HEADINGS.match(h)),
        "lesson_headings": sum(1 for h in headings if _LESSON_HEADINGS.match(h)),
        "practice_title": float(bool(_PRACTICE_TITLE.search(t_title))),
        "practice_rubric": float(bool(_PRACTICE_RUBRIC.search(head[:300]) or _PRACTICE_RUBRIC.search(t_title))),
        "press_rubric": float(bool(_PRESS_RUBRIC.search(head[:300])) or bool(dated_press_rubric(doc))),
        "press_cues": len(set(_PRESS.findall(head))),
        "press_contact": float(bool(re.search(r"contacts? presse|service de presse|relations presse", body))),
        "box_fields": len({k for k, _l, _v in fields if k in PROJECT_FIELDS}),
        "acv": len(_ACV.findall(body)), "heart": len(_HEART.findall(body)),
        "other_programmes": len(_OTHER_PROGRAMMES.findall(body)),
        "axis_evidence": axis_evidence / 10, "theme_mentions": theme_mentions / 5,
        "log_words": math.log1p(len(doc.text.split())),
        "title_convention": float(bool(re.match(r"\s*(?:convention|avenant)", t_title))),
    }


def _learned(title: str | None, doc: ParsedDocument, meta: dict[str, Any], fields: list[tuple[str, str, str]],
             topic: tuple[int, int] | None, model: Any = None) -> tuple[str, float] | None:
    from ingest.extract.classifier import model_text, shipped_model

    if model is False:
        return None
    model = model or shipped_model()
    if model is None:
        return None
    # Here the page is about the programme (not `autre`) and has no legal structure (not a convention):
    # the arbiter only weighs a good-practice write-up against a press release.
    return model.predict(type_features(title, doc, meta, fields, topic), model_text(title, doc.text),
                         among=("bonne_pratique", "communique"))

"""What a document says about itself: named signals read before its running text.

A page names its own kind in many places besides its body: the site's section in the `<title>` suffix
(« … | Bonnes pratiques »), the breadcrumb, the rubric printed above the title, `article:section`, keywords,
its address (`/presse/`, `/retours-d-experience/`), a PDF's Subject, a front-matter `type`. Its body may carry
a box of labelled fields (« En bref », « Fiche projet »: Commune, Axe, Porteur, Coût…). These are more
general than any rule over the running text, because every site layout prints them for its reader: they
are read first, and each decision records which of them made it (`Signal`, in French for the reader).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from acv.records import ParsedDocument
from ingest.extract.text import fold, rules_form

# Where a signal was read, as a user reads it (acv docs --explain).
SOURCE_LABELS: dict[str, str] = {
    "front_matter": "en-tête du fichier (type)",
    "title_site": "titre de la page, partie site ou rubrique",
    "title": "titre",
    "breadcrumb": "fil d'Ariane",
    "section": "rubrique affichée près du titre",
    "article_section": "rubrique déclarée (article:section)",
    "keywords": "mots-clés de la page",
    "schema_type": "type déclaré (JSON-LD)",
    "og_type": "type déclaré (og:type)",
    "url": "adresse de la page",
    "path": "chemin du fichier",
    "pdf_subject": "sujet du PDF (métadonnées)",
    "pdf_title": "titre du PDF (métadonnées)",
    "rubric": "rubrique en tête du texte",
    "field": "champ d'un encadré (« En bref », « Fiche »)",
    "fields": "encadré à champs de fiche projet",
    "legal": "structure de convention (articles, parties, signatures)",
    "practice_headings": "parties d'une fiche (contexte, résultats, enseignements…)",
    "press_cues": "marques de presse (contact presse, « publié le »…)",
    "not_about_programme": "le texte ne parle pas du programme ni de ses sujets",
    "topic": "le texte parle des sujets du programme sans le nommer",
    "other_programme": "le texte parle surtout d'un autre programme",
    "default": "aucun autre indice : page d'actualité par défaut",
    "classifier": "classifieur appris sur les documents étiquetés du projet",
}


@dataclass(frozen=True, slots=True)
class Signal:
    """One clue: where it was read (`source`), what it said, which type it points to and how strongly."""

    source: str
    value: str
    points_to: str
    weight: int

    def to_json(self) -> dict[str, Any]:
        return {"signal": self.source, "libelle": SOURCE_LABELS.get(self.source, self.source),
                "valeur": self.value[:160], "indique": self.points_to, "poids": self.weight}


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(patterns) + r")(?![\w])")


# Words a site uses to name a section of good practices, of press, of conventions; strong and weak forms.
_PRACTICE_STRONG = _rx(
    r"bonnes? pratiques?", r"retours? d'?experiences?", r"retex",
    r"fiches? (?:d'?)?(?:experiences?|projets?|bonnes? pratiques?|initiatives?|exemples?|retours?)",
    r"ils l'ont fait", r"initiatives? (?:locales?|inspirantes?|de territoires?|des territoires?)",
    r"exemples? inspirants?", r"projets? (?:exemplaires?|inspirants?)", r"experiences? (?:locales?|de territoires?)",
    r"partages? d'experiences?", r"cas pratiques?", r"realisations? exemplaires?", r"capitalisation",
    r"cahiers? de la revitalisation", r"boite a idees", r"territoires? en action", r"villes? en projets?",
    r"projets? de territoires?", r"laboratoire des (?:idees|initiatives)",
)
_PRACTICE_WEAK = _rx(r"initiatives?", r"ressources", r"centre de ressources", r"experiences?", r"realisations?",
                     r"projets? (?:realises|phares)", r"fiches?")
_PRESS_STRONG = _rx(r"communiques? de presse", r"communiques?", r"salle de presse", r"espace presse", r"presse",
                    r"dossiers? de presse", r"info(?:rmation)?s? presse", r"press(?: releases?| room)?",
                    r"newsroom", r"relations? presse")
_PRESS_WEAK = _rx(r"actualites?(?: municipales| de la ville| du territoire)?", r"actus?", r"news", r"a la une",
                  r"breves?", r"en direct", r"le mag(?:azine)?")
_CONVENTION = _rx(r"conventions?(?: |-)?cadres?", r"avenants?", r"conventions? (?:d'operation de revitalisation|ort)",
                  r"conventions?", r"contrats?")

# Labelled fields of a project box; the key is what the extractor uses them for.
FIELD_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("axe", re.compile(r"^(?:axes?(?: (?:du programme|acv|action coeur de ville|strategiques?|concernes?|"
                       r"d'intervention|principal|prioritaires?))?|axes? (?:n ?°? ?)?[1-5](?: (?:et|,) ?[1-5])*|"
                       r"volets? acv)$")),
    ("theme", re.compile(r"^(?:themes?|thematiques?|domaines?|sujets?|mots? cles)$")),
    ("commune", re.compile(r"^(?:communes?|villes?|collectivites?|territoires?|lieu|localisation|ou \?|"
                           r"commune porteuse|ville porteuse|collectivite porteuse)$")),
    ("type", re.compile(r"^(?:type(?: de (?:document|contenu|publication|fiche))?|nature(?: du document)?|"
                        r"categorie|rubrique|format)$")),
    ("porteur", re.compile(r"^(?:porteurs?(?: du projet| de projet)?|maitre?s? d'ouvrage|maitrise d'ouvrage|"
                           r"pilotes?|pilotage|structure porteuse|qui \?)$")),
    ("cout", re.compile(r"^(?:couts?(?: total| global| du projet)?|budgets?(?: total| global)?|montants?(?: total)?|"
                        r"investissement|plan de financement)$")),
    ("financeurs", re.compile(r"^(?:financeurs?|financements?|partenaires? financiers?|cofinanceurs?|aides?)$")),
    ("partenaires", re.compile(r"^(?:partenaires?|acteurs?|parties prenantes)$")),
    ("calendrier", re.compile(r"^(?:calendrier|dates?(?: cles)?|duree|periode|mise en service|ouverture|"
                              r"lancement|livraison|realisation|annee)$")),
    ("population", re.compile(r"^(?:population|habitants|nombre d'habitants)$")),
    ("contact", re.compile(r"^contacts?$")),
)
# Fields that describe a project: two of them make a project box (a good-practice sheet's « En bref »).
PROJECT_FIELDS = frozenset({"axe", "porteur", "cout", "financeurs", "partenaires", "calendrier", "commune",
                            "theme", "population"})
_LINE_FIELD = re.compile(r"^\s*(?:[-•*]\s*)?([^:|\n]{2,45}?)\s*(?::|\|| [-–—] )\s*(\S[^\n]{0,300})$",
                         re.MULTILINE)
_TITLE_SPLIT = re.compile(r"\s+(?:\||[-–—·•:]{1,2}|»)\s+")
_DATED_PRESS_RUBRIC = re.compile(r"^\W*communique(?:s)? de presse\b.{0,40}\b(?:1[89]|20)\d{2}\b")


def field_key(label: str) -> str | None:
    """The key of a field label (« Axe du programme » → axe), or None for a label this module ignores."""
    folded = rules_form(label).replace("(s)", "").replace("(x)", "").strip(" :.-–—*")
    for key, rx in FIELD_KEYS:
        if rx.match(folded):
            return key
    return None


def labelled_fields(doc: ParsedDocument) -> list[tuple[str, str, str]]:
    """(key, label, value) of the document's labelled fields: the HTML reader's boxes, then lines of the text
    « Label : value » / « Label | value » and label-then-value block pairs (definition lists, PDF boxes)."""
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, value: str) -> None:
        key = field_key(label)
        value = value.strip()
        if key and value and (key, value) not in seen:
            seen.add((key, value))
            out.append((key, label.strip(), value))

    html = (doc.meta or {}).get("html") or {}
    for item in html.get("fields") or []:
        if isinstance(item, (list, tuple)) and len(item) >= 2:
            add(str(item[0]), str(item[1]))
    blocks = list(doc.blocks or [])[:80]
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            continue  # « Axe 2 – Commerce » over a part of the text is a section title, not a field
        inline = _inline_fields(b.text)
        for label, value in inline:
            add(label, value)
        for m in _LINE_FIELD.finditer(b.text) if not inline else ():
            if len(m.group(1).split()) <= 5:
                add(m.group(1), m.group(2))
        label = b.text.strip().rstrip(":").strip()
        if i + 1 < len(blocks) and len(label.split()) <= 5 and field_key(label) and b.kind != "heading" \
                and len(blocks[i + 1].text) <= 300:
            add(label, blocks[i + 1].text)
    return out


_COLON = re.compile(r"\s?:\s")


def _inline_fields(text: str) -> list[tuple[str, str]]:
    """Fields run together in one block, as a Markdown paragraph or a PDF box joins them (« Commune : Saint-Omer
    Axe : Axe 4 – Patrimoine »): a field label must open the block, and each known label before a colon starts
    the next field."""
    starts: list[tuple[int, int, str]] = []  # (label start, value start, label)
    for m in _COLON.finditer(text):
        words = list(re.finditer(r"[\w'’()]+", text[max(0, m.start() - 60) : m.start()]))
        offset = max(0, m.start() - 60)
        for n in range(min(5, len(words)), 0, -1):
            first = words[-n]
            label = text[offset + first.start() : m.start()].strip()
            if field_key(label):
                starts.append((offset + first.start(), m.end(), label))
                break
    if not starts or text[: starts[0][0]].strip(" -•*\n"):
        return []
    out = []
    for j, (_s, value_start, label) in enumerate(starts):
        end = starts[j + 1][0] if j + 1 < len(starts) else len(text)
        value = text[value_start:end].strip(" ;,\n")
        if value:
            out.append((label, value))
    return out


def _points(text: str, source: str, strong: int, weak: int, convention: int = 0) -> list[Signal]:
    """Type signals of one self-description text (a title suffix, a breadcrumb, a rubric)."""
    f = rules_form(text)
    out: list[Signal] = []
    if _PRACTICE_STRONG.search(f):
        out.append(Signal(source, text, "bonne_pratique", strong))
    elif _PRACTICE_WEAK.search(f) and weak:
        out.append(Signal(source, text, "bonne_pratique", weak))
    if _PRESS_STRONG.search(f):
        out.append(Signal(source, text, "communique", strong))
    elif _PRESS_WEAK.search(f) and weak:
        out.append(Signal(source, text, "communique", weak))
    if convention and _CONVENTION.search(f):
        out.append(Signal(source, text, "convention", convention))
    return out


def _title_parts(full: str | None, title: str | None) -> list[str]:
    """The parts of a page's <title> that are not its headline: the site name and section(s)."""
    if not full:
        return []
    head = rules_form(title or "")
    parts = [p for p in _TITLE_SPLIT.split(full) if p.strip()]
    if len(parts) < 2:
        return []
    return [p for p in parts if not head or rules_form(p) not in head and head not in rules_form(p)]


def self_description(doc: ParsedDocument, title: str | None) -> list[Signal]:
    """Type signals from what the document says about itself (not from its running text)."""
    meta = doc.meta or {}
    html = meta.get("html") or {}
    pdf = meta.get("pdf") or {}
    out: list[Signal] = []
    for part in _title_parts(html.get("title"), title or html.get("h1")):
        out += _points(part, "title_site", 3, 1)
    crumbs = html.get("breadcrumb")
    if isinstance(crumbs, str) and crumbs:
        items = [c.strip() for c in re.split(r"\s*[>›»/]\s*", crumbs) if c.strip()]
        heads = {rules_form(x) for x in (title, html.get("h1")) if x}
        if items and (rules_form(items[-1]) in heads or len(items[-1]) > 40):
            items = items[:-1]  # the page itself
        for item in items:
            if not re.match(r"^(?:accueil|home|page d'accueil|vous etes ici)\W*$", rules_form(item)):
                out += _points(item, "breadcrumb", 3, 1)
    for section in html.get("section") or []:
        out += _points(str(section), "section", 3, 1)
    if html.get("article:section"):
        out += _points(str(html["article:section"]), "article_section", 3, 1)
    if html.get("keywords"):
        out += _points(str(html["keywords"]), "keywords", 2, 0)
    schema = str(html.get("schema_type") or "")
    if re.search(r"NewsArticle|PressRelease|Report(?:age)?News", schema):
        out.append(Signal("schema_type", schema, "communique", 1))
    if html.get("url"):
        out += _points(_path_words(str(html["url"])), "url", 2, 1)
    if pdf.get("subject"):
        out += _points(str(pdf["subject"]), "pdf_subject", 3, 1, convention=2)
    source = getattr(doc, "source", "") or ""
    if source:
        folders = PurePath(source).parent.parts[-2:]
        words = _path_words("/".join(folders))
        out += [Signal("path", s.value, s.points_to, 1) for s in _points(words, "path", 1, 0)]
    # A single source repeating itself counts once per type (a breadcrumb naming « Actualités » twice).
    best: dict[tuple[str, str], Signal] = {}
    for s in out:
        key = (s.source, s.points_to)
        if key not in best or s.weight > best[key].weight:
            best[key] = s
    return list(best.values())


def _path_words(path: str) -> str:
    path = re.sub(r"^[a-z]+://[^/]+", "", path)
    return re.sub(r"[-_/.]+", " ", path)


def dated_press_rubric(doc: ParsedDocument) -> str | None:
    """« Communiqué de presse – 14 juin 2021 », a dated press rubric near the head of the text."""
    html = (doc.meta or {}).get("html") or {}
    for text in [*(html.get("section") or []), *(b.text[:120] for b in list(doc.blocks or [])[:6])]:
        if _DATED_PRESS_RUBRIC.match(rules_form(str(text))):
            return str(text)
    return None


def votes(signals: list[Signal]) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in signals:
        out[s.points_to] = out.get(s.points_to, 0) + s.weight
    return out


def folded(text: str) -> str:
    return fold(text)

"""Finding ACV communes in text: one trie regex over folded text, then rules for ambiguous names.

Many commune names are also common words, saints, streets or people ("sens unique", "rue Thiers",
"église Saint-Pierre", "la Vienne" the département). A name is accepted when it is capitalised,
is not part of a longer place name ("Lens-Lestang"), not a street or building, and, for the
ambiguous ones, when a place context backs it ("à Sens", "Sens (Yonne)", the département or region
nearby, or the same town already established elsewhere in the document).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.extract.gazetteer import Gazetteer, name_key
from ingest.extract.text import fold, names_form, trie_regex

# Names also used as common words, people, saints or other places: they need a place context.
AMBIGUOUS = frozenset(
    (
        "sens lens gap avon revel cognac saintes valence thiers vienne moulins tulle dole laval persan vire redon "
        "vernon nemours auch sedan verdun flers lourdes trappes foix mende limay toul"
    ).split()
)
# Names that are also saints/streets/churches everywhere: accepted only with La Réunion nearby
# or an explicit "commune de / ville de".
REUNION_ONLY = frozenset({"saint pierre", "saint andre", "saint joseph", "saint louis", "le port"})

# Short, unambiguous usual names for long official names.
ALIASES: dict[str, list[str]] = {
    "Cherbourg-en-Cotentin": ["Cherbourg"],
    "Charleville-Mézières": ["Charleville"],
    "Le Puy-en-Velay": ["Le Puy"],
    "Châlons-en-Champagne": ["Châlons"],
    "Brive-la-Gaillarde": ["Brive"],
    "Digne-les-Bains": ["Digne"],
    "Saint-Dié-des-Vosges": ["Saint-Dié"],
    "Romorantin-Lanthenay": ["Romorantin"],
    "Montereau-Fault-Yonne": ["Montereau"],
    "Évry-Courcouronnes": ["Évry"],
    "Vire Normandie": ["Vire"],
    "Cosne-Cours-sur-Loire": ["Cosne-sur-Loire"],
    "Ambérieu-en-Bugey": ["Ambérieu"],
    "Bourgoin-Jallieu": ["Bourgoin"],
    "Mantes-la-Jolie": ["Mantes"],
    "Bruay-la-Buissière": ["Bruay"],
    "Montceau-les-Mines": ["Montceau"],
    "Corbeil-Essonnes": ["Corbeil"],
}

CONNECTORS = frozenset("sur sous en les lès lez le la du des de d aux au à l et".split())

_STREET_BEFORE = re.compile(
    r"(?:\b(?:rue|avenue|av|bd|boulevard|place|quai|allee|impasse|chemin|route|square|passage|faubourg|"
    r"lycee|college|ecole|eglise|basilique|cathedrale|chapelle|abbaye|hopital|clinique|stade|residence|"
    r"hotel|cite|ile|paroisse|institution|fondation|pensionnat|collegiale|prieure|couvent)"
    r"\.?(?: (?:de la|de l'|de|du|des|d'))? ?)$"
)
_PLACE_BEFORE = re.compile(
    r"(?:(?:^|[^\w])(?:a|de|d'|depuis|vers|ville de|commune de|mairie de|maire de|agglomeration de|"
    r"pres de|proche de|centre ville de|coeur de ville de|territoire de|jusqu'a) ?)$"
)
_COMMUNE_BEFORE = re.compile(r"(?:\b(?:commune|ville|mairie|maire|municipalite)(?: (?:de|d'))? ?)$")
_RIVER_BEFORE = re.compile(
    r"(?:\b(?:bords?|rives?|berges?|quais?|vallee|confluence|le long|cours|fleuve|riviere|crue|crues)"
    r" (?:de la |de l'|du |de |des |d')?)$"
)
_VIENNE_DEPT_BEFORE = re.compile(r"(?:\b(?:la|en|dans la|haute)\s?)$")
_SENTENCE_END = set(".!?:;\n•*#|>–—")
_FOREIGN = re.compile(
    r"^\s*(?:\(|,)?\s*(?:autriche|espagne|italie|belgique|suisse|allemagne|usa|etats unis|royaume uni|angleterre)"
)
_REUNION = re.compile(r"(?:\b(?:la|La|de la|île de la|ile de la)\s+Réunion\b|\b974\b|\b[Rr]éunionnai|\bLa Réunion\b)")
_NEED_CONTEXT = object()
_WORD_SPLIT = re.compile(r"[\s\-'’.]+")
_PREV_WORD = re.compile(r"(\w[\w'’]*)\s$")
_LIST_SEPARATOR = re.compile(r"^\s*(?:,|et|ou|, et|, ou)\s*(?:a |au |aux |de |d'|du )?$")
_PAREN_AFTER = re.compile(r"^\s?\(([^()\n]{1,40})\)")
_CONNECTOR_AFTER = re.compile(r"^ (?:sur|sous|en|les|lès|lez|le|la|du|des|de|d'|aux|au)[ -']?(\w+)")
_PERSON_EXCEPT = frozenset(
    (
        "a de du des la le les en et au aux pour sur vers ville commune mairie grand coeur centre agglomeration "
        "territoire acv depuis entre avec dont par ou est chez lycee metropole pays bassin communaute fait signe "
        "signee convention avenant ort"
    ).split()
)

# Words that may stand right before a place name in running text.
_FUNCTION_WORDS = frozenset(
    (
        "a de d du des la le les l en et au aux pour sur vers dans depuis entre avec dont par ou chez comme que "
        "qui mais donc puis ainsi est sont visite visiter rejoint rejoindre relie quitte quitter apres avant "
        "contre selon via jusqu pres notamment dont y compris ville commune signe signee accueille rencontre "
        "retenue retenues retenu laureate laureates situee situe habitants"
    ).split()
)


@dataclass(slots=True)
class CityMention:
    """One accepted mention of a commune in a text."""

    insee: str
    start: int
    end: int
    surface: str
    strong: bool  # backed by a place context (or an unambiguous name)


def _variants(key: str) -> list[str]:
    """Written forms of a folded name key: "st"/"st." for saint, "du"/"au" for "le", "des"/"aux" for "les"."""
    words = key.split()
    options: list[list[str]] = []
    for w in words:
        if w == "saint":
            options.append(["saint", "st", "st."])
        elif w == "sainte":
            options.append(["sainte", "ste", "ste."])
        else:
            options.append([w])
    forms = {" ".join(p) for p in itertools.product(*options)}
    if words[0] in ("le", "les"):
        rest = " ".join(words[1:])
        extra = ("du", "au") if words[0] == "le" else ("des", "aux")
        forms |= {f"{a} {rest}" for a in extra}
    return sorted(forms)


def _matching_form(text: str) -> str:
    """Folded text for name matching: same length, hyphens and line breaks as spaces."""
    return names_form(text)


class CityMatcher:
    """Finds the gazetteer's communes in a text, with the ambiguity rules of this module."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._form_to: dict[str, tuple[str, str]] = {}  # written form -> (insee, canonical key)
        for c in gazetteer.all():
            for name in [c.name, *ALIASES.get(c.name, [])]:
                key = name_key(name)
                for form in _variants(key):
                    self._form_to.setdefault(form, (c.insee, key))
        self._regex = re.compile(r"(?<![\w])(?:" + trie_regex(self._form_to) + r")(?![\w])")
        self._context: dict[str, list[str]] = {}
        for c in gazetteer.all():
            words = [_matching_form(c.departement), _matching_form(c.region)]
            if c.region == "La Réunion":
                words = []
            self._context[c.insee] = [w for w in words if w]
        self._dept_names = {_matching_form(d) for d, _ in gazetteer.departements.values()}
        self._dept_names |= {_matching_form(r) for r in gazetteer.regions.values()}
        self._dept_names |= {"reunion", "la reunion"}

    # -- public -------------------------------------------------------------------------------

    def find(
        self, text: str, doc_context: set[str] | frozenset[str] = frozenset(), heading: bool = False
    ) -> list[CityMention]:
        """Accepted mentions in `text`; `doc_context` lists communes already established for the document.

        `heading` is for a title or heading, where a name may open the text ("Gap : signature…").
        """
        if not text:
            return []
        g = _matching_form(text)
        raw = [(m.start(), m.end(), *self._form_to[m.group(0)]) for m in self._regex.finditer(g)]
        if not raw:
            return []
        starts = {s for s, _, _, _ in raw}
        ends = {e for _, e, _, _ in raw}
        verdicts = [
            self._judge(text, g, s, e, insee, key, starts, ends, doc_context, heading) for s, e, insee, key in raw
        ]
        # A name waiting for context is accepted inside a list of accepted communes ("Lens, Valence ou Saint-Pierre").
        changed = True
        while changed:
            changed = False
            for i, v in enumerate(verdicts):
                if v is not _NEED_CONTEXT:
                    continue
                for j in (i - 1, i + 1):
                    if 0 <= j < len(raw) and verdicts[j] in (True, False):
                        a, b = (raw[j][1], raw[i][0]) if j < i else (raw[i][1], raw[j][0])
                        if _LIST_SEPARATOR.match(g[a:b]):
                            verdicts[i] = False
                            changed = True
                            break
        out: list[CityMention] = []
        for (s, e, insee, _key), verdict in zip(raw, verdicts):
            if verdict is True or verdict is False:
                out.append(CityMention(insee, s, e, text[s:e], verdict))
        return out

    def context_in(self, text: str) -> set[str]:
        """Communes whose département or region is named in `text` (document-level context)."""
        g = _matching_form(text)
        found: set[str] = set()
        reunion = bool(_REUNION.search(text))
        for insee, words in self._context.items():
            if any(w in g for w in words):
                found.add(insee)
            elif reunion and self.gazetteer.get(insee).region == "La Réunion":  # type: ignore[union-attr]
                found.add(insee)
        return found

    # -- rules --------------------------------------------------------------------------------

    def _judge(
        self,
        text: str,
        g: str,
        s: int,
        e: int,
        insee: str,
        key: str,
        starts: set[int],
        ends: set[int],
        doc_context: set[str] | frozenset[str],
        heading: bool = False,
    ) -> bool | None | object:
        """None to reject, True for a strong mention, False for an accepted weak one,
        _NEED_CONTEXT for an ambiguous name that a neighbouring commune in a list may confirm.

        The first of `RULES` that decides gives the verdict; `_undecided` always decides.
        """
        c = Candidate(self, text, g, s, e, insee, key, starts, ends, doc_context, heading)
        for rule in RULES:
            verdict = rule(c)
            if verdict is not _NO_DECISION:
                return verdict
        raise AssertionError("the last rule always decides")  # pragma: no cover


def _sentence_start(text: str, s: int) -> bool:
    i = s - 1
    while i >= 0 and text[i] in " \t\u00a0\"«“'(":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


# -- the rules of `CityMatcher._judge`, in the order they are tried ------------------------------

_NO_DECISION = object()  # a rule that does not apply lets the next one decide
_REJECT = None
_STRONG = True
_WEAK = False


class Candidate:
    """One match of a commune name in a text, with what the rules look at around it."""

    __slots__ = ("matcher", "text", "g", "s", "e", "insee", "key", "starts", "ends", "doc_context", "heading",
                 "surface", "before", "after", "reunion_only", "ambiguous")

    def __init__(self, matcher: CityMatcher, text: str, g: str, s: int, e: int, insee: str, key: str,
                 starts: set[int], ends: set[int], doc_context: set[str] | frozenset[str], heading: bool) -> None:
        self.matcher, self.text, self.g, self.s, self.e = matcher, text, g, s, e
        self.insee, self.key, self.starts, self.ends = insee, key, starts, ends
        self.doc_context, self.heading = doc_context, heading
        self.surface = text[s:e]
        self.before = g[max(0, s - 40) : s]
        self.after = g[e : e + 60]
        self.reunion_only = key in REUNION_ONLY
        self.ambiguous = key in AMBIGUOUS or self.reunion_only

    @property
    def own_context(self) -> list[str]:
        """The commune's département and region names (matching form)."""
        return self.matcher._context.get(self.insee, [])

    @property
    def sentence_start(self) -> bool:
        return _sentence_start(self.text, self.s)


Rule = Callable[[Candidate], object]


def _not_capitalised(c: Candidate) -> object:
    """Every non-connector word of a name starts with a capital ("sens unique" is not Sens)."""
    for word in _WORD_SPLIT.split(c.surface):
        if word and fold(word) not in CONNECTORS and not word[0].isupper():
            return _REJECT
    return _NO_DECISION


# An intercommunality named after its town: « Lannion-Trégor Communauté », « Saint-Lô Agglo ».
_EPCI_AFTER = re.compile(
    r"^-[A-ZÀ-Ý][\w'’]+(?:-[\w'’]+)*\s+(?:Communauté|Agglo|Agglomération|Métropole|Intercom|Territoires?)\b"
)


def _inside_hyphenated_name(c: Candidate) -> object:
    """Part of a longer hyphenated name ("Lens-Lestang", "Haute-Vienne"), unless the neighbour is a commune
    or the longer name is the town's intercommunality (« Lannion-Trégor Communauté »)."""
    text, s, e = c.text, c.s, c.e
    if _EPCI_AFTER.match(text[e : e + 60]) and not (s >= 2 and text[s - 1] in "-‐‑–" and text[s - 2].isalpha()):
        return _STRONG
    if s >= 2 and text[s - 1] in "-‐‑–" and text[s - 2].isalpha() and (s - 1) not in c.ends:
        return _REJECT
    if e + 1 < len(text) and text[e] in "-‐‑" and text[e + 1].isalpha() and (e + 1) not in c.starts:
        return _REJECT
    return _NO_DECISION


def _longer_place_name(c: Candidate) -> object:
    """Followed by a connector and a capitalised word that is neither a département nor a commune
    ("Vienne en Arles", "Sens de Bretagne")."""
    m = _CONNECTOR_AFTER.match(c.after)
    if m:
        nxt_start = c.e + m.start(1)
        if nxt_start < len(c.text) and c.text[nxt_start].isupper():
            rest = c.g[nxt_start : nxt_start + 40]
            if not any(rest.startswith(d) for d in c.matcher._dept_names) and nxt_start not in c.starts:
                return _REJECT
    return _NO_DECISION


def _street_or_building(c: Candidate) -> object:
    """"rue Thiers", "église Saint-Pierre", "lycée de Sens"."""
    return _REJECT if _STREET_BEFORE.search(c.before) else _NO_DECISION


def _unambiguous_name(c: Candidate) -> object:
    """A name that is nothing but a commune needs no more evidence."""
    return _STRONG if not c.ambiguous else _NO_DECISION


def _river(c: Candidate) -> object:
    """"les bords de la Vienne", "la vallée du Lot"."""
    return _REJECT if _RIVER_BEFORE.search(c.before) else _NO_DECISION


def _upper_case_name(c: Candidate) -> object:
    """A name written in capitals ("SENS", a heading or a signature block)."""
    if c.surface.isupper() and len(c.surface) >= 4 and not c.reunion_only:
        return _STRONG
    return _NO_DECISION


def _person_or_named_thing(c: Candidate) -> object:
    """A person ("Adolphe Thiers") or a named thing ("marché couvert Saint-Pierre", "lycée Saint-Joseph"):
    preceded by a capitalised word, or by a common noun rather than a preposition."""
    prev = _PREV_WORD.search(c.text[max(0, c.s - 30) : c.s])
    if prev:
        w = prev.group(1)
        fw = fold(w)
        named_thing = (
            c.reunion_only and fw not in _FUNCTION_WORDS and not fold(c.surface).startswith(("du ", "au "))
        )
        if fw not in _PERSON_EXCEPT and not w.isupper() and (w[0].isupper() or named_thing):
            return _REJECT
    return _NO_DECISION


def _own_area_in_parentheses(c: Candidate) -> object:
    """"Sens (Yonne)", "Valence (26)"."""
    paren = _PAREN_AFTER.match(c.text[c.e : c.e + 45])
    commune = c.matcher.gazetteer.get(c.insee)
    if paren and commune:
        inside = _matching_form(paren.group(1)).strip()
        if inside in c.own_context or inside == commune.departement_code.lower():
            return _STRONG
    return _NO_DECISION


def _vienne_before_parentheses(c: Candidate) -> object:
    """"Vienne (…)" with anything but its own département is the département or the river."""
    if c.key == "vienne" and _PAREN_AFTER.match(c.text[c.e : c.e + 45]):
        return _REJECT
    return _NO_DECISION


def _foreign_country(c: Candidate) -> object:
    """"Vienne (Autriche)", "Valence, Espagne"."""
    return _REJECT if _FOREIGN.match(c.after) else _NO_DECISION


def _vienne_departement(c: Candidate) -> object:
    """"la Vienne", "en Vienne", "Haute Vienne", "(Vienne", "Vienne (86)": the département."""
    if c.key != "vienne":
        return _NO_DECISION
    if _VIENNE_DEPT_BEFORE.search(c.before) or (c.s > 0 and c.text[c.s - 1] == "("):
        return _REJECT
    if c.text[c.e : c.e + 6].lstrip().startswith("(86)"):
        return _REJECT
    return _NO_DECISION


def _reunion_context(c: Candidate) -> object:
    """Saint-Pierre, Le Port…: La Réunion named nearby, or "commune de / ville de" just before."""
    if not c.reunion_only:
        return _NO_DECISION
    window = c.text[max(0, c.s - 400) : c.e + 400]
    if _REUNION.search(window) or _COMMUNE_BEFORE.search(c.before):
        return _STRONG
    return _NO_DECISION


def _place_preposition(c: Candidate) -> object:
    """"à Sens", "ville de Gap", "centre-ville de Dole" (not for the Réunion names, which are also saints)."""
    if not c.reunion_only and _PLACE_BEFORE.search(c.before):
        return _STRONG
    return _NO_DECISION


def _own_area_nearby(c: Candidate) -> object:
    """The commune's département or region named within 250 characters."""
    if c.reunion_only:
        return _NO_DECISION
    window = c.g[max(0, c.s - 250) : c.e + 250]
    return _STRONG if any(w in window for w in c.own_context) else _NO_DECISION


def _title_subject(c: Candidate) -> object:
    """A title that opens on the town and a colon or dash (« Laval : le tiers-lieu de la gare »), or on the town
    and a verb (« Sens inaugure sa halle »: a lower-case word that is no connector, « Sens unique » aside)."""
    if not c.heading or c.reunion_only or c.text[: c.s].strip(" «\"'") != "":
        return _NO_DECISION
    after = c.text[c.e : c.e + 40]
    if re.match(r"^\s*(?:\(\w[^)]{0,30}\)\s*)?[:–—|]", after):
        return _STRONG
    verb = re.match(r"^ ([a-zà-ÿ]{3,})\b", after)
    if verb and verb.group(1) not in CONNECTORS and verb.group(1) not in ("unique", "interdit", "giratoire"):
        return _STRONG
    return _NO_DECISION


def _established_in_document(c: Candidate) -> object:
    """The town is already established for the document, and this is not a sentence's first word."""
    if c.insee in c.doc_context and (c.heading or not c.sentence_start):
        return _WEAK
    return _NO_DECISION


def _undecided(c: Candidate) -> object:
    """Left to a neighbouring commune in a list ("Lens, Valence ou Saint-Pierre"); a sentence's first word
    is too often something else."""
    return _NEED_CONTEXT if not c.sentence_start else _REJECT


RULES: tuple[Rule, ...] = (
    _not_capitalised,
    _inside_hyphenated_name,
    _longer_place_name,
    _street_or_building,
    _unambiguous_name,
    _river,
    _upper_case_name,
    _person_or_named_thing,
    _own_area_in_parentheses,
    _vienne_before_parentheses,
    _foreign_country,
    _vienne_departement,
    _reunion_context,
    _place_preposition,
    _own_area_nearby,
    _title_subject,
    _established_in_document,
    _undecided,
)


# -- regions and départements named in a text ------------------------------------------------

REGION_ALIASES = {
    "PACA": "Provence-Alpes-Côte d'Azur",
    "Région Sud": "Provence-Alpes-Côte d'Azur",
    "Provence-Alpes-Côte-d'Azur": "Provence-Alpes-Côte d'Azur",
    "Centre-Val-de-Loire": "Centre-Val de Loire",
    "Réunion": "La Réunion",
    "Ile-de-France": "Île-de-France",
}
# Département names that are also common words or rivers: they need "département de…", "(…)", "dans le…".
# Hyphenated département names that still need a context (the short ones always do).
AMBIGUOUS_DEPTS = frozenset({"corse du sud", "haute corse"})
_DEPT_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:departement|departemental|conseil departemental|prefet|prefete|prefecture|prefectures)"
    r"(?: (?:de la|de l'|du|des|de|d'))? ?|\b(?:dans|en) (?:le |la |l'|les )?|\(\s?)$"
)


@dataclass(slots=True)
class AreaMention:
    kind: str  # "region" or "departement"
    name: str  # canonical name
    start: int
    end: int


class AreaMatcher:
    """Regions and départements named in a text (canonical names from the gazetteer)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._regions: dict[str, str] = {}
        for name in gazetteer.regions.values():
            self._regions[_matching_form(name)] = name
        for alias, name in REGION_ALIASES.items():
            self._regions[_matching_form(alias)] = name
        self._depts: dict[str, tuple[str, str]] = {}  # form -> (name, code)
        for code, (name, _region) in gazetteer.departements.items():
            if name in gazetteer.regions.values():
                continue  # overseas: the region covers it
            self._depts[_matching_form(name)] = (name, code)
        self._region_re = re.compile(r"(?<![\w])(?:" + trie_regex(self._regions) + r")(?![\w])")
        self._dept_re = re.compile(r"(?<![\w])(?:" + trie_regex(self._depts) + r")(?![\w])")

    def find(self, text: str) -> list[AreaMention]:
        g = _matching_form(text)
        out: list[AreaMention] = []
        for m in self._region_re.finditer(g):
            s, e = m.span()
            if not self._standalone(text, s, e):
                continue
            name = self._regions[m.group(0)]
            if name == "La Réunion" and not _REUNION.search(text[max(0, s - 12) : e + 1]):
                continue
            if name == "Normandie" and g[max(0, s - 5) : s] == "vire ":
                continue
            out.append(AreaMention("region", name, s, e))
        for m in self._dept_re.finditer(g):
            s, e = m.span()
            if not self._standalone(text, s, e):
                continue
            name, code = self._depts[m.group(0)]
            # Single-word names are also rivers or common words ("la Moselle", "la somme"): they need a context.
            if " " not in m.group(0) or m.group(0) in AMBIGUOUS_DEPTS:
                ctx = _DEPT_CONTEXT_BEFORE.search(g[max(0, s - 40) : s])
                coded = re.match(r"^\s?\(0?" + re.escape(code.lower()) + r"\)", g[e : e + 8])
                if not (ctx or coded):
                    continue
            out.append(AreaMention("departement", name, s, e))
        return out

    @staticmethod
    def _standalone(text: str, s: int, e: int) -> bool:
        """Capitalised and not part of a longer hyphenated name ("Sens-de-Bretagne", "Corse-du-Sud")."""
        if not text[s].isupper():
            return False
        if s >= 2 and text[s - 1] == "-" and text[s - 2].isalpha():
            return False
        if e + 1 < len(text) and text[e] == "-" and text[e + 1].isalpha():
            return False
        return True

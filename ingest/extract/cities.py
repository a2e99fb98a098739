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
        _NEED_CONTEXT for an ambiguous name that a neighbouring commune in a list may confirm."""
        surface = text[s:e]
        # Capitalised: every non-connector word starts with an upper-case letter.
        for word in _WORD_SPLIT.split(surface):
            if word and fold(word) not in CONNECTORS and not word[0].isupper():
                return None
        # Part of a longer hyphenated name ("Lens-Lestang", "Haute-Vienne"), unless the neighbour is a commune.
        if s >= 2 and text[s - 1] in "-‐‑–" and text[s - 2].isalpha() and (s - 1) not in ends:
            return None
        if e + 1 < len(text) and text[e] in "-‐‑" and text[e + 1].isalpha() and (e + 1) not in starts:
            return None
        after = g[e : e + 60]
        m = _CONNECTOR_AFTER.match(after)
        if m:
            nxt_start = e + m.start(1)
            if nxt_start < len(text) and text[nxt_start].isupper():
                rest = g[nxt_start : nxt_start + 40]
                if not any(rest.startswith(d) for d in self._dept_names) and nxt_start not in starts:
                    return None
        before = g[max(0, s - 40) : s]
        if _STREET_BEFORE.search(before):
            return None
        ambiguous = key in AMBIGUOUS or key in REUNION_ONLY
        if not ambiguous:
            return True
        if _RIVER_BEFORE.search(before):
            return None
        if surface.isupper() and len(surface) >= 4 and key not in REUNION_ONLY:
            return True
        # A person ("Adolphe Thiers") or a named thing ("marché couvert Saint-Pierre", "lycée Saint-Joseph"):
        # preceded by a capitalised word, or by a common noun rather than a preposition.
        prev = _PREV_WORD.search(text[max(0, s - 30) : s])
        if prev:
            w = prev.group(1)
            fw = fold(w)
            named_thing = (
                key in REUNION_ONLY and fw not in _FUNCTION_WORDS and not fold(surface).startswith(("du ", "au "))
            )
            if fw not in _PERSON_EXCEPT and not w.isupper() and (w[0].isupper() or named_thing):
                return None
        paren = _PAREN_AFTER.match(text[e : e + 45])
        own = self._context.get(insee, [])
        commune = self.gazetteer.get(insee)
        if paren:
            inside = _matching_form(paren.group(1)).strip()
            if commune and (inside in own or inside == commune.departement_code.lower()):
                return True
            if key == "vienne" or _FOREIGN.match(after):
                return None
        if _FOREIGN.match(after):
            return None
        if key == "vienne":
            if _VIENNE_DEPT_BEFORE.search(before) or (s > 0 and text[s - 1] == "("):
                return None
            if text[e : e + 6].lstrip().startswith("(86)"):
                return None
        if key in REUNION_ONLY:
            window = text[max(0, s - 400) : e + 400]
            if _REUNION.search(window) or _COMMUNE_BEFORE.search(before):
                return True
            if insee in doc_context and (heading or not self._sentence_start(text, s)):
                return False
            return _NEED_CONTEXT if not self._sentence_start(text, s) else None
        if _PLACE_BEFORE.search(before):
            return True
        window = g[max(0, s - 250) : e + 250]
        if any(w in window for w in own):
            return True
        if insee in doc_context and (heading or not self._sentence_start(text, s)):
            return False
        return _NEED_CONTEXT if not self._sentence_start(text, s) else None

    @staticmethod
    def _sentence_start(text: str, s: int) -> bool:
        i = s - 1
        while i >= 0 and text[i] in " \t\u00a0\"«“'(":
            i -= 1
        return i < 0 or text[i] in _SENTENCE_END


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

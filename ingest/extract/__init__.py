"""Document understanding: type, title, date, places, axes, themes, amounts and funders.

Build one `Extractor` per process (`Extractor.from_paths`); it compiles every regex once, so
`chunk()` stays cheap enough to run on thousands of chunks per second.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from acv.labels import axes_named_in
from acv.records import ChunkMetadata, DocumentMetadata, ParsedDocument
from ingest.extract.amounts import find_amounts
from ingest.extract.axes import AXIS_THRESHOLD, AxisMatcher
from ingest.extract.cities import AreaMatcher, CityMatcher, CityMention
from ingest.extract.dates import document_date
from ingest.extract.doctype import decide_type
from ingest.extract.funders import FunderMatcher
from ingest.extract.gazetteer import Gazetteer
from ingest.extract.signals import labelled_fields
from ingest.extract.text import case_tokens, fold, rules_form, tokens
from ingest.extract.themes import Taxonomy

__all__ = ["Extractor", "Gazetteer", "Taxonomy"]

_GENERIC_TITLE = re.compile(
    r"^(?:actualites?|communique(?: de presse)?|accueil|presse|news|sommaire|table des matieres|"
    r"bonnes? pratiques?|retours? d'experiences?|fiche projet|a la une|\W*)\W*$"
    r"|^[\w' -]{1,40}, le \d|^(?:publie|mise? a jour|mis en ligne)"  # a dateline is not a title
)
# Document roll-up of axes (measured on the labelled corpus, see tests/test_extract_quality.py).
AXIS_MIN_CHUNKS = 3
AXIS_MIN_TOTAL = 5
AXIS_MIN_SHARE = 0.10
THEME_LONG_DOC_WORDS = 1500
THEME_LONG_DOC_MENTIONS = 2
LEAD_CHARS = 1200  # the opening of a document, where its subject is introduced
_CHUNK_WORDS = 200  # grouping of blocks when the caller gives no chunks


class Extractor:
    """Extracts DocumentMetadata from a ParsedDocument and ChunkMetadata from a chunk's text."""

    def __init__(self, gazetteer: Gazetteer, taxonomy: Taxonomy) -> None:
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self.cities = CityMatcher(gazetteer)
        self.areas = AreaMatcher(gazetteer)
        self.axes = AxisMatcher()
        self.funders = FunderMatcher()
        self._theme_min = {t["id"]: int(t.get("min_mentions") or 1) for t in taxonomy.themes}
        self._theme_axes = {t["id"]: tuple(t.get("axes") or ()) for t in taxonomy.themes}

    @classmethod
    def from_paths(cls, gazetteer_csv: Path, themes_yaml: Path) -> "Extractor":
        return cls(Gazetteer.from_csv(Path(gazetteer_csv)), Taxonomy.from_yaml(Path(themes_yaml)))

    # -- chunks -------------------------------------------------------------------------------

    def chunk(self, text: str, section: str | None = None) -> ChunkMetadata:
        """Axes, themes, amounts, funders and communes of one chunk (no document context)."""
        folded = rules_form(text)
        toks = tokens(folded)
        ctoks = case_tokens(text)
        themes = self.taxonomy.find(text, toks, ctoks)
        scores = self._add_theme_evidence(self.axes.scores(folded, toks), {t: 1 for t in themes})
        axes = {a for a, s in scores.items() if s >= AXIS_THRESHOLD}
        if section:
            axes |= self.axes.explicit(rules_form(section))
        cities: list[str] = []
        for m in self.cities.find(text):
            if m.insee not in cities:
                cities.append(m.insee)
        return ChunkMetadata(
            axes=sorted(axes),
            themes=themes,
            amounts=find_amounts(text),
            funders=self.funders.find(text, toks, ctoks),
            cities=cities,
        )

    def _add_theme_evidence(self, scores: dict[int, int], theme_counts: dict[str, int]) -> dict[int, int]:
        """Themes lend their paraphrases to the axes: +2 to the axis of a one-axis theme, +1 for two axes."""
        for tid, n in theme_counts.items():
            axes = self._theme_axes.get(tid, ())
            if 0 < len(axes) <= 2:
                for a in axes:
                    scores[a] = scores.get(a, 0) + (2 if len(axes) == 1 else 1) * n
        return scores

    # -- documents ----------------------------------------------------------------------------

    def document(self, doc: ParsedDocument, chunks_meta: list[ChunkMetadata] | None = None) -> DocumentMetadata:
        """Whole-document metadata; `chunks_meta` (from `chunk()`) avoids re-reading the chunks."""
        meta = doc.meta or {}
        fm = meta.get("front_matter") if isinstance(meta.get("front_matter"), dict) else {}
        text = doc.text or "\n\n".join(b.text for b in doc.blocks)
        title, title_from = self._title(doc, fm or {})
        fields = labelled_fields(doc)
        theme_counts = self.taxonomy.counts(text)  # counted once for the type, the axes and the themes
        axis_totals = self.axes.totals(rules_form(text))
        topic = (sum(axis_totals.values()), sum(theme_counts.values()))
        decision = decide_type(title, doc, meta, fields, topic)
        dtype = decision.doc_type
        date = document_date(text, meta, dtype)

        if chunks_meta is None:
            chunks_meta = [self.chunk(t, s) for t, s in self._sections(doc)]
        headings = [b.text for b in doc.blocks if b.kind == "heading"]
        if title:
            headings.insert(0, title)

        main, mentioned, town_why = self._cities(doc, text, title, fm or {}, fields)
        departements, regions = self._areas(text, title, main)
        axes, axes_why = self._axes(fm or {}, fields, dtype, chunks_meta, headings, text, (axis_totals, theme_counts))

        return DocumentMetadata(
            doc_type=dtype,
            title=title,
            date=date,
            cities=main,
            mentioned_cities=mentioned,
            departements=departements,
            regions=regions,
            axes=axes,
            themes=self._fm_themes(fm) or self._doc_themes(chunks_meta, headings, text, theme_counts),
            amounts=[a for c in chunks_meta for a in c.amounts],
            funders=self._doc_funders(chunks_meta),
            explain={"type": decision.explain(), "axes": axes_why, "ville": town_why, "titre": title_from},
        )

    def _axes(self, fm: dict[str, Any], fields: list[tuple[str, str, str]], dtype: str,
              chunks: list[ChunkMetadata], headings: list[str], text: str,
              counted: tuple[dict[int, int], dict[str, int]] | None = None) -> tuple[list[int], dict[str, Any]]:
        """Front matter (written for the machine), then a labelled « Axe » field of the page, then the rules over
        the text and its themes."""
        found = self._fm_axes(fm)
        if found:
            return found, {"source": "front_matter", "libelle": "en-tête du fichier (axes)"}
        boxed = [(label, value) for key, label, value in fields if key == "axe"] if dtype != "convention" else []
        found = sorted({a for label, value in boxed for a in axes_named_in(rules_form(f"{label} {value}"))})
        if found:
            label, value = boxed[0]
            shown = " ; ".join(f"{lab} : {val}" for lab, val in boxed[:3])
            return found, {"source": "champ", "libelle": f"champ « {label} » de l'encadré", "valeur": shown}
        if dtype == "autre":
            return [], {"source": "type", "libelle": "document hors programme : pas d'axe"}
        return self._doc_axes(chunks, headings, text, counted), {
            "source": "texte", "libelle": "titres de parties, et vocabulaire et thèmes répétés dans le texte"}

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _title(doc: ParsedDocument, fm: dict[str, Any]) -> tuple[str | None, str]:
        """Front matter, then the reader's title, HTML og:title/h1/<title>, PDF info, first heading; with
        where it was read (French). A title that is only the file's name is not a title."""
        html = (doc.meta or {}).get("html") or {}
        pdf = (doc.meta or {}).get("pdf") or {}
        candidates = [
            (fm.get("title"), "en-tête du fichier"),
            (doc.title, _reader_title_source(doc)),
            (html.get("og:title"), "og:title"),
            (html.get("h1"), "titre <h1>"),
            (html.get("title"), "<title>"),
            (pdf.get("title"), "titre du PDF (métadonnées)"),
        ]
        candidates += [(b.text, "premier titre du texte") for b in doc.blocks if b.kind == "heading"]
        candidates += [(b.text, "première ligne du texte") for b in doc.blocks[:6] if 3 <= len(b.text) <= 200]
        stem = fold(Path(doc.source).stem).replace("_", " ").replace("-", " ").strip() if doc.source else ""
        for c, where in candidates:
            if not c or not str(c).strip():
                continue
            folded = fold(str(c)).strip()
            named_after_file = stem and folded.replace("_", " ").replace("-", " ") == stem
            if _GENERIC_TITLE.match(folded) or (named_after_file and where != "en-tête du fichier"):
                continue  # the author's own front matter is believed even when the file bears its name
            return re.sub(r"\s+", " ", str(c)).strip(), where
        return None, "aucun"

    @staticmethod
    def _sections(doc: ParsedDocument) -> list[tuple[str, str | None]]:
        """Blocks grouped into chunk-sized passages, each with its last heading."""
        out: list[tuple[str, str | None]] = []
        buf: list[str] = []
        words = 0
        section: str | None = None
        for b in doc.blocks:
            if b.kind == "heading":
                if buf:
                    out.append(("\n\n".join(buf), section))
                    buf, words = [], 0
                section = b.text
                buf.append(b.text)
                continue
            buf.append(b.text)
            words += len(b.text.split())
            if words >= _CHUNK_WORDS:
                out.append(("\n\n".join(buf), section))
                buf, words = [], 0
        if buf:
            out.append(("\n\n".join(buf), section))
        if not out and doc.text:
            out.append((doc.text, None))
        return out

    def _cities(
        self, doc: ParsedDocument, text: str, title: str | None, fm: dict[str, Any],
        fields: list[tuple[str, str, str]] | None = None,
    ) -> tuple[list[str], list[str], dict[str, Any]]:
        """Main communes (the subject) and communes only mentioned, as INSEE codes, and why (French).

        The subject is, in order: the front matter; a labelled « Commune » field; the communes of the title;
        the commune of the site that publishes the page (« Ville de Saumur », « Nevers Agglomération »); the
        commune the opening lines name with a place context; the communes the text names most.
        """
        fm_main: list[str] = []
        for key in ("city", "cities", "commune", "communes", "ville", "villes"):
            value = fm.get(key)
            if isinstance(value, str):
                value = [v for v in re.split(r"\s*[,;]\s*", value) if v]
            values = value if isinstance(value, list) else [value] if value else []
            for v in values:
                c = self.gazetteer.resolve(str(v))
                if c and c.insee not in fm_main:
                    fm_main.append(c.insee)
        field_main: list[str] = []
        field_why = ""
        for key, label, value in fields or []:
            if key == "commune" and not field_main:
                field_main = self._towns_in_label(value)
                field_why = f"{label} : {value}"
        context = self.cities.context_in(text) | set(fm_main) | set(field_main)
        first = self.cities.find(text, context)
        context |= {m.insee for m in first if m.strong}
        mentions = self.cities.find(text, context)
        title_hits = self.cities.find(title, context | self.cities.context_in(title), heading=True) if title else []
        title_set = _unique(m.insee for m in title_hits)
        site_set, site_text = self._site_towns(doc)

        counts = Counter(m.insee for m in mentions)
        order = _unique([*title_set, *(m.insee for m in mentions)])
        if fm_main:
            main, why = fm_main, {"source": "front_matter", "libelle": "en-tête du fichier (commune)"}
        elif field_main:
            main, why = field_main, {"source": "champ", "libelle": "champ d'un encadré", "valeur": field_why}
        elif title_set and len(title_set) <= 3:
            main, why = title_set, {"source": "titre", "libelle": "commune nommée dans le titre", "valeur": title}
        elif site_set and len(site_set) == 1 and (site_set[0] in counts or not counts):
            main, why = site_set, {"source": "site", "libelle": "site qui publie la page", "valeur": site_text}
        else:
            main = self._main_from_counts(mentions, counts)
            why = {"source": "texte", "libelle": "commune la plus citée, dès les premières lignes"} if main else \
                {"source": "aucune", "libelle": "aucune commune n'est le sujet du texte"}
            if not main:
                lead = self._lead_town(text, context)
                if lead:
                    main, why = [lead], {"source": "debut", "libelle": "commune présentée dans les premières lignes"}
        mentioned = [c for c in order if c not in main]
        return main, mentioned, why

    def _towns_in_label(self, value: str) -> list[str]:
        """Communes named in a short labelled value or a site name (capitals, « St », no accents forgiven)."""
        found = _unique(m.insee for m in self.cities.find(value, self.cities.context_in(value), heading=True))
        if not found:
            head = re.split(r"\s*[(,;–—|]\s*|\s+-\s+", value.strip())[0]
            c = self.gazetteer.resolve(head)
            found = [c.insee] if c else []
        return found[:3]

    _SITE_TOWN = re.compile(
        r"(?:ville|mairie|commune|cite) (?:de |d'|du )(.+)|(?:agglomeration|agglo|communaute d'agglomeration|"
        r"communaute de communes|communaute urbaine|metropole) (?:de |d'|du )(?:pays de |grand )?(.+)|"
        r"^(?:grand )?(.+?) (?:agglomeration|agglo|metropole|communaute)\b"
    )

    def _site_towns(self, doc: ParsedDocument) -> tuple[list[str], str]:
        """The commune of the site that publishes the page: og:site_name or the <title> suffix (« Ville de
        Lunéville », « Nevers Agglomération », « Agglo du Pays de Dreux »)."""
        html = (doc.meta or {}).get("html") or {}
        names = [str(html.get("og:site_name") or "")]
        full = str(html.get("title") or "")
        parts = re.split(r"\s+(?:\||[-–—·•]{1,2})\s+", full)
        if len(parts) >= 2:
            names += [parts[-1], parts[0]]
        for name in names:
            m = self._SITE_TOWN.search(fold(name).replace("-", " ")) if name else None
            if not m:
                continue
            found = self._towns_in_label(name)
            if found:
                return found[:1], name
        return [], ""

    def _lead_town(self, text: str, context: set[str]) -> str | None:
        """« La ville de Saumur… », « SAUMUR, le 3 mai — »: the commune introduced in the first lines."""
        head = text[:400]
        for m in self.cities.find(head, context):
            before = fold(head[max(0, m.start - 20) : m.start])
            if m.strong and (re.search(r"(?:ville|commune|mairie) (?:de |d')$", before) or m.start < 3):
                return m.insee
        return None

    @staticmethod
    def _main_from_counts(mentions: list[CityMention], counts: Counter[str]) -> list[str]:
        if not counts:
            return []
        lead = {m.insee for m in mentions if m.start < LEAD_CHARS}
        ranked = counts.most_common()
        top = ranked[0][1]
        if len(counts) == 1:
            insee, n = ranked[0]
            return [insee] if (insee in lead or n >= 2) else []
        if len(counts) >= 5 and top <= 2:
            return []  # a list of many communes, none of them the subject
        main = [c for c, n in ranked if n >= 2 and n >= 0.5 * top and (c in lead or n >= 3)]
        if len(main) > 3:
            main = [c for c, n in ranked if n >= 0.75 * top][:3]
        return main

    def _areas(self, text: str, title: str | None, main: list[str]) -> tuple[list[str], list[str]]:
        """Département and region names: those of the main communes, plus areas the text is about.

        An area named in the text counts when it is prominent (title, opening, or named twice) and the
        document has no main commune, or names the area in its title ("les villes lauréates des Hauts-de-France").
        """
        departements: list[str] = []
        regions: list[str] = []
        for insee in main:
            c = self.gazetteer.get(insee)
            if c:
                departements.append(c.departement)
                regions.append(c.region)
        found = self.areas.find(text)
        counts = Counter((a.kind, a.name) for a in found)
        lead = {(a.kind, a.name) for a in found if a.start < LEAD_CHARS}
        in_title = {(a.kind, a.name) for a in self.areas.find(title)} if title else set()
        for key in _unique([*in_title, *((a.kind, a.name) for a in found)]):
            prominent = key in lead or counts[key] >= 2
            if key in in_title or (prominent and not main):
                (regions if key[0] == "region" else departements).append(key[1])
        return _unique(departements), _unique(regions)

    def _doc_axes(self, chunks: list[ChunkMetadata], headings: list[str], text: str,
                  counted: tuple[dict[int, int], dict[str, int]] | None = None) -> list[int]:
        """An axis counts if a heading names it, three chunks carry it, or a chunk carries it and the
        whole text gives it a fair share of the evidence (so a passing mention does not count)."""
        axes: set[int] = set()
        for h in headings:
            if len(h) <= 200:
                axes |= self.axes.explicit(rules_form(h))
        counts = Counter(a for c in chunks for a in c.axes)
        axis_totals, theme_counts = counted or (self.axes.totals(rules_form(text)), self.taxonomy.counts(text))
        totals = self._add_theme_evidence(dict(axis_totals), theme_counts)
        grand = sum(totals.values()) or 1
        for a, k in counts.items():
            t = totals.get(a, 0)
            if k >= AXIS_MIN_CHUNKS or (t >= AXIS_MIN_TOTAL and t / grand >= AXIS_MIN_SHARE):
                axes.add(a)
        return sorted(axes)

    def _doc_themes(self, chunks: list[ChunkMetadata], headings: list[str], text: str,
                    theme_counts: dict[str, int] | None = None) -> list[str]:
        """A theme counts if a heading names it, or the text names it often enough: its own
        `min_mentions` (themes.yaml), and twice in a long document (one passing mention is not a subject)."""
        found: set[str] = set()
        for h in headings:
            if len(h) <= 200:
                found |= set(self.taxonomy.find(h))
        long_doc = len(text.split()) > THEME_LONG_DOC_WORDS
        for t, n in (theme_counts if theme_counts is not None else self.taxonomy.counts(text)).items():
            need = max(self._theme_min.get(t, 1), THEME_LONG_DOC_MENTIONS if long_doc else 1)
            if n >= need:
                found.add(t)
        return [t for t in self.taxonomy.ids if t in found]

    @staticmethod
    def _fm_axes(fm: dict[str, Any]) -> list[int]:
        """Axes given by hand in front matter (`axes: [2, 4]`) win over the rules."""
        value = fm.get("axes") or fm.get("axe")
        values = value if isinstance(value, list) else [value] if value else []
        out = set()
        for v in values:
            m = re.search(r"[1-5]", str(v))
            if m:
                out.add(int(m.group(0)))
        return sorted(out)

    def _fm_themes(self, fm: dict[str, Any]) -> list[str]:
        """Themes given by hand in front matter, kept when they are taxonomy slugs."""
        value = fm.get("themes") or fm.get("theme")
        values = value if isinstance(value, list) else [value] if value else []
        wanted = {str(v).strip() for v in values}
        return [t for t in self.taxonomy.ids if t in wanted]

    @staticmethod
    def _doc_funders(chunks: list[ChunkMetadata]) -> list[str]:
        out: list[str] = []
        for c in chunks:
            for f in c.funders:
                if f not in out:
                    out.append(f)
        return out


def _reader_title_source(doc: ParsedDocument) -> str:
    """Where the reader found its title, in French."""
    meta = doc.meta or {}
    html, pdf = meta.get("html") or {}, meta.get("pdf") or {}
    title = doc.title or ""
    if html:
        for key, name in (("og:title", "og:title de la page"), ("h1", "titre <h1> de la page"),
                          ("title", "balise <title> de la page (sans le nom du site)")):
            if html.get(key) and (html[key] == title or str(html[key]).startswith(title)):
                return name
    if pdf:
        return "titre du PDF (métadonnées)" if pdf.get("title") == title else "premier titre de la première page"
    if isinstance(meta.get("front_matter"), dict) and meta["front_matter"].get("title") == title:
        return "en-tête du fichier"
    return "premier titre du texte"


def _unique(items: Any) -> list[Any]:
    seen: list[Any] = []
    for x in items:
        if x not in seen:
            seen.append(x)
    return seen

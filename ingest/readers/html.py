"""HTML reader: the article's own content, without the site around it.

Pages saved from prefecture or city sites carry menus, cookie banners,
breadcrumbs and « À lire aussi » lists; indexing those would make every page
match every query. We keep <article>, else <main>, else the densest text
container, after removing the chrome, and we collect dates and <meta> tags
for document understanding.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning

from acv.errors import UnreadableFileError
from acv.records import Block, ParsedDocument
from ingest import boilerplate
from ingest.readers._common import date_lines, decode_bytes, normalize_space, word_count

# XHTML and pages that look like a file name are still read as HTML, on purpose
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)

_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "nav", "aside", "footer",
              "button", "select", "object", "embed", "canvas", "dialog", "menu")
_DROP_ROLES = re.compile(r"^(?:navigation|banner|contentinfo|complementary|search|dialog|alertdialog)$", re.IGNORECASE)
_KEEP_ALWAYS = ("html", "body", "main", "article")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ATOMIC = {"p": "paragraph", "pre": "paragraph", "dt": "paragraph", "dd": "paragraph",
           "figcaption": "paragraph", "caption": "paragraph", "summary": "paragraph", "address": "paragraph"}
_BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul", "summary", "caption", "center", "br"]
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
MAX_DEPTH = 512
# Headings of site furniture beyond « À lire aussi » (ingest.boilerplate): other news, most read, comments,
# agenda, downloads, press contacts… The section they open is not the article.
_FURNITURE_HEADING = re.compile(
    r"^\W*(?:(?:les )?autres actualités|vous aimerez aussi|(?:les )?plus lus|(?:les )?dernières (?:infos|actualités)|"
    r"à la une|actualités|agenda|infos? pratiques|liens utiles|en un clic|réactions|commentaires(?: \(\d+\))?|"
    r"ressources associées|documents(?: à télécharger)?|télécharger|restez informée?s?|contact presse|"
    r"contacts? presse|partager(?: la page| cet article)?|newsletter|"
    r"(?:découvr(?:ir|ez) aussi|à découvrir|nos autres|d'autres|les autres|autres) ?(?:fiches?|retours? d'expériences?|"
    r"projets?|initiatives?|exemples?|bonnes pratiques|actualités|articles?|communiqués?)?)\W*$",
    re.IGNORECASE,
)
_LINK_LIST_MIN_CHARS = 30
_TEASER_MAX_WORDS = 60
_TITLE_SITE_HINT = re.compile(r"gouv|\.fr\b|www\.|préfecture|prefecture|ministère|mairie|ville de|agence", re.IGNORECASE)


def read(path: Path, data: bytes) -> ParsedDocument:
    """Parse an HTML page; raise UnreadableFileError with a French reason."""
    text = decode_bytes(data, _declared_charset(data))
    try:
        soup = BeautifulSoup(text, "lxml")
        if _depth(soup) > MAX_DEPTH:
            raise UnreadableFileError(f"page HTML trop profondément imbriquée (plus de {MAX_DEPTH} niveaux)")
        meta = _page_meta(soup)
        _remove_chrome(soup)
        _remove_teasers_and_link_lists(soup)
        container = _main_container(soup)
        meta["time"] = _times(container)
        blocks = _blocks(container) if container is not None else []
        blocks = _with_title(soup, container, blocks)
    except RecursionError as exc:
        raise UnreadableFileError("page HTML trop profondément imbriquée") from exc
    if not blocks:
        raise UnreadableFileError("aucun texte extractible dans la page HTML")
    meta["date_published"] = _htmldate(text)
    title = _title(meta, blocks)
    return ParsedDocument.build(source=str(path), format="html", blocks=blocks, title=title, meta={"html": meta})


def _htmldate(page: str) -> str | None:
    """The publication date htmldate reads from the page's markup (meta tags, JSON-LD, <time>, date
    classes; no guessing from free text), or None.

    It finds dates the reader's own sources miss (JSON-LD only, a bare date under the byline);
    ingest.extract.dates uses it after the page's labelled dates.
    """
    try:
        from htmldate import find_date

        found = find_date(page, original_date=True, outputformat="%Y-%m-%d", extensive_search=False)
    except Exception:  # noqa: BLE001 - htmldate missing or confused: no date from it
        return None
    return found if isinstance(found, str) else None


def _depth(soup: BeautifulSoup) -> int:
    """Deepest element nesting, computed without recursion."""
    deepest = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))
    return deepest


def _declared_charset(data: bytes) -> list[str]:
    """Every charset the page declares: <meta charset>/http-equiv in page order, then the XML prolog."""
    head = data[:4096]
    found = [m.group(1) for m in _META_CHARSET.finditer(head)]
    xml = _XML_ENCODING.search(head)
    found += [xml.group(1)] if xml else []
    return [label.decode("ascii", "ignore") for label in found]


def _gone(tag: Tag) -> bool:
    """`tag.decomposed` without its cost: on a live tag bs4 looks the attribute up as a child tag
    (`tag.find("_decomposed")`), a walk of the whole subtree, quadratic over a big page."""
    return bool(tag.__dict__.get("_decomposed", False))


def _meta_content(metas: list[Tag], **attrs: str) -> str | None:
    """The content of the first <meta> with these attributes (one pass over the page finds all the metas)."""
    for tag in metas:
        if all(tag.get(k) == v for k, v in attrs.items()):
            value = tag.get("content")
            if isinstance(value, str) and value.strip():
                return normalize_space(value)
            return None
    return None


def _page_meta(soup: BeautifulSoup) -> dict[str, Any]:
    """Metadata and date lines of the whole page, read before the chrome is removed."""
    title_tag = soup.find("title")
    h1 = soup.find("h1")
    html_tag = soup.find("html")
    lang = html_tag.get("lang") if isinstance(html_tag, Tag) else None
    json_ld = _json_ld(soup)
    for bad in soup.find_all(("script", "style", "noscript", "template")):
        bad.decompose()
    metas = [m for m in soup.find_all("meta") if isinstance(m, Tag)]
    # a date line is often split over tags (« Publié le <time>…</time> »): read whole blocks
    body = soup.find("body")
    lines = [b.text for b in _blocks(body)] if isinstance(body, Tag) else []
    canonical = soup.find("link", rel="canonical")
    return {
        **_self_description(soup, metas, canonical, json_ld),
        "title": normalize_space(title_tag.get_text()) if isinstance(title_tag, Tag) else None,
        "h1": normalize_space(h1.get_text(" ")) if isinstance(h1, Tag) else None,
        "og:title": _meta_content(metas, property="og:title"),
        "og:site_name": _meta_content(metas, property="og:site_name"),
        "article:published_time": _meta_content(metas, property="article:published_time"),
        "article:modified_time": _meta_content(metas, property="article:modified_time"),
        "og:type": _meta_content(metas, property="og:type"),
        "description": _meta_content(metas, name="description") or _meta_content(metas, property="og:description"),
        "lang": lang if isinstance(lang, str) else None,
        "dates_text": date_lines(lines),
    }


# What a page says about itself besides its title (issue 27): breadcrumb, the site's section or rubric,
# keywords, its address, JSON-LD, and the labelled fields of an « En bref » / « Fiche » box. All read before
# the chrome is removed, since breadcrumbs and side boxes are chrome for the text but not for the labels.
_BREADCRUMB_ATTR = re.compile(r"breadcrumb|ariane|fil-d|filariane|chemin-de-fer|crumbs?\b", re.IGNORECASE)
_SECTION_ATTR = re.compile(
    r"(?:^|[\s_-])(?:rubriques?|categor(?:y|ie|ies)|cat|kicker|surtitre|sur-titre|overline|eyebrow|"
    r"section-(?:title|name)"
    r"|thematiques?|tags?|type(?:-(?:article|contenu|page))?|label|badge|chapeau-rubrique)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BOX_HEADING = re.compile(
    r"^\W*(?:en bref|l'essentiel|fiche(?: (?:projet|d'identité|technique|synthèse|action|expérience))?|"
    r"(?:le )?projet en (?:bref|chiffres)|chiffres[- ]clés|carte d'identité|points? clés|infos? clés|"
    r"repères|en un coup d'œil|synthèse|identité du projet|en chiffres|données clés|fiche synthétique)\W*$",
    re.IGNORECASE,
)
_FIELD_SPLIT = re.compile(r"^([^:|\n–—]{2,40}?)\s*(?:[:|]|\s[–—-]\s)\s*(\S.{0,300})$", re.DOTALL)
_MAX_FIELDS = 40


def _json_ld(soup: BeautifulSoup) -> dict[str, Any]:
    """@type, articleSection, keywords and breadcrumb names of the page's JSON-LD (first object that has them)."""
    import json

    out: dict[str, Any] = {}
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if not isinstance(item, dict):
                continue
            kind = item.get("@type")
            kind = " ".join(kind) if isinstance(kind, list) else kind
            if kind == "BreadcrumbList":
                names = [str((e.get("item") or {}).get("name") or e.get("name") or "")
                         for e in item.get("itemListElement") or [] if isinstance(e, dict)]
                out.setdefault("breadcrumb", " > ".join(n for n in names if n))
            elif isinstance(kind, str):
                out.setdefault("type", kind)
                for key, name in (("articleSection", "section"), ("keywords", "keywords")):
                    value = item.get(key)
                    if isinstance(value, list):
                        value = ", ".join(map(str, value))
                    if isinstance(value, str) and value.strip():
                        out.setdefault(name, normalize_space(value))
    return out


_STRICT_CHROME = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent(?:ement)?|gdpr|rgpd|tarteaucitron|menu|navbar|nav|navigation|footer|"
    r"related|a-lire-aussi|lire-aussi|voir-aussi|sur-le-meme-sujet|meme-sujet|share|sharing|partage|social|"
    r"newsletter|teasers?|cards?|liste-actus?)(?:$|[\s_-])",
    re.IGNORECASE,
)


def _in_chrome(tag: Tag) -> bool:
    """Inside the navigation, the footer, a cookie banner or a list of other articles."""
    for parent in [tag, *tag.parents]:
        if isinstance(parent, Tag) and (parent.name in ("nav", "footer", "form")
                                        or _STRICT_CHROME.search(_attr_text(parent))):
            return True
    return False


def _short_text(tag: Tag, limit: int = 60) -> str | None:
    text = normalize_space(tag.get_text(" "))
    return text if 2 <= len(text) <= limit else None


def _self_description(soup: BeautifulSoup, metas: list[Tag], canonical: Any, json_ld: dict[str, Any]) -> dict[str, Any]:
    crumbs = None
    for tag in soup.find_all(True):
        label = tag.get("aria-label")
        named = isinstance(label, str) and re.search(r"ariane|breadcrumb|vous êtes ici", label, re.IGNORECASE)
        if _BREADCRUMB_ATTR.search(_attr_text(tag)) or named:
            parts = [normalize_space(x.get_text(" ")) for x in tag.find_all(("a", "span", "li", "strong"))
                     if not x.find(("a", "span", "li"))]
            parts = [p for p in parts if p and p not in (">", "/", "›", "»")]
            crumbs = " > ".join(dict.fromkeys(parts)) or normalize_space(tag.get_text(" "))
            break
    # the rubric printed around the title: a short tagged element near the <h1> (not a teaser's tag)
    h1 = soup.find("h1")
    near = h1.parent.parent if isinstance(h1, Tag) and isinstance(h1.parent, Tag) and h1.parent.parent else None
    sections: list[str] = []
    past_title = False
    for tag in near.find_all(True) if isinstance(near, Tag) and near.name != "[document]" else []:
        if len(sections) >= 6:
            break
        past_title = past_title or tag is h1
        if past_title and tag.name == "p" and len(tag.get_text(" ")) > 80:
            break  # the body has started: a rubric is printed around the title, not among the paragraphs
        if tag.name in ("html", "body", "main", "article") or not _SECTION_ATTR.search(_attr_text(tag)):
            continue
        if tag.find(("h1", "h2", "p", "ul", "article")) is not None or _in_chrome(tag):
            continue
        text = _short_text(tag)
        if text and text not in sections:
            sections.append(text)
    keywords = _meta_content(metas, name="keywords") or json_ld.get("keywords")
    url = (canonical.get("href") if isinstance(canonical, Tag) else None) or _meta_content(metas, property="og:url")
    return {
        "breadcrumb": crumbs or json_ld.get("breadcrumb"),
        "section": sections,
        "article:section": _meta_content(metas, property="article:section") or json_ld.get("section"),
        "keywords": keywords,
        "url": url if isinstance(url, str) else None,
        "schema_type": json_ld.get("type"),
        "fields": _box_fields(soup),
    }


def _box_fields(soup: BeautifulSoup) -> list[list[str]]:
    """Labelled fields (« Axe : 2 – … », « Commune | Dreux », <dt>Porteur</dt><dd>…</dd>) of the page's
    boxes: those under a heading « En bref », « Fiche projet », « Chiffres clés »…, or in a <dl> or a
    two-column table anywhere outside the navigation. [label, value, box heading]."""
    fields: list[list[str]] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, value: str, box: str) -> None:
        label, value = normalize_space(label).rstrip(" :"), normalize_space(value)
        if label and value and len(label) <= 40 and (label, value) not in seen and len(fields) < _MAX_FIELDS:
            seen.add((label, value))
            fields.append([label, value[:300], box])

    def from_container(container: Tag, box: str) -> None:
        for dl in container.find_all("dl"):
            label = None
            for child in dl.find_all(("dt", "dd")):
                if child.name == "dt":
                    label = child.get_text(" ")
                elif label:
                    add(label, child.get_text(" "), box)
        for tr in container.find_all("tr"):
            cells = tr.find_all(("th", "td"))
            if len(cells) == 2:
                add(cells[0].get_text(" "), cells[1].get_text(" "), box)
        for item in container.find_all(("li", "p")):
            if item.find(("li", "p", "dl", "table")) is not None:
                continue
            strong = item.find(("strong", "b"))
            text = normalize_space(item.get_text(" "))
            if strong is not None and text.startswith(normalize_space(strong.get_text(" "))):
                head = normalize_space(strong.get_text(" "))
                rest = text[len(head):].lstrip(" :–—-")
                if rest and 1 <= len(head.split()) <= 5:
                    add(head, rest, box)
                    continue
            m = _FIELD_SPLIT.match(text)
            if m and len(m.group(1).split()) <= 5:
                add(m.group(1), m.group(2), box)

    for heading in soup.find_all((*_HEADINGS, "strong", "p", "span", "div", "caption", "legend")):
        text = heading.get_text(" ")
        if len(text) > 60 or not _BOX_HEADING.match(normalize_space(text)) or _in_chrome(heading):
            continue
        box = normalize_space(text)
        container = heading.parent
        while isinstance(container, Tag) and container.name not in ("aside", "section", "div", "article", "body") \
                and container.parent is not None:
            container = container.parent
        if isinstance(container, Tag):
            if container.name in ("article", "body", "main"):  # the heading opens a part of the article
                sibling = heading.find_next_sibling(("ul", "ol", "dl", "table", "div"))
                if isinstance(sibling, Tag):
                    from_container(sibling, box)
            else:
                from_container(container, box)
    for dl in soup.find_all("dl"):
        if not _in_chrome(dl):
            from_container(dl, "")
    for table in soup.find_all("table"):
        if not _in_chrome(table) and all(len(tr.find_all(("th", "td"))) == 2 for tr in table.find_all("tr")):
            from_container(table, "")
    return fields


def _attr_text(tag: Tag) -> str:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    ident = tag.get("id") or ""
    return " ".join([str(ident), *map(str, classes)])


def _remove_chrome(soup: BeautifulSoup) -> None:
    """Drop navigation, banners, sharing widgets and « À lire aussi » sections."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        if not _gone(tag):
            tag.decompose()
    for tag in soup.find_all("header"):
        if not _gone(tag) and tag.find("h1") is None:
            tag.decompose()
    for tag in soup.find_all(True):
        if _gone(tag) or tag.name in _KEEP_ALWAYS:
            continue
        role = tag.get("role")
        chrome = (isinstance(role, str) and _DROP_ROLES.match(role)) or tag.has_attr("hidden") \
            or boilerplate.is_chrome_attr(_attr_text(tag))
        if chrome and tag.find(("h1", "main", "article")) is None:  # never drop the article itself
            tag.decompose()
    for heading in soup.find_all(_HEADINGS):
        if _gone(heading):
            continue
        text = heading.get_text(" ")
        related = boilerplate.is_related_heading(text)
        if not related and not _FURNITURE_HEADING.match(normalize_space(text)):
            continue
        parent = heading.parent
        if isinstance(parent, Tag) and parent.name in ("section", "div", "aside") and parent.find("h1") is None \
                and parent.name not in _KEEP_ALWAYS and len(parent.find_all(_HEADINGS)) == 1:
            parent.decompose()
            continue
        if not related:
            continue  # « Infos pratiques » inside an article is content: only a box of its own is furniture
        # otherwise drop the heading and what follows it up to the next heading of the same rank
        level = int(heading.name[1])
        for sibling in list(heading.find_next_siblings()):
            if sibling.name in _HEADINGS and int(sibling.name[1]) <= level:
                break
            sibling.decompose()
        heading.decompose()


def _class_key(tag: Tag) -> tuple[str, str]:
    classes = tag.get("class") or []
    return tag.name, " ".join(classes) if isinstance(classes, list) else str(classes)


def _remove_teasers_and_link_lists(soup: BeautifulSoup) -> None:
    """Drop lists of teasers (repeated cards: a heading or link and a short text each) and blocks made
    mostly of links (sidebars of other news), never the element that holds the page's <h1>."""
    for tag in soup.find_all(("div", "section", "ul", "ol", "td", "aside")):
        if _gone(tag) or tag.find("h1") is not None or tag.name in _KEEP_ALWAYS:
            continue
        children = [c for c in tag.find_all(True, recursive=False) if c.name not in _HEADINGS]
        if len(children) >= 2 and len({_class_key(c) for c in children}) == 1 and children[0].get("class") \
                and all(c.find(("a", *_HEADINGS)) is not None for c in children) \
                and all(word_count(c.get_text(" ")) <= _TEASER_MAX_WORDS for c in children):
            tag.decompose()
            continue
        text = normalize_space(tag.get_text(" "))
        if len(text) < _LINK_LIST_MIN_CHARS:
            continue
        linked = sum(len(normalize_space(a.get_text(" "))) for a in tag.find_all("a"))
        if linked >= 0.5 * len(text):
            tag.decompose()


def _with_title(soup: BeautifulSoup, container: Tag | None, blocks: list[Block]) -> list[Block]:
    """The page's <h1> when the text container chosen does not hold it (title above the text block)."""
    h1 = soup.find("h1")
    if not isinstance(h1, Tag) or container is None or _gone(h1):
        return blocks
    if container is h1 or h1 in container.descendants:
        return blocks
    title = normalize_space(h1.get_text(" "))
    if not title or any(b.text == title for b in blocks[:3]):
        return blocks
    return [Block(text=title, kind="heading", level=1), *blocks]


def _text_len(tag: Tag) -> int:
    return len(normalize_space(tag.get_text(" ")))


def _main_container(soup: BeautifulSoup) -> Tag | None:
    """<article>, else <main>, else role=main, else the element holding most paragraph text."""
    articles = [a for a in soup.find_all("article") if _text_len(a) > 0]
    if articles:
        return max(articles, key=_text_len)
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if isinstance(main, Tag) and _text_len(main) > 0:
        return main
    scores: dict[int, tuple[float, Tag]] = {}
    for p in soup.find_all(("p", "li", "h2", "h3", "td")):
        length = len(normalize_space(p.get_text(" ")))
        if length < 25:
            continue
        for weight, parent in ((1.0, p.parent), (0.5, p.parent.parent if p.parent else None)):
            if isinstance(parent, Tag) and parent.name not in ("html", "[document]"):
                score, _ = scores.get(id(parent), (0.0, parent))
                scores[id(parent)] = (score + weight * length, parent)
    if scores:
        return max(scores.values(), key=lambda item: item[0])[1]
    body = soup.find("body")
    return body if isinstance(body, Tag) else None


def _times(container: Tag | None) -> list[str]:
    if container is None:
        return []
    values: list[str] = []
    for tag in container.find_all("time"):
        value = tag.get("datetime")
        value = value if isinstance(value, str) and value.strip() else tag.get_text(" ")
        value = normalize_space(value)
        if value and value not in values:
            values.append(value)
    return values


def _is_layout_table(table: Tag) -> bool:
    if table.find(("table", *_HEADINGS, "ul", "ol", "article", "section")) is not None:
        return True
    return any(word_count(cell.get_text(" ")) > 120 for cell in table.find_all(("td", "th")))


def _table_rows(table: Tag) -> list[str]:
    rows: list[str] = []
    for tr in table.find_all("tr"):
        cells = [normalize_space(c.get_text(" ")) for c in tr.find_all(("td", "th"))]
        cells = [c for c in cells if c]
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _blocks(container: Tag) -> list[Block]:
    """Walk the container in document order without recursion (deep pages must not overflow)."""
    blocks: list[Block] = []
    inline: list[str] = []
    inline_kind = ["paragraph"]

    def add(text: str, kind: str, level: int = 0) -> None:
        text = normalize_space(text)
        if text and not boilerplate.is_chrome_line(text):
            blocks.append(Block(text=text, kind=kind, level=level))  # type: ignore[arg-type]

    def flush() -> None:
        if inline:
            add("".join(inline), inline_kind[-1])
            inline.clear()

    # stack items: a node to visit, or a marker string to pop the list-item context
    stack: list[Any] = [container]
    first = True
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            flush()
            inline_kind.pop()
            continue
        if isinstance(node, NavigableString):
            inline.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if not first and name not in _BLOCK_TAGS:
            stack.extend(reversed(list(node.children)))
            continue
        first = False
        if name == "br":
            inline.append(" ")
            continue
        flush()
        if name in _HEADINGS:
            add(node.get_text(" "), "heading", int(name[1]))
        elif name in _ATOMIC:
            add(node.get_text(" "), "list_item" if inline_kind[-1] == "list_item" else _ATOMIC[name])
        elif name == "table" and not _is_layout_table(node):
            caption = node.find("caption")
            if isinstance(caption, Tag):
                add(caption.get_text(" "), "paragraph")
            rows = _table_rows(node)
            if rows:
                blocks.append(Block(text="\n".join(rows), kind="table"))
        elif name == "li":
            inline_kind.append("list_item")
            stack.append("end-li")
            stack.extend(reversed(list(node.children)))
        else:
            stack.extend(reversed(list(node.children)))
    flush()
    return blocks


def _strip_site_suffix(title: str, site: str | None) -> str:
    parts = re.split(r"\s+[|·•]\s+", title)
    title = parts[0] if word_count(parts[0]) >= 2 else title
    match = re.match(r"^(.*\S)\s+[-–—]{1,2}\s+([^-–—|]+)$", title)
    if match:
        tail = match.group(2).strip()
        if (site and tail.lower() == site.lower()) or (_TITLE_SITE_HINT.search(tail) and word_count(tail) <= 6):
            title = match.group(1)
    return title.strip()


def _title(meta: dict[str, Any], blocks: list[Block]) -> str | None:
    site = meta.get("og:site_name")
    for candidate in (meta.get("og:title"), meta.get("h1"), meta.get("title")):
        if candidate:
            stripped = _strip_site_suffix(candidate, site)
            if stripped:
                return stripped
    headings = [b.text for b in blocks if b.kind == "heading"]
    return headings[0] if headings else None

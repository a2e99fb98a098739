"""Shared widgets and helpers of the pages: the client, error display, escaping, result cards.

Document text is never rendered as HTML: every piece of it goes through
`escape_md`, and query terms are marked with Streamlit's own
`:orange-background[…]` directive around escaped text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import streamlit as st

from acv.errors import AcvError
from acv.labels import AXIS_SHORT_LABELS, doc_type_label
from acv.settings import Settings, get_settings
from service.types import DocumentSummary, SearchHit
from ui.client import Client, make_client

AXIS_COLORS = {1: "blue", 2: "green", 3: "orange", 4: "violet", 5: "red"}
PAGES = {
    "search": "views/search.py",
    "map": "views/map.py",
    "document": "views/document.py",
    "city": "views/city.py",
    "upload": "views/upload.py",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")


# -- client and errors ------------------------------------------------------------


@st.cache_resource(show_spinner="Ouverture de la base de connaissances…")
def _client(data_dir: str, embedder: str, model: str, api_url: str | None) -> Client:
    # The arguments only key the cache: one client per configuration and process.
    return make_client(get_settings())


def get_client() -> Client:
    """The process-wide client (model and index opened once)."""
    s = get_settings()
    return _client(str(s.data_dir), s.embedder, s.embedder_model, s.api_url)


def settings() -> Settings:
    return get_settings()


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def local_admin_key() -> str | None:
    """The API key this interface uses without asking, or None when the user must type one.

    Only an interface that opens the base itself (no ACV_API_URL), listens on the loopback address and was
    given ACV_API_KEY (as scripts/up.sh does with its local administrator key) uses it: whoever reaches it
    sits at this machine. An interface talking to a remote API, or reachable from the network, asks.
    """
    s = get_settings()
    if s.api_url or s.api_key is None:
        return None
    if str(st.get_option("server.address") or "") not in LOOPBACK:
        return None
    return s.api_key.get_secret_value()


def api_key_input(key: str, help: str | None = None) -> str:
    """The key field, or the local administrator key with a one-line notice (see `local_admin_key`)."""
    local = local_admin_key()
    if local is not None:
        st.caption(":material/key: Clé d'administration locale utilisée automatiquement.")
        return local
    return st.text_input("Clé d'API", type="password", key=key, help=help)


def theme_labels() -> dict[str, str]:
    """Theme slug → French label, as the knowledge base names them."""
    return {f.value: f.label for f in get_client().facets().get("theme", [])}


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show a domain error as one French message instead of a traceback."""
    try:
        yield
    except AcvError as exc:
        st.error(exc.message, icon=":material/error:")
    except Exception:  # last resort: users never see a traceback
        import logging

        logging.getLogger("acv.ui").exception("UI error")
        st.error("Une erreur inattendue s'est produite. Réessayez ou consultez le journal du serveur.",
                 icon=":material/error:")


# -- formatting -----------------------------------------------------------------------


def escape_md(text: str) -> str:
    """Markdown-inert text: every punctuation sign that Markdown or Streamlit could interpret is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def highlighted(snippet: str, spans: Sequence[Sequence[int]]) -> str:
    """The snippet as escaped Markdown with the given [start, end) spans on an orange background."""
    out: list[str] = []
    pos = 0
    for start, end in sorted((int(s), int(e)) for s, e in spans or []):
        if start < pos or end <= start:
            continue
        out.append(escape_md(snippet[pos:start]))
        out.append(f":orange-background[**{escape_md(snippet[start:end])}**]")
        pos = end
    out.append(escape_md(snippet[pos:]))
    return "".join(out)


def french_date(iso: str | None) -> str:
    if not iso:
        return "date inconnue"
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def axis_badges(axes: Sequence[int | str]) -> str:
    """Axis badges as Streamlit Markdown (empty when no axis)."""
    items = []
    for a in sorted({int(x) for x in axes or [] if str(x).isdigit()}):
        label = AXIS_SHORT_LABELS.get(a, "")
        items.append(f":{AXIS_COLORS.get(a, 'gray')}-badge[Axe {a} · {label}]")
    return " ".join(items)


def cities_text(cities: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(c["name"] for c in cities) or "Programme national"


def meta_line(item: SearchHit | DocumentSummary) -> str:
    """Town · date · type, escaped."""
    parts = [cities_text(item.cities), french_date(item.date), doc_type_label(item.doc_type or "")]
    return escape_md(" · ".join(p for p in parts if p))


# -- result widgets ---------------------------------------------------------------------------


def passage_link(doc_id: str, chunk_id: int, page: int | None, label: str | None = None) -> None:
    """'p. 7' (or another label) opening the document page at that passage."""
    text = label or (f"p. {page}" if page else "Voir le passage")
    params = {"doc": doc_id, "chunk": str(chunk_id)} | ({"page": str(page)} if page else {})
    st.page_link(PAGES["document"], label=text, icon=":material/description:", query_params=params)


def similar_ui(client: Client, chunk_id: int) -> None:
    """Passages from other towns close to this one."""
    with st.spinner("Recherche de projets comparables…"):
        data = client.similar(chunk_id, k=SIMILAR_ASKED)
    results = one_per_document(data.results)[:SIMILAR_SHOWN]
    if not results:
        st.info("Aucun projet comparable trouvé dans d'autres villes.")
        return
    for r in results:
        with st.container(border=True):
            st.markdown(f"**{escape_md(r.title or r.source)}** — {meta_line(r)}")
            st.caption(escape_md(r.snippet))
            passage_link(r.doc_id, r.chunk_id, r.page)


SIMILAR_SHOWN = 5
SIMILAR_ASKED = 20  # passages asked for, so that five distinct documents remain


def one_per_document(hits: Sequence[SearchHit]) -> list[SearchHit]:
    """The best passage of each document, in rank order: a convention close in several passages is one line."""
    seen: set[str] = set()
    out = []
    for h in hits:
        if h.doc_id not in seen:
            seen.add(h.doc_id)
            out.append(h)
    return out


def result_card(client: Client, result: SearchHit) -> None:
    """One document of the results: title, town, date, type, axes, highlighted snippet, page, comparables."""
    with st.container(border=True):
        st.markdown(f"#### {result.rank}. {escape_md(result.title or result.source)}")
        st.markdown(meta_line(result))
        badges = axis_badges(result.axes)
        if result.ocr:
            badges = (badges + " " if badges else "") + OCR_BADGE
        if badges:
            st.markdown(badges)
        st.markdown(highlighted(result.snippet, result.highlights))
        if result.duplicates:
            also_published(result)
        key = f"similar-{result.chunk_id}"
        with st.container(horizontal=True, vertical_alignment="center"):
            passage_link(result.doc_id, result.chunk_id, result.page)
            url = client.file_url(result.doc_id, result.page)
            if url:
                st.link_button("Ouvrir le PDF" if result.page else "Fichier original", url)
            if st.button("Projets comparables", key=f"btn-{key}", icon=":material/compare_arrows:"):
                st.session_state[key] = not st.session_state.get(key, False)
        if st.session_state.get(key):
            similar_ui(client, result.chunk_id)
        others = result.passages or []
        if others:
            with st.expander(f"{len(others)} autre(s) passage(s) de ce document"):
                for p in others:
                    st.markdown(highlighted(p.snippet, p.highlights))
                    passage_link(p.doc_id, p.chunk_id, p.page)


OCR_BADGE = ":gray-badge[:material/document_scanner: texte reconnu par OCR]"


def also_published(result: SearchHit) -> None:
    """« Aussi publié par : … », one link per other publication of the same announcement."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown("Aussi publié par :")
        for d in result.duplicates:
            st.page_link(PAGES["document"], label=duplicate_label(d.title, d.source), icon=":material/link:",
                         query_params={"doc": d.doc_id})


def duplicate_label(title: str | None, source: str) -> str:
    """The other publication's site, read from its file name, then its title."""
    name = source.rsplit("/", 1)[-1]
    return f"{title} ({name})" if title else name


def document_card(doc: DocumentSummary) -> None:
    """A document without a query: title, town, date, type, axes."""
    with st.container(border=True):
        st.markdown(f"**{escape_md(doc.title or doc.source)}**")
        st.markdown(meta_line(doc))
        badges = axis_badges(doc.axes)
        if badges:
            st.markdown(badges)
        st.page_link(PAGES["document"], label="Ouvrir le document", icon=":material/description:",
                     query_params={"doc": doc.doc_id})


def current_search() -> dict[str, Any]:
    """The last search made on the Recherche page (query and filters), shared with the map."""
    return dict(st.session_state.get("search_state") or {})

"""Document: metadata, the text page by page with the matched passage highlighted, the original file.

The document and the passage come from the URL (`?doc=…&chunk=…`), so the
links of the search results open the right page.
"""

from __future__ import annotations

from collections import defaultdict

import streamlit as st

from acv.labels import AXIS_LABELS, doc_type_label
from service.types import ChunkView, DocumentDetail
from ui.components import (
    PAGES,
    axis_badges,
    escape_md,
    french_date,
    get_client,
    shown_errors,
    theme_labels,
)


def document_choice_ui() -> str | None:
    """The document asked for in the URL, or one chosen from the list."""
    doc_id = st.query_params.get("doc")
    if doc_id:
        return doc_id
    docs = get_client().documents().documents
    if not docs:
        st.info("La base ne contient encore aucun document.")
        return None
    labels = {d.doc_id: f"{d.title or d.source} ({french_date(d.date)})" for d in docs}
    chosen = st.selectbox("Choisir un document", list(labels), format_func=lambda i: labels[i], index=None,
                          placeholder="Titre du document…")
    if chosen:
        st.query_params["doc"] = chosen
    return chosen


def chosen_chunk() -> int | None:
    return _int_param("chunk")


def chosen_page() -> int | None:
    """`?page=7`: a shared link to a document at one of its pages."""
    return _int_param("page")


def _int_param(name: str) -> int | None:
    try:
        return int(st.query_params.get(name, ""))
    except ValueError:
        return None


def metadata_ui(doc: DocumentDetail) -> None:
    st.title(escape_md(doc.title or doc.source))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Type", doc_type_label(doc.doc_type))
    c2.metric("Date", french_date(doc.date))
    c3.metric("Pages", doc.page_count or "—")
    c4.metric("Passages", len(doc.chunks))
    towns = ", ".join(c.name for c in doc.cities) or "Programme national"
    lines = [f"**Ville(s) :** {escape_md(towns)}"]
    if doc.mentioned_cities:
        lines.append("**Autres villes citées :** " + escape_md(", ".join(c.name for c in doc.mentioned_cities)))
    if doc.departements or doc.regions:
        lines.append("**Territoire :** " + escape_md(", ".join([*doc.departements, *doc.regions])))
    if doc.axes:
        lines.append("**Axes :** " + escape_md(" ; ".join(f"{a}. {AXIS_LABELS.get(int(a), '')}" for a in doc.axes)))
    if doc.themes:
        lines.append("**Thèmes :** " + escape_md(", ".join(theme_labels().get(t, t) for t in doc.themes)))
    if doc.amounts:
        lines.append("**Montants :** " + escape_md(", ".join(a.text for a in doc.amounts[:8])))
    if doc.funders:
        lines.append("**Financeurs :** " + escape_md(", ".join(doc.funders)))
    lines.append(f"**Fichier :** {escape_md(doc.source.rsplit('/', 1)[-1])} ({escape_md(doc.format)})")
    st.markdown("  \n".join(lines))
    badges = axis_badges(doc.axes)
    if badges:
        st.markdown(badges)
    for c in doc.cities:
        st.page_link(PAGES["city"], label=f"Fiche de la ville : {c.name}", icon=":material/location_city:",
                     query_params={"insee": c.insee})


def download_ui(doc_id: str) -> None:
    with st.spinner("Lecture du fichier original…"):
        f = get_client().document_file(doc_id)
    st.download_button("Télécharger le fichier original", f.data, file_name=f.name, mime=f.mime,
                       icon=":material/download:",
                       key="download_original")


def paragraphs(text: str, highlight: bool) -> str:
    """Escaped Markdown paragraphs; the matched passage on an orange background."""
    parts = [escape_md(" ".join(p.split())) for p in text.split("\n\n") if p.strip()]
    if highlight:
        parts = [f":orange-background[{p}]" for p in parts]
    return "\n\n".join(parts)


def text_ui(doc: DocumentDetail, chunk_id: int | None, page_wanted: int | None = None) -> None:
    """The text, one expander per page; the page of the matched passage (or the page of the link) is open."""
    st.subheader("Texte du document")
    by_page: dict[int | None, list[ChunkView]] = defaultdict(list)
    for c in doc.chunks:
        by_page[c.page].append(c)
    target = next((c.page for c in doc.chunks if c.chunk_id == chunk_id), None)
    if target is None and page_wanted is not None and any(c.page == page_wanted for c in doc.chunks):
        target = page_wanted
    if chunk_id is not None and all(c.chunk_id != chunk_id for c in doc.chunks):
        st.warning("Le passage demandé ne fait pas partie de ce document.")
    for n, (page, chunks) in enumerate(sorted(by_page.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))):
        title = f"Page {page}" if page else "Texte intégral"
        if any(c.ocr for c in chunks):
            title += " (texte reconnu par OCR)"
        matched = any(c.chunk_id == chunk_id for c in chunks)
        with st.expander(title + (" — passage trouvé" if matched else ""),
                         expanded=matched or page == target or (target is None and n == 0)):
            section = None
            for c in chunks:
                if c.section and c.section != section:
                    section = c.section
                    st.markdown(f"**{escape_md(section)}**")
                if c.chunk_id == chunk_id:
                    st.caption("▼ Passage correspondant à la recherche")
                st.markdown(paragraphs(c.text, c.chunk_id == chunk_id))


def main() -> None:
    doc_id: str | None = None
    doc: DocumentDetail | None = None
    with shown_errors():
        doc_id = document_choice_ui()
        if not doc_id:
            st.title("Document")
            return
        with st.spinner("Chargement du document…"):
            doc = get_client().document(doc_id)
        metadata_ui(doc)
    if doc_id and doc:
        with shown_errors():
            download_ui(doc_id)
        text_ui(doc, chosen_chunk(), chosen_page())


if __name__ == "__main__":
    main()

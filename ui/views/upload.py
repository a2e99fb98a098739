"""Ajouter un document: upload one file (API key required), then show what was extracted from it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from acv.errors import AcvError
from acv.labels import AXIS_LABELS, doc_type_label
from service.types import UploadResult
from ui.components import (
    PAGES,
    api_key_input,
    escape_md,
    french_date,
    get_client,
    settings,
    shown_errors,
    theme_labels,
)


def form_ui() -> tuple[Any, str, bool]:
    """The file, the API key and the submit button."""
    s = settings()
    if not s.api_url and s.api_key is None:
        st.warning("Aucune clé d'API n'est configurée (variable ACV_API_KEY) : l'ajout de documents est désactivé.")
    with st.form("upload", clear_on_submit=False):
        file = st.file_uploader("Fichier (PDF, HTML, Markdown ou texte)", type=["pdf", "html", "htm", "md", "txt"])
        key = api_key_input("upload_key", help="La clé définie par ACV_API_KEY sur le serveur.")
        sent = st.form_submit_button("Ajouter le document", type="primary")
    return file, key, sent


def metadata_ui(result: UploadResult) -> None:
    doc = result.document
    status = {"added": "ajouté", "updated": "mis à jour", "unchanged": "déjà présent, inchangé",
              "moved": "déjà présent (fichier déplacé)"}.get(result.status, result.status)
    n = len(doc.chunks)
    st.success(f"Document {status} : {n} passage{'s' if n > 1 else ''} indexé{'s' if n > 1 else ''}.")
    st.subheader("Métadonnées extraites")
    rows = {
        "Titre": doc.title or "—",
        "Type": doc_type_label(doc.doc_type),
        "Date": french_date(doc.date),
        "Ville(s)": ", ".join(c.name for c in doc.cities) or "—",
        "Autres villes citées": ", ".join(c.name for c in doc.mentioned_cities) or "—",
        "Axes": " ; ".join(f"{a}. {AXIS_LABELS.get(int(a), '')}" for a in doc.axes) or "—",
        "Thèmes": ", ".join(theme_labels().get(t, t) for t in doc.themes) or "—",
        "Montants": ", ".join(a.text for a in doc.amounts[:8]) or "—",
        "Financeurs": ", ".join(doc.funders) or "—",
    }
    st.markdown("  \n".join(f"**{k} :** {escape_md(str(v))}" for k, v in rows.items()))
    st.page_link(PAGES["document"], label="Ouvrir le document", icon=":material/description:",
                 query_params={"doc": doc.doc_id})


def main() -> None:
    st.title("Ajouter un document")
    st.caption("Le document est lu, découpé en passages, analysé (type, date, villes, axes, thèmes) et indexé.")
    file, key, sent = form_ui()
    if not sent:
        return
    if file is None:
        st.error("Choisissez d'abord un fichier.")
        return
    with shown_errors():
        with st.status("Ajout du document…", expanded=True) as status:
            st.write(f"Envoi de « {escape_md(file.name)} » ({file.size / 1024:.0f} Ko)…")
            try:
                result = get_client().upload(file.name, file.getvalue(), key)
            except AcvError:
                status.update(label="Ajout refusé ou impossible", state="error")
                raise
            status.update(label="Document ajouté", state="complete", expanded=False)
        metadata_ui(result)


if __name__ == "__main__":
    main()

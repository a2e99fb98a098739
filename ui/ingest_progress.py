"""A banner on every page while the corpus is being indexed: files, passages, time left.

The ingest publishes its progress in the store (`ingest.progress`); this
reads it without writing and refreshes itself every few seconds, so a
newcomer sees the index fill up while searching what is already in.
"""

from __future__ import annotations

import streamlit as st

from acv.settings import get_settings
from service.maintenance import IngestProgress, ingest_progress

REFRESH_S = 3


def progress_text(p: IngestProgress) -> str:
    """The French sentence of the banner (kept apart from Streamlit so that it can be tested as is)."""
    done = f"{p.files_done} fichier{'s' if p.files_done > 1 else ''} sur {p.files_total}"
    passages = f"{p.passages} passage{'s' if p.passages > 1 else ''} indexé{'s' if p.passages > 1 else ''}"
    left = f" ; temps restant estimé : {duration(p.eta_s)}" if p.eta_s is not None else " ; temps restant : estimation en cours"
    return (f"Indexation du corpus en cours : {done}, {passages}{left}. "
            "La recherche porte déjà sur les documents indexés.")


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@st.fragment(run_every=REFRESH_S)
def show_ingest_progress() -> None:
    """The banner, or nothing when no ingest is running; reruns itself alone every few seconds."""
    progress = ingest_progress(get_settings())
    if progress is None or progress.state == "done":
        return
    if progress.state == "interrupted":
        st.warning(f"La dernière indexation s'est interrompue après {progress.files_done} fichiers sur "
                   f"{progress.files_total} ; relancez « acv ingest » pour la reprendre.", icon=None)
        return
    fraction = progress.bytes_done / progress.bytes_total if progress.bytes_total else 0.0
    st.progress(min(1.0, max(0.0, fraction)), text=progress_text(progress))

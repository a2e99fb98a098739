"""Entry point of the Streamlit UI (`acv ui`, or `streamlit run ui/app.py`): page navigation only."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts ui/ on the path, not the project root
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import streamlit as st  # noqa: E402

HERE = Path(__file__).resolve().parent


def pages() -> list[st.Page]:
    return [
        st.Page(HERE / "pages" / "search.py", title="Recherche", icon=":material/search:", url_path="recherche", default=True),
        st.Page(HERE / "pages" / "map.py", title="Carte", icon=":material/map:", url_path="carte"),
        st.Page(HERE / "pages" / "city.py", title="Ville", icon=":material/location_city:", url_path="ville"),
        st.Page(HERE / "pages" / "document.py", title="Document", icon=":material/description:", url_path="document"),
        st.Page(HERE / "pages" / "upload.py", title="Ajouter un document", icon=":material/upload_file:", url_path="ajouter"),
    ]


def main() -> None:
    st.set_page_config(page_title="Action cœur de ville — base de connaissances", layout="wide")
    nav = st.navigation(pages())
    st.sidebar.caption("Base de connaissances du programme Action cœur de ville")
    nav.run()


main()

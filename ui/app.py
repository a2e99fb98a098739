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

from ui.french import speak_french  # noqa: E402
from ui.ingest_progress import show_ingest_progress  # noqa: E402
from ui.style import apply_style  # noqa: E402

HERE = Path(__file__).resolve().parent


SEARCH = st.Page(HERE / "views" / "search.py", title="Recherche", url_path="recherche")


def home() -> None:
    """The address « / »: the Recherche page at its own address, with the query and filters of the link (older
    shared links were « /?q=… »), so that the address in the bar is always the one to share."""
    st.switch_page(SEARCH, query_params={k: st.query_params.get_all(k) for k in st.query_params})


def pages() -> list[st.Page]:
    return [
        st.Page(home, title="Accueil", url_path="accueil", default=True, visibility="hidden"),
        SEARCH,
        st.Page(HERE / "views" / "map.py", title="Carte", url_path="carte"),
        st.Page(HERE / "views" / "city.py", title="Ville", url_path="ville"),
        st.Page(HERE / "views" / "document.py", title="Document", url_path="document"),
        st.Page(HERE / "views" / "upload.py", title="Ajouter un document", url_path="ajouter"),
    ]


def favicon():
    """A favicon drawn here: a page's Material icon would make the browser fetch one from a font server."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((4, 4, 60, 60), radius=14, fill=(200, 16, 46, 255))
    draw.ellipse((20, 20, 44, 44), fill=(255, 255, 255, 255))
    return img


def main() -> None:
    nav = st.navigation(pages())
    st.set_page_config(page_title=f"{nav.title} — Action cœur de ville", page_icon=favicon(), layout="wide")
    st.sidebar.caption("Base de connaissances du programme Action cœur de ville")
    speak_french()  # Streamlit's own English sentences (ui/french.py)
    apply_style()  # long labels wrap instead of ending in « … »
    show_ingest_progress()  # the index filling up on a first run
    nav.run()


main()

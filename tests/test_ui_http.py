"""The UI over the search API (`ACV_API_URL`): the same pages, served by a real uvicorn process in a thread."""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest

from ui.components import escape_md
from streamlit.testing.v1 import AppTest

from acv.settings import Settings, get_settings
from tests.test_ui import AGEN, APP, EPINAL, SENS, UI_DATA, ingest_fixtures, plain, result_titles, search, url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory):
    """The search API on an ingested temporary base, with an API key; yields (base URL, titles → ids)."""
    import uvicorn

    from search_api.app import create_app

    data_dir = tmp_path_factory.mktemp("ui-http") / "var"
    ids = ingest_fixtures(data_dir)
    settings = Settings(data_dir=data_dir, embedder="fake", embedder_model="64", api_key="cle-de-test",
                        _env_file=None)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ids
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def app(api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    base_url, _ids = api
    # The UI's own data dir is empty: everything it shows must come from the API.
    monkeypatch.setenv("ACV_DATA_DIR", str(tmp_path / "ui-var"))
    monkeypatch.setenv("ACV_EMBEDDER", "fake")
    monkeypatch.setenv("ACV_EMBEDDER_MODEL", "64")
    monkeypatch.setenv("ACV_API_URL", base_url)
    monkeypatch.delenv("ACV_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()

    def start(page: str = "views/search.py", **params: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        at.query_params.update(params)
        if page != "views/search.py" or params:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    yield start
    get_settings.cache_clear()


def test_search_and_filter_over_the_api(app, api) -> None:
    at = search(app(), "maison de santé")
    assert EPINAL in result_titles(at) and AGEN in result_titles(at)
    at.multiselect(key="f_city").select("88160").run()
    assert result_titles(at) == [EPINAL]
    assert url(at) == {"q": ["maison de santé"], "city": ["88160"]}
    # Results link to the original file served by the API.
    assert [b.url for b in at.get("link_button")] == [f"{api[0]}/documents/{api[1][EPINAL]}/file"]


def test_pdf_results_open_the_file_at_the_page(app, api) -> None:
    at = search(app(), "maison de santé")
    at.multiselect(key="f_city").select("89387").run()
    assert result_titles(at) == [SENS]
    link = at.get("link_button")[0]
    assert link.label == "Ouvrir le PDF"
    assert re.fullmatch(rf"{re.escape(api[0])}/documents/{api[1][SENS]}/file#page=[1-3]", link.url)


def test_api_errors_are_shown_in_french(app) -> None:
    at = app("views/search.py", q="commerce", axis="9")
    assert [e.value for e in at.error] == ["Axe inconnu : « 9 ». Les axes vont de 1 à 5."]


def test_document_and_city_pages_over_the_api(app, api) -> None:
    at = app("views/document.py", doc=api[1][AGEN])
    assert at.title[0].value == escape_md(AGEN)
    assert {m.label: m.value for m in at.metric}["Date"] == "12/03/2019"
    assert [b.label for b in at.get("download_button")] == ["Télécharger le fichier original"]
    at = app("views/city.py", insee="88160")
    assert at.title[0].value == "Épinal"
    assert {m.label: m.value for m in at.metric}["Documents"] == "1"


def test_map_over_the_api(app) -> None:
    at = app("views/map.py")
    assert at.caption[0].value.startswith("244 communes.")
    assert len(at.selectbox(key="map_town").options) == 244


def test_upload_over_the_api_needs_the_key(app) -> None:
    at = app("views/upload.py")
    assert not at.warning  # the API decides
    data = (UI_DATA / "communique-agen-2019.md").read_bytes().replace(b"12 mars 2019", b"13 mars 2019")
    at.file_uploader[0].upload("nouveau.md", data, "text/markdown")
    at.text_input[0].input("mauvaise")
    at.button[0].click().run()
    assert len(at.error) == 1 and not at.success
    at.text_input[0].input("cle-de-test")
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith("Document ajouté : ")
    assert plain(next(m.value for m in at.markdown if m.value.startswith("**Titre :**"))).startswith(
        f"**Titre :** {AGEN}")


def test_follow_a_search_over_the_api_gives_a_working_feed(app, api) -> None:
    import httpx

    at = search(app(), "maison de santé")
    at.text_input(key="follow_name").input("Maisons de santé")
    at.text_input(key="follow_key").input("cle-de-test")
    next(b for b in at.get("button") if getattr(b, "label", "") == "Enregistrer et obtenir le flux").click().run()
    assert not at.error, [e.value for e in at.error]
    feed_url = at.code[0].value
    assert re.fullmatch(rf"{re.escape(api[0])}/feeds/[0-9a-f]{{16}}\.atom", feed_url)
    import xml.etree.ElementTree as ET

    feed = httpx.get(feed_url)
    assert feed.status_code == 200
    title = ET.fromstring(feed.content).findtext("{http://www.w3.org/2005/Atom}title")
    assert title == "Action cœur de ville — Maisons de santé"

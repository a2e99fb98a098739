"""Start-up recovery: what a killed server left in the uploads folder is removed and logged; a rebuilt lexical
or dense index is logged at INFO with the reason."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from fastapi.testclient import TestClient

from index.lexical import LEXICAL_DIR
from index.vectors import CONFIG_FILE, INDEX_FILE
from ingest.progress import META_KEY
from tests._api_fixtures import AGEN, API_KEY, QUIMPER, make_app, make_kb, make_settings

KEY = {"X-API-Key": API_KEY}
HOUR_AGO = time.time() - 3600


def _plant(path, data: bytes, old: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if old:
        os.utime(path, (HOUR_AGO, HOUR_AGO))


def _files(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_leftovers_of_a_killed_server_are_removed_and_logged_at_the_next_start(tmp_path, caplog):
    settings = make_settings(tmp_path / "var")
    with TestClient(make_app(settings)) as api:
        kept = api.post("/documents", files={"file": ("agen.md", AGEN.read_bytes())}, headers=KEY)
        assert kept.status_code == 201
    uploads = settings.uploads_dir
    os.utime(uploads / "agen.md", (HOUR_AGO, HOUR_AGO))  # an old upload with its document: kept
    killed = subprocess.Popen(["true"])
    killed.wait()  # a server process that is gone
    alive = subprocess.Popen(["sleep", "60"])  # another server, receiving a file right now
    try:
        _plant(uploads / ".incoming" / f"{killed.pid}-1a2b.part", b"# moitie", old=False)  # killed while receiving
        _plant(uploads / ".incoming" / "0123abcd.part", b"# moitie d'envoi", old=True)  # older name, long stalled
        _plant(uploads / "quimper.html", QUIMPER.read_bytes(), old=True)  # killed during its ingest
        _plant(uploads / ".incoming" / f"{alive.pid}-3c4d.part", b"en cours", old=False)
        _plant(uploads / ".incoming" / "encours.part", b"en cours", old=False)  # owner unknown, still written
        _plant(uploads / "juste-arrive.md", b"# tout neuf", old=False)  # about to be ingested elsewhere
        os.symlink(AGEN, uploads / "lien.md")
        os.utime(uploads / "lien.md", (HOUR_AGO, HOUR_AGO), follow_symlinks=False)
        with caplog.at_level(logging.INFO, logger="service.uploads"):
            with TestClient(make_app(settings)) as api:
                messages = [r.getMessage() for r in caplog.records if r.name == "service.uploads"]
                assert messages == [
                    "start-up: removed incomplete upload 0123abcd.part (its reception was interrupted)",
                    f"start-up: removed incomplete upload {killed.pid}-1a2b.part (its reception was interrupted)",
                    "start-up: removed upload quimper.html: no document in the base (its ingest was interrupted)",
                ]
                assert _files(uploads) == [f".incoming/{alive.pid}-3c4d.part", ".incoming/encours.part", "agen.md",
                                           "juste-arrive.md", "lien.md"]
    finally:
        alive.kill()
        alive.wait()
    with TestClient(make_app(settings)) as api:  # the other server is gone too: its .part goes at this start
        assert f".incoming/{alive.pid}-3c4d.part" not in _files(uploads)
        assert ".incoming/encours.part" in _files(uploads)  # owner unknown and written recently: kept
        again = api.post("/documents", files={"file": ("quimper.html", QUIMPER.read_bytes())}, headers=KEY)
        assert again.status_code == 201, again.text
        assert again.json()["source"] == "uploads/quimper.html"  # not quimper-2.html


def test_stored_uploads_are_left_alone_while_an_ingest_runs(tmp_path):
    settings = make_settings(tmp_path / "var")
    kb = make_kb(settings)
    kb.ingest([AGEN])
    progress = {"state": "running", "files_total": 1, "files_done": 0, "passages": 0, "embedded": 0, "errors": 0,
                "bytes_total": 1, "bytes_done": 0, "elapsed_s": 0.0, "eta_s": None, "current": "",
                "updated_at": time.time(), "pid": os.getpid(), "host": socket.gethostname()}
    kb.store.set_meta(META_KEY, json.dumps(progress))
    _plant(settings.uploads_dir / "en-ingestion.md", b"# en cours", old=True)
    _plant(settings.uploads_dir / ".incoming" / "mort.part", b"x", old=True)
    assert kb.uploads.recover() == [".incoming/mort.part"]
    assert _files(settings.uploads_dir) == ["en-ingestion.md"]
    kb.close()


def _rebuild_logs(caplog, settings) -> list[tuple[str, str]]:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        kb = make_kb(settings)
        kb.dense
        kb.search("vacance commerciale", k=1)
        kb.close()
    return [(r.levelname, r.getMessage()) for r in caplog.records
            if "rebuilding" in r.getMessage() or "unreadable" in r.getMessage()]


def test_a_rebuilt_dense_or_lexical_index_is_logged_with_its_reason(tmp_path, caplog):
    settings = make_settings(tmp_path / "var")
    kb = make_kb(settings)
    kb.ingest([AGEN, QUIMPER])
    kb.search("vacance", k=1)
    kb.close()
    vectors, lexical = settings.vectors_dir, settings.data_dir / LEXICAL_DIR
    assert _rebuild_logs(caplog, settings) == []

    (vectors / INDEX_FILE).write_bytes(b"abime")
    assert _rebuild_logs(caplog, settings) == [
        ("WARNING", "dense index file rejected (checksum mismatch); rebuilding from the store"),
        ("INFO", f"dense index {vectors}: rebuilding from the store (saved file rejected)")]
    (vectors / INDEX_FILE).unlink()
    assert _rebuild_logs(caplog, settings) == [
        ("INFO", f"dense index {vectors}: rebuilding from the store (index file missing)")]
    (vectors / CONFIG_FILE).write_text("{pas du json", "utf-8")
    assert _rebuild_logs(caplog, settings) == [
        ("WARNING", "dense index settings unreadable; rebuilding from the store"),
        ("INFO", f"dense index {vectors}: rebuilding from the store (settings unreadable)")]

    shutil.rmtree(lexical)
    assert _rebuild_logs(caplog, settings) == [("INFO", "lexical index no position recorded: rebuilding from the store")]
    assert _rebuild_logs(caplog, settings) == []


def _serve(tmp_path, data, port: int, log_name: str):
    import httpx

    from tests.test_disk_full import ROOT, _cli_env

    env = _cli_env(data, ACV_API_KEY=API_KEY, ACV_RATE_LIMIT_PER_MINUTE="0")
    log = open(tmp_path / log_name, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while True:
        assert proc.poll() is None, (tmp_path / log_name).read_text()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc, log
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "le serveur n'a pas démarré"
        time.sleep(0.3)


@pytest.mark.system
def test_kill_9_during_an_upload_reception_then_restart_cleans_and_logs(tmp_path):
    """A real server killed with SIGKILL while it receives a file; the next start removes the .part and says so."""
    import threading

    import httpx

    data = tmp_path / "var"
    port = 18202
    proc, log = _serve(tmp_path, data, port, "premier.log")
    incoming = data / "uploads" / ".incoming"

    def slow_body():
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="lent.md"\r\n\r\n# Lent\n'
        for _ in range(200):
            time.sleep(0.1)
            yield b"La halle de Cahors accueille les producteurs. " * 50

    def upload():
        try:
            httpx.post(f"http://127.0.0.1:{port}/documents", content=slow_body(), timeout=60,
                       headers={"X-API-Key": API_KEY, "content-type": "multipart/form-data; boundary=b"})
        except httpx.HTTPError:
            pass

    sender = threading.Thread(target=upload, daemon=True)
    sender.start()
    try:
        deadline = time.monotonic() + 30
        while not (incoming.is_dir() and list(incoming.glob("*.part"))):
            assert time.monotonic() < deadline, "la réception n'a pas commencé"
            time.sleep(0.1)
        part = next(incoming.glob("*.part"))
        assert part.name.startswith(f"{proc.pid}-")
    finally:
        proc.kill()
        proc.wait()
        log.close()
    sender.join(timeout=30)
    assert part.exists()  # what the killed server left
    proc, log = _serve(tmp_path, data, port, "second.log")
    try:
        assert not part.exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    assert (f"start-up: removed incomplete upload {part.name} (its reception was interrupted)"
            in (tmp_path / "second.log").read_text())

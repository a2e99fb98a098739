"""A fault-injection run on a real full disk: a running `acv serve` and `acv ingest` on a small tmpfs.

The disk fills up during an ingest, then stays full during an upload, a feed request and searches: the ingest
exits 1 with its French message (no hang), the API answers 507 or its usual answer (never 500), the store stays
whole. Once space is freed, the upload, the feed and a re-run of the ingest succeed and nothing was lost.
Needs root (to mount the tmpfs); skipped otherwise.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests._api_fixtures import AGEN, API_KEY, QUIMPER, wait_for_health
from tests.test_disk_full import CLI_MESSAGE, _cli_env, _mount_tmpfs, write_corpus

pytestmark = pytest.mark.system  # real processes and servers: outside the fast loop

ROOT = Path(__file__).resolve().parent.parent
PORT = 18201
KEY = {"X-API-Key": API_KEY}


def _fill(folder: Path) -> Path:
    """Write a ballast file until the file system refuses (ENOSPC)."""
    ballast = folder / "ballast.bin"
    with open(ballast, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    return ballast


def _store(data: Path) -> tuple[list[str], str]:
    con = sqlite3.connect(data / "acv.sqlite3")
    try:
        docs = [r[0] for r in con.execute("SELECT source FROM documents ORDER BY source")]
        return docs, con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def full_disk(tmp_path):
    mount = tmp_path / "disque"
    if not _mount_tmpfs(mount, "3m"):
        pytest.skip("needs root and a tmpfs mount")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_disk_full_during_ingest_upload_and_feed_hangs_nothing_answers_no_500_loses_nothing(tmp_path, full_disk):
    data = full_disk / "var"
    env = _cli_env(data, ACV_API_KEY=API_KEY, ACV_RATE_LIMIT_PER_MINUTE="0", ACV_PORT=str(PORT))
    cli = [sys.executable, "-m", "cli.main"]
    # a first document and a saved search, while there is room
    first = subprocess.run([*cli, "ingest", "-q", str(AGEN)], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 0, first.stderr
    saved = subprocess.run([*cli, "saved", "add", "Vacance", "vacance", "commerciale", "--json"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=120)
    feed_id = json.loads(saved.stdout)["id"]
    log = open(tmp_path / "serveur.log", "wb")
    server = subprocess.Popen([*cli, "serve", "--port", str(PORT)], cwd=tmp_path, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_for_health(base, server, tmp_path / "serveur.log", 90, 0.3)
        with httpx.Client(base_url=base, timeout=120) as http:
            # 1. the disk fills up during an ingest (the server keeps running beside it)
            docs = write_corpus(tmp_path / "docs", 6)[0].parent
            started = time.monotonic()
            ingest = subprocess.run([*cli, "ingest", "-q", str(docs)], cwd=ROOT, env=env, capture_output=True,
                                    text=True, timeout=240)
            assert time.monotonic() - started < 240
            assert ingest.returncode == 1, ingest.stderr
            assert ingest.stderr == CLI_MESSAGE.format(folder=data.resolve())
            stored, check = _store(data)
            assert check == "ok" and str(AGEN) in stored and len(stored) < 7
            ballast = _fill(full_disk)

            # 2. an upload while the disk is full
            up = http.post("/documents", files={"file": ("quimper.html", QUIMPER.read_bytes())}, headers=KEY)
            assert up.status_code == 507, up.text
            assert up.json()["error"]["code"] == "disque_plein"
            assert not [p for p in (data / "uploads").rglob("*") if p.is_file()]

            # 3. a feed request, searches and writes while the disk is full: answered, never 500
            statuses = [http.get(f"/feeds/{feed_id}.atom").status_code,
                        http.get(f"/saved-searches/{feed_id}/new").status_code,
                        http.get("/search", params={"q": "vacance commerciale"}).status_code,
                        http.post("/saved-searches", json={"name": "x", "query": "halle"}, headers=KEY).status_code]
            # the lexical index cannot apply the new documents: reads answer from its last committed state;
            # the saved search fits in SQLite's free pages or is refused
            assert statuses[:3] == [200, 200, 200] and statuses[3] in (201, 507), statuses
            assert _store(data)[1] == "ok"

            # 4. space is freed: everything goes on, nothing was lost
            ballast.unlink()
            subprocess.run(["mount", "-o", "remount,size=64m", str(full_disk)], check=True)
            up = http.post("/documents", files={"file": ("quimper.html", QUIMPER.read_bytes())}, headers=KEY)
            assert up.status_code == 201, up.text
            assert up.json()["source"] == "uploads/quimper.html"
            again = subprocess.run([*cli, "ingest", "-q", str(docs)], cwd=ROOT, env=env, capture_output=True,
                                   text=True, timeout=240)
            assert again.returncode == 0, again.stderr
            stored, check = _store(data)
            assert check == "ok" and len(stored) == 8  # AGEN, the 6 files, the upload
            feed = http.get(f"/feeds/{feed_id}.atom")
            assert feed.status_code == 200
            assert http.get("/search", params={"q": "halle marché façade"}).json()["results"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    server_log = (tmp_path / "serveur.log").read_text()
    assert " 500 " not in server_log, server_log

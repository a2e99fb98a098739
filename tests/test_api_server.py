"""The API in a real uvicorn process started by the test, queried over HTTP with httpx."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests._api_fixtures import ABBEVILLE, AGEN, API_KEY, QUIMPER, ingested_kb, make_settings, wait_for_health

pytestmark = pytest.mark.system  # real processes and servers: outside the fast loop

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    data_dir = tmp_path / "var"
    ingested_kb(make_settings(data_dir), (AGEN, QUIMPER, ABBEVILLE)).close()
    port = free_port()
    env = {**os.environ, "ACV_DATA_DIR": str(data_dir), "ACV_EMBEDDER": "fake", "ACV_EMBEDDER_MODEL": "64",
           "ACV_API_KEY": API_KEY, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    log = open(tmp_path / "uvicorn.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port)],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, proc, tmp_path / "uvicorn.log", 60, 0.2)
        yield base, tmp_path / "uvicorn.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_real_server_search_upload_and_errors(server):
    base, log_path = server
    with httpx.Client(base_url=base, timeout=30) as http:
        health = http.get("/health").json()
        assert health["documents"] == 3 and health["model"] == "fake:hash-64"

        res = http.get("/search", params=[("q", "vacance commerciale"), ("city", "47001"), ("k", "3")])
        assert res.status_code == 200
        body = res.json()
        assert body["filters"] == {"city": ["47001"]}
        assert body["results"][0]["cities"][0]["name"] == "Agen"
        assert body["results"][0]["file_url"].startswith("/documents/")
        assert http.get(body["results"][0]["file_url"]).status_code == 200

        bad = http.get("/search", params={"q": "x" * 501})
        assert bad.status_code == 400
        assert bad.json()["error"]["message"] == "La requête est trop longue (501 caractères ; maximum 500)."

        note = ("# Tiers-lieu à Thiers\n\n" + "Un tiers-lieu numérique ouvre dans l'ancienne coutellerie du "
                "centre de Thiers, avec un espace de coworking et un fablab. " * 6).encode()
        assert http.post("/documents", files={"file": ("tiers.md", note)}).status_code == 401
        up = http.post("/documents", files={"file": ("tiers.md", note)}, headers={"X-API-Key": API_KEY})
        assert up.status_code == 201, up.text
        doc_id = up.json()["doc_id"]
        # The search sees the new document as soon as its ingest has committed.
        hits = http.get("/search", params={"q": "coutellerie fablab coworking"}).json()["results"]
        assert hits[0]["doc_id"] == doc_id
        assert http.get("/health").json()["documents"] == 4
        assert http.delete(f"/documents/{doc_id}", headers={"X-API-Key": API_KEY}).json() == {
            "doc_id": doc_id, "deleted": True}
        assert http.get(f"/documents/{doc_id}").status_code == 404
        assert http.get("/docs").status_code == 200
        assert "/search" in http.get("/openapi.json").json()["paths"]
    log_text = log_path.read_text(errors="replace")
    assert API_KEY not in log_text
    assert "Traceback" not in log_text

"""Concurrent load on a real uvicorn server while documents are being ingested: zero errors, latencies reported.

N client threads (httpx) loop over mixed searches, filtered searches,
document lists and document pages for D seconds, while one thread uploads
new documents through `POST /documents` and an `acv ingest` process writes
to the same data directory. Every answer must be a 2xx. The p50/p95
latencies are printed (recorded in docs/BENCHMARKS.md), not asserted.

Default: 10 clients for 10 s. With ACV_LONG_TESTS=1, also 50 clients for 60 s (marked slow).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest

from tests._api_fixtures import ABBEVILLE, AGEN, API_KEY, PDF, QUIMPER, ingested_kb, make_settings
from tests.test_api_server import free_port

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parent.parent
LONG = os.environ.get("ACV_LONG_TESTS") == "1"
long_only = pytest.mark.skipif(not LONG, reason="charge longue : ACV_LONG_TESTS=1")
CORPUS = ROOT / "corpus" / "documents"
INITIAL = [AGEN, QUIMPER, ABBEVILLE, PDF,
           *sorted((CORPUS / "conventions").glob("*.pdf"))[:3],
           *sorted((CORPUS / "communiques").glob("*"))[:4],
           *sorted((CORPUS / "bonnes-pratiques").glob("*"))[:3]]
QUERIES = ["vacance commerciale", "rénovation des façades", "maison de santé", "mobilité douce gare",
           "convention-cadre signée", "habitat dégradé OPAH-RU", "marché couvert", "piétonnisation du centre",
           "foncière commerciale", "quartier de gare", "Banque des Territoires", "friche industrielle"]
FILTERS = [{"city": "47001"}, {"axis": "2"}, {"doc_type": "convention"}, {"region": "Hauts-de-France"},
           {"date_from": "2018-01-01", "date_to": "2019-12-31"}, {"axis": ["1", "3"], "doc_type": "communique"},
           {"departement": "Finistère"}]
TOWNS = ["Saintes", "Cahors", "Épinal", "Quimper", "Agen", "Abbeville", "Sens", "Vienne", "Lens", "Châtellerault"]
TOPICS = ["la rénovation du marché couvert", "le ravalement des façades", "une maison de santé",
          "la piétonnisation de la rue commerçante", "une foncière commerciale", "le permis de louer"]


def _note(i: int, tag: str) -> str:
    town, topic = TOWNS[i % len(TOWNS)], TOPICS[i % len(TOPICS)]
    body = " ".join(f"À {town}, le projet {tag}-{i} porte sur {topic} et mobilise les commerçants du centre-ville."
                    for _ in range(8))
    return f"---\ntitle: Projet {tag} {i} à {town}\ndate: 2021-03-{(i % 28) + 1:02d}\n---\n\n# Projet {i}\n\n{body}\n"


def _start_server(data_dir: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "ACV_DATA_DIR": str(data_dir), "ACV_EMBEDDER": "fake", "ACV_EMBEDDER_MODEL": "64",
           "ACV_API_KEY": API_KEY, "ACV_RATE_LIMIT_PER_MINUTE": "0", "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=data_dir.parent, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log_path.read_text()
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "le serveur n'a pas démarré"
        time.sleep(0.2)


@pytest.fixture
def loaded_server(tmp_path):
    data_dir = tmp_path / "var"
    kb = ingested_kb(make_settings(data_dir), tuple(INITIAL))
    doc_ids = [d["doc_id"] for d in kb.documents()["documents"]]
    kb.close()
    proc, base = _start_server(data_dir, tmp_path / "uvicorn.log")
    try:
        yield base, data_dir, doc_ids, tmp_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def record(self, kind: str, response: httpx.Response | None, elapsed: float, error: str = "") -> None:
        with self.lock:
            if response is not None and 200 <= response.status_code < 300:
                self.latencies[kind].append(elapsed)
            else:
                detail = error if response is None else f"{response.status_code} {response.text[:200]}"
                self.errors.append(f"{kind}: {detail}")


def _reader(base: str, doc_ids: list[str], stop: float, rec: Recorder, seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=60) as http:
        while time.monotonic() < stop:
            kind = rng.choice(["search", "search", "filtered", "documents", "document", "facets"])
            if kind == "search":
                args = ("/search", {"q": rng.choice(QUERIES), "k": rng.choice([5, 10, 20])})
            elif kind == "filtered":
                args = ("/search", {"q": rng.choice(QUERIES), **rng.choice(FILTERS)})
            elif kind == "documents":
                args = ("/documents", rng.choice([{}, *FILTERS]))
            elif kind == "document":
                args = (f"/documents/{rng.choice(doc_ids)}", {})
            else:
                args = ("/facets", {})
            t = time.perf_counter()
            try:
                res = http.get(args[0], params=args[1])
            except httpx.HTTPError as exc:
                rec.record(kind, None, 0.0, f"{type(exc).__name__}: {exc}")
                continue
            rec.record(kind, res, time.perf_counter() - t)


def _uploader(base: str, stop: float, rec: Recorder, uploaded: list[str]) -> None:
    with httpx.Client(base_url=base, timeout=120, headers={"X-API-Key": API_KEY}) as http:
        i = 0
        while time.monotonic() < stop:
            t = time.perf_counter()
            res = http.post("/documents", files={"file": (f"charge-{i}.md", _note(i, "envoi").encode())})
            rec.record("upload", res, time.perf_counter() - t)
            if res.status_code == 201:
                uploaded.append(res.json()["doc_id"])
            i += 1
            time.sleep(0.2)


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else (
        values[0] * 1000 if values else 0.0)


@pytest.mark.parametrize(("clients", "duration_s", "n_cli"), [
    pytest.param(10, 10.0, 15, id="10x10s"),
    pytest.param(50, 60.0, 40, id="50x60s", marks=[pytest.mark.slow, long_only]),
])
def test_concurrent_clients_while_ingesting(loaded_server, clients, duration_s, n_cli):
    base, data_dir, doc_ids, tmp_path = loaded_server
    folder = tmp_path / "cli-corpus"
    folder.mkdir()
    for i in range(n_cli):
        (folder / f"cli-{i:02d}.md").write_text(_note(i, "cli"), "utf-8")
    env = {**os.environ, "ACV_DATA_DIR": str(data_dir), "ACV_EMBEDDER": "fake", "ACV_EMBEDDER_MODEL": "64",
           "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}

    rec = Recorder()
    uploaded: list[str] = []
    start = time.monotonic()
    stop = start + duration_s
    cli = subprocess.Popen([sys.executable, "-m", "cli", "ingest", str(folder), "-q"], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    threads = [threading.Thread(target=_reader, args=(base, doc_ids, stop, rec, i)) for i in range(clients)]
    threads.append(threading.Thread(target=_uploader, args=(base, stop, rec, uploaded)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    cli_out, _ = cli.communicate(timeout=300)

    all_reads = [v for k, vals in rec.latencies.items() if k != "upload" for v in vals]
    lines = [f"\nload: {clients} clients × {duration_s:g} s (+1 uploader, + acv ingest of {n_cli} files), "
             f"wall {wall:.1f} s, {sum(map(len, rec.latencies.values()))} requests, {len(rec.errors)} errors"]
    for kind in sorted(rec.latencies):
        vals = rec.latencies[kind]
        lines.append(f"  {kind:10s} n={len(vals):6d}  p50={_percentile(vals, 50):7.1f} ms  "
                     f"p95={_percentile(vals, 95):7.1f} ms")
    lines.append(f"  {'reads':10s} n={len(all_reads):6d}  p50={_percentile(all_reads, 50):7.1f} ms  "
                 f"p95={_percentile(all_reads, 95):7.1f} ms  ({len(all_reads) / wall:.0f} req/s)")
    print("\n".join(lines), file=sys.stderr)

    assert rec.errors == [], rec.errors[:10]
    assert cli.returncode == 0, cli_out.decode(errors="replace")
    assert len(all_reads) > clients and uploaded
    # everything written by both writers is there, and searchable through the server
    with httpx.Client(base_url=base, timeout=60) as http:
        hits = http.get("/search", params={"q": "projet cli-3 porte sur", "k": 50}).json()["results"]
        assert any(h["source"].endswith("cli-03.md") for h in hits)
        health = http.get("/health").json()  # after a search: the dense index syncs with the store lazily
        assert health["documents"] == len(INITIAL) + len(uploaded) + n_cli
        assert health["indexed_vectors"] == health["chunks"]
    log_text = (tmp_path / "uvicorn.log").read_text(errors="replace")
    assert "Traceback" not in log_text and API_KEY not in log_text
    shutil.rmtree(folder)

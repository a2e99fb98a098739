"""`acv ingest` killed with SIGKILL at random moments never leaves a broken or lossy store."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service import KnowledgeBase
from acv.settings import Settings

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parent.parent
TOWNS = ["Saintes", "Cahors", "Épinal", "Quimper", "Agen", "Abbeville", "Sens", "Gap", "Vienne", "Lens"]
TOPICS = [
    "la rénovation du marché couvert", "le ravalement des façades", "une maison de santé", "la piétonnisation",
    "une foncière commerciale", "le permis de louer", "la reconversion d'une friche", "un tiers-lieu",
]


def _corpus(folder: Path, n: int = 32) -> None:
    rng = random.Random(7)
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        topic = TOPICS[i % len(TOPICS)]
        paras = "\n\n".join(
            f"À {town}, le projet {i} porte sur {topic}. " + " ".join(rng.choice(TOPICS) for _ in range(40))
            for _ in range(6)
        )
        (folder / f"doc-{i:02d}.md").write_text(
            f"---\ntitle: Projet {i} à {town}\ndate: 2020-01-{(i % 28) + 1:02d}\ntype: bonne_pratique\n---\n\n"
            f"# Projet {i}\n\n{paras}\n",
            "utf-8",
        )


def _state(data_dir: Path) -> dict[str, object]:
    """Open the store as a reader would and check it is whole; return what it holds."""
    kb = KnowledgeBase(Settings(data_dir=data_dir, embedder="fake", _env_file=None))
    try:
        store = kb.store
        chunk_ids = sorted(store.chunk_ids().tolist())
        terms = sorted(r[0] for r in store.con.execute("SELECT chunk_id FROM chunk_terms"))
        assert terms == chunk_ids, "analysed bodies and chunks differ"
        assert store.chunks_missing_vectors() == [], "a chunk has no vector"
        dense_ids = sorted(kb.dense.ann.ids().tolist())
        assert dense_ids == chunk_ids, "FAISS ids and SQLite chunks differ"
        docs = {}
        for d in store.documents():
            chunks = store.chunks_of(d["id"])
            assert chunks, f"document {d['source']} has no chunk"
            assert [c["ordinal"] for c in chunks] == list(range(len(chunks)))
            docs[Path(d["source"]).name] = (d["content_hash"], tuple(c["text"] for c in chunks))
        return docs
    finally:
        kb.close()


def _ingest_cmd(folder: Path) -> list[str]:
    return [sys.executable, "-m", "cli", "ingest", str(folder), "-q"]


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "ACV_DATA_DIR": str(data_dir), "ACV_EMBEDDER": "fake", "PYTHONPATH": str(ROOT)}


def test_sigkill_during_ingest_loses_nothing(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    _corpus(folder)

    reference_dir = tmp_path / "reference"
    start = time.monotonic()
    subprocess.run(_ingest_cmd(folder), env=_env(reference_dir), check=True, cwd=ROOT, timeout=300)
    whole_run = time.monotonic() - start  # kills are timed within it, so they land mid-ingest on any machine
    reference = _state(reference_dir)
    assert len(reference) == 32

    data_dir = tmp_path / "killed"
    rng = random.Random(20261125)
    previous: dict[str, object] = {}
    kills = 0
    for _attempt in range(80):  # a resumed ingest has less left to do: some runs end before their kill
        proc = subprocess.Popen(_ingest_cmd(folder), env=_env(data_dir), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, 0.9) * whole_run)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        state = _state(data_dir)
        # Nothing committed before the kill is lost, and what is there is identical to a clean run.
        assert set(previous) <= set(state)
        for name, value in state.items():
            assert value == reference[name]
        previous = state
        if state == reference:  # the run finished: start again from scratch so later kills land mid-ingest
            shutil.rmtree(data_dir)
            previous = {}
        if kills >= 20:
            break
    assert kills >= 20, f"only {kills} kills landed during an ingest"

    subprocess.run(_ingest_cmd(folder), env=_env(data_dir), check=True, cwd=ROOT, timeout=300)
    assert _state(data_dir) == reference

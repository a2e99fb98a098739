"""Shared fixtures: settings on a temporary data directory and the fake deterministic embedder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from acv.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "communique-bethune-2018-09-24.txt"
FILES = Path(__file__).resolve().parent / "data" / "files"
CORPUS_DOCS = ROOT / "corpus" / "documents"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", embedder="fake", embedder_model="64", _env_file=None)


@pytest.fixture
def kb(settings: Settings):
    from acv.knowledge_base import KnowledgeBase

    base = KnowledgeBase(settings)
    yield base
    base.close()

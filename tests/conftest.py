"""Shared fixtures: settings on a temporary data directory with the fake deterministic embedder, a knowledge
base over them, and the API fixtures (one ingested base per module and its HTTP client)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from acv.settings import Settings  # noqa: E402
from tests._api_fixtures import cached_extractor, ingested_kb, make_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "communique-bethune-2018-09-24.txt"
FILES = Path(__file__).resolve().parent / "data" / "files"
CORPUS_DOCS = ROOT / "corpus" / "documents"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests of a real model or a browser are system tests too: `pytest -m "not system"` is the fast loop."""
    for item in items:
        if item.get_closest_marker("integration") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.system)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", embedder="fake", embedder_model="64", _env_file=None)


@pytest.fixture
def kb(settings: Settings):
    from service import KnowledgeBase

    base = KnowledgeBase(settings)
    yield base
    base.close()


@pytest.fixture(scope="session")
def shared_extractor():
    """The gazetteer and taxonomy loaded once (give it to `KnowledgeBase(..., extractor=...)`)."""
    return cached_extractor()


@pytest.fixture(scope="module")
def read_kb(tmp_path_factory):
    """One ingested base (tests/data/api plus one PDF) shared by the read-only tests of a module."""
    kb = ingested_kb(make_settings(tmp_path_factory.mktemp("api") / "var"))
    yield kb
    kb.close()


@pytest.fixture(scope="module")
def client(read_kb) -> Iterator:
    from fastapi.testclient import TestClient

    from search_api.app import create_app

    with TestClient(create_app(read_kb.settings, kb=read_kb)) as c:
        yield c

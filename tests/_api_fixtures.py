"""Fixtures shared by the API tests: a knowledge base over tests/data/api (plus one PDF) and its app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from acv.settings import Settings  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
API_FILES = DATA / "api"
AGEN = API_FILES / "agen-vacance-commerciale.md"
QUIMPER = API_FILES / "quimper-mobilite-douce.html"
ABBEVILLE = API_FILES / "abbeville-habitat.md"
PDF = DATA / "files" / "convention-sens.pdf"
API_KEY = "cle-de-test-7f3a9c"


def make_settings(data_dir: Path, **overrides) -> Settings:
    values = dict(data_dir=data_dir, embedder="fake", embedder_model="64", api_key=API_KEY,
                  rate_limit_per_minute=0, _env_file=None)
    values.update(overrides)
    return Settings(**values)


def ingested_kb(settings: Settings, files: tuple[Path, ...] = (AGEN, QUIMPER, ABBEVILLE, PDF)):
    from acv.knowledge_base import KnowledgeBase

    kb = KnowledgeBase(settings)
    report = kb.ingest(list(files))
    assert [o.status for o in report.outcomes] == ["added"] * len(files), [o.message for o in report.outcomes]
    return kb


@pytest.fixture(scope="module", autouse=True)
def shared_extractor():
    """Load the gazetteer and taxonomy once per module: these tests are about the HTTP edge, and each
    KnowledgeBase would otherwise spend over a second re-reading them."""
    from functools import lru_cache

    from ingest.extract import Extractor

    cached = lru_cache(maxsize=4)(Extractor.from_paths)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("acv.knowledge_base.Extractor.from_paths", cached)
        yield


@pytest.fixture(scope="module")
def read_kb(tmp_path_factory, shared_extractor):
    """One ingested base shared by the read-only tests of a module."""
    kb = ingested_kb(make_settings(tmp_path_factory.mktemp("api") / "var"))
    yield kb
    kb.close()


@pytest.fixture(scope="module")
def client(read_kb) -> Iterator[TestClient]:
    from search_api.app import create_app

    with TestClient(create_app(read_kb.settings, kb=read_kb)) as c:
        yield c


def error_of(response) -> dict:
    """The error object, after checking the common shape exactly."""
    body = response.json()
    assert list(body) == ["error"]
    err = body["error"]
    assert list(err) == ["code", "message", "details"]
    assert isinstance(err["code"], str) and isinstance(err["message"], str) and isinstance(err["details"], dict)
    assert "Traceback" not in response.text
    return err

"""Helpers shared by the API tests: test data paths, settings, knowledge bases over tests/data/api.

The fixtures themselves (`read_kb`, `client`, `shared_extractor`) are in `tests/conftest.py`; this module
only holds plain functions and constants, so test modules import what they call, never a fixture.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=1)
def cached_extractor():
    """The gazetteer and taxonomy, loaded once per test process: each KnowledgeBase would otherwise spend
    over a second re-reading them, and these tests are about the HTTP edge."""
    from ingest.extract import Extractor

    defaults = Settings(_env_file=None)
    return Extractor.from_paths(defaults.gazetteer_path, defaults.themes_path)


def make_kb(settings: Settings):
    """A KnowledgeBase sharing the cached extractor (passed in, not patched)."""
    from service import KnowledgeBase

    return KnowledgeBase(settings, extractor=cached_extractor())


def make_app(settings: Settings):
    """The API over `settings`, opening its KnowledgeBase with `make_kb`."""
    from search_api.app import create_app

    return create_app(settings, kb_factory=make_kb)


def ingested_kb(settings: Settings, files: tuple[Path, ...] = (AGEN, QUIMPER, ABBEVILLE, PDF)):
    kb = make_kb(settings)
    report = kb.ingest(list(files))
    assert [o.status for o in report.outcomes] == ["added"] * len(files), [o.message for o in report.outcomes]
    return kb


def error_of(response) -> dict:
    """The error object, after checking the common shape exactly."""
    body = response.json()
    assert list(body) == ["error"]
    err = body["error"]
    assert list(err) == ["code", "message", "details"]
    assert isinstance(err["code"], str) and isinstance(err["message"], str) and isinstance(err["details"], dict)
    assert "Traceback" not in response.text
    return err


def wait_for_health(base: str, proc, log: Path, timeout_s: float, step_s: float = 0.3) -> None:
    """Until a real server answers /health; its log is the failure message if it died first."""
    import time

    import httpx

    deadline = time.monotonic() + timeout_s
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "le serveur n'a pas démarré"
        time.sleep(step_s)

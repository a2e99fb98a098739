"""`acv ingest --ray` without an address: a local cluster that keeps its files (session, authentication token)
in the data folder, with token authentication set explicitly (so Ray prints no warning about it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from acv.settings import Settings
from ingest.ray_ingest import MAX_RAY_TEMP_DIR_CHARS, local_ray_dirs

pytestmark = pytest.mark.system  # real processes and servers: outside the fast loop

ROOT = Path(__file__).resolve().parent.parent


def test_local_ray_dirs_are_in_the_data_folder(tmp_path, monkeypatch):
    for name in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN_PATH"):  # set then removed: put back as they were after
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    short = Path("/tmp") / f"acv-h-{os.getpid()}"
    settings = Settings(data_dir=short, _env_file=None)
    try:
        temp = local_ray_dirs(settings)
        token = short / "ray" / "auth_token"
        assert temp == str(short / "ray" / "tmp")
        assert token.stat().st_mode & 0o777 == 0o600 and len(token.read_text()) == 64
        assert (os.environ["RAY_AUTH_MODE"], os.environ["RAY_AUTH_TOKEN_PATH"]) == ("token", str(token))
        first = token.read_text()
        local_ray_dirs(settings)
        assert token.read_text() == first  # kept across runs
    finally:
        import shutil

        shutil.rmtree(short, ignore_errors=True)
    deep = tmp_path / ("x" * MAX_RAY_TEMP_DIR_CHARS)
    temp = local_ray_dirs(Settings(data_dir=deep, _env_file=None))
    assert temp == f"/tmp/acv-ray-{os.getuid()}"  # Unix socket paths must stay short
    assert (deep / "ray" / "auth_token").exists()


def test_acv_ingest_ray_writes_nothing_in_home_and_warns_of_nothing(tmp_path):
    pytest.importorskip("ray")
    home = tmp_path / "home"
    home.mkdir()
    files = ROOT / "tests" / "data" / "api"
    data_dir = Path("/tmp") / f"acv-rt-{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_AUTH")}
    env.update({"HOME": str(home), "ACV_DATA_DIR": str(data_dir), "ACV_EMBEDDER": "fake",
                "ACV_EMBEDDER_MODEL": "64", "ACV_RAY_NUM_CPUS": "1", "PYTHONPATH": str(ROOT)})
    try:
        run = subprocess.run([sys.executable, "-m", "cli", "ingest", str(files), "--ray", "-q"], cwd=tmp_path,
                             env=env, capture_output=True, text=True, timeout=300)
    finally:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("3 fichiers : 3 ajoutés")
    assert "oken" not in run.stderr and "WARNING" not in run.stderr, run.stderr
    assert list(home.iterdir()) == []

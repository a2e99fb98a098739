"""docs/BENCHMARKS.md is generated: bench/report.py builds it from the committed bench/results/*.json, the committed
page is exactly what it builds, and it stays short. Also the results files' shape and how a run updates them."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    saved = list(sys.path)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved  # bench/_common.py puts bench/ on the path for the scripts; not for the other tests
    return module


@pytest.fixture(scope="module")
def report() -> ModuleType:
    return _load("report")


def test_the_committed_page_is_the_rebuilt_one(report: ModuleType) -> None:
    committed = (ROOT / "docs" / "BENCHMARKS.md").read_text("utf-8")
    assert committed == report.build(), "docs/BENCHMARKS.md is stale: run python bench/report.py"


def test_the_page_has_at_most_200_lines_and_every_section(report: ModuleType) -> None:
    page = report.build()
    assert page.count("\n") <= 200
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == ["## Quality", "## Known-item search", "## Latency and memory", "## Ingest",
                        "## Document understanding", "## Security"]


def test_every_results_file_says_what_measured_each_row() -> None:
    files = sorted((ROOT / "bench" / "results").glob("*.json"))
    assert files
    for path in files:
        data = json.loads(path.read_text("utf-8"))
        assert data["rows"], path.name
        for row in data["rows"]:
            for key in ("command", "commit", "date"):
                assert row.get(key, data.get(key)), f"{path.name}: a row without its {key}"


def test_each_table_names_its_command_and_commit(report: ModuleType) -> None:
    page = report.build()
    tables = page.count("\n### ")
    named = sum(1 for line in page.splitlines() if line.startswith(("Measured by `", "- [1] `")))
    missing = page.count("Not measured yet")
    assert named + missing == tables


def test_known_item_rows_are_rendered_when_their_file_exists(report: ModuleType, tmp_path: Path) -> None:
    results = tmp_path / "results"
    shutil.copytree(ROOT / "bench" / "results", results)
    (results / "known_item.json").unlink(missing_ok=True)
    assert "Not measured yet (`bench/known_item.py`)." in report.build(results)
    (results / "known_item.json").write_text(json.dumps({
        "command": "python bench/known_item.py", "commit": "abc1234", "date": "2026-12-08 03:00 UTC",
        "machine": "2 cores", "rows": [
            {"collection": "corpus", "system": "acv-kb", "kind": "all", "queries": 40, "success_at_1": 0.8,
             "success_at_10": 0.95, "flagged": 0.025},
            {"collection": "corpus", "system": "acv-kb", "kind": "rare", "queries": 10, "success_at_1": 0.1,
             "success_at_10": 0.2, "flagged": 0.3},
            {"collection": "fresh", "system": "acv-kb", "queries": 12, "success_at_1": 0.5, "success_at_10": 0.75,
             "flagged": 2}]}))
    page = report.build(results)
    assert "| corpus | acv-kb | all | 40 | 0.800 | 0.950 | 2.5 % |" in page
    assert "| fresh | acv-kb | — | 12 | 0.500 | 0.750 | 2 |" in page  # a count of flagged queries stays a count
    assert "| rare |" not in page  # per-kind rows stay in the file; the page shows the kinds together
    assert "Measured by `python bench/known_item.py` — commit abc1234, 2026-12-08 03:00 UTC." in page


def test_a_run_replaces_only_the_rows_it_measured(tmp_path: Path) -> None:
    common = _load("_common")
    path = tmp_path / "x.json"
    common.write_result("x", [{"split": "test", "v": 1}, {"split": "tuning", "v": 2}], key=("split",), path=path)
    common.write_result("x", [{"split": "test", "v": 3}], key=("split",), path=path)
    rows = json.loads(path.read_text("utf-8"))["rows"]
    assert [(r["split"], r["v"]) for r in rows] == [("tuning", 2), ("test", 3)]
    assert all(r["commit"] and r["date"] and r["command"] for r in rows)
    common.write_result("x", [{"split": "heldout", "v": 4}], path=path)  # no key: the run replaces every row
    assert [r["split"] for r in json.loads(path.read_text("utf-8"))["rows"]] == ["heldout"]


def test_folds_and_cross_fitting() -> None:
    common = _load("_common")
    assert [common.fold_of(k, 5) for k in ("q001", "q002", "t001")] == [
        int(__import__("hashlib").sha1(k.encode()).hexdigest()[:2], 16) % 5 for k in ("q001", "q002", "t001")]
    scores = {"a": [1.0, 1.0, 0.0, 0.0], "b": [0.0, 0.0, 1.0, 1.0]}  # each best on one fold only
    held, chosen = common.cross_fit(scores, [0, 0, 1, 1])
    assert chosen == {0: "b", 1: "a"} and held == 0.0

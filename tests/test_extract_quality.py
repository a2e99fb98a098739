"""Quality of document understanding on every labelled document (tests/data/labels/*.jsonl).

Each document is read with the real readers and run through the Extractor; the figures are
printed, written to $ACV_EXTRACT_METRICS (default /tmp/acv_extract_quality.json) and checked
against the targets. Run `python tests/test_extract_quality.py -v` to see every disagreement.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.extract import Extractor  # noqa: E402

LABELS_DIR = ROOT / "tests" / "data" / "labels"
TARGETS = {"doc_type": 0.95, "date": 0.95, "main_city_precision": 0.95, "main_city_recall": 0.95, "axes_f1": 0.85}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[Any], expected: set[Any]) -> None:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    documents: int = 0
    missing: list[str] = field(default_factory=list)
    type_ok: int = 0
    date_ok: int = 0
    date_total: int = 0
    main: Counts = field(default_factory=Counts)
    mentioned: Counts = field(default_factory=Counts)
    axes: Counts = field(default_factory=Counts)
    themes: Counts = field(default_factory=Counts)
    regions: Counts = field(default_factory=Counts)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def figures(self) -> dict[str, Any]:
        n = max(self.documents, 1)
        return {
            "documents": self.documents,
            "missing_files": len(self.missing),
            "doc_type": round(self.type_ok / n, 4),
            "date": round(self.date_ok / max(self.date_total, 1), 4),
            "main_city_precision": round(self.main.precision, 4),
            "main_city_recall": round(self.main.recall, 4),
            "mentioned_city_f1": round(self.mentioned.f1, 4),
            "axes_f1": round(self.axes.f1, 4),
            "themes_f1": round(self.themes.f1, 4),
            "themes_precision": round(self.themes.precision, 4),
            "themes_recall": round(self.themes.recall, 4),
            "regions_f1": round(self.regions.f1, 4),
            "seconds_per_document": round(self.seconds / n, 4),
        }


def load_labels() -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = []
    for path in sorted(LABELS_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                labels.append(json.loads(line))
    return labels


HAND_KEYS = (
    "type",
    "date",
    "city",
    "cities",
    "commune",
    "communes",
    "ville",
    "villes",
    "axes",
    "axe",
    "themes",
    "theme",
)


def evaluate(extractor: Extractor, labels: list[dict[str, Any]], rules_only: bool = False) -> Report:
    """Run the extractor on every labelled file; `rules_only` hides hand-written front matter
    (type, date, city, axes, themes) so that the figures measure the rules alone."""
    from ingest.readers import read_file

    report = Report()
    for label in labels:
        path = (ROOT / label["file"]).resolve()
        if not path.exists():
            report.missing.append(label["file"])
            continue
        doc = read_file(path)
        fm = doc.meta.get("front_matter")
        if rules_only and isinstance(fm, dict):
            doc.meta["front_matter"] = {k: v for k, v in fm.items() if k not in HAND_KEYS}
        start = time.perf_counter()
        meta = extractor.document(doc)
        report.seconds += time.perf_counter() - start
        report.documents += 1
        name = label["file"]
        if meta.doc_type == label["doc_type"]:
            report.type_ok += 1
        else:
            report.errors.append(f"{name}: type {meta.doc_type} != {label['doc_type']}")
        if "date" in label:
            report.date_total += 1
            if meta.date == label["date"]:
                report.date_ok += 1
            else:
                report.errors.append(f"{name}: date {meta.date} != {label['date']}")
        checks = [
            ("main", report.main, set(meta.cities), set(label.get("main_cities", []))),
            ("mentioned", report.mentioned, set(meta.mentioned_cities), set(label.get("mentioned_cities", []))),
            ("axes", report.axes, set(meta.axes), set(label.get("axes", []))),
            ("themes", report.themes, set(meta.themes), set(label.get("themes", []))),
        ]
        if "regions" in label:
            checks.append(("regions", report.regions, set(meta.regions), set(label["regions"])))
        for what, counts, predicted, expected in checks:
            counts.add(predicted, expected)
            if predicted != expected:
                extra, lacking = sorted(predicted - expected), sorted(expected - predicted)
                report.errors.append(f"{name}: {what} +{extra} -{lacking}")
    return report


def write_figures(figures: dict[str, Any]) -> Path:
    out = Path(os.environ.get("ACV_EXTRACT_METRICS", "/tmp/acv_extract_quality.json"))
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_paths(ROOT / "corpus" / "acv_communes.csv", ROOT / "corpus" / "themes.yaml")


def test_extraction_quality(extractor: Extractor) -> None:
    labels = load_labels()
    assert labels, "no labels in tests/data/labels"
    report = evaluate(extractor, labels)
    figures = report.figures()
    figures["rules_only"] = evaluate(extractor, labels, rules_only=True).figures()
    out = write_figures(figures)
    print(f"\nextraction quality ({out}): {json.dumps(figures, ensure_ascii=False)}")
    for error in report.errors:
        print("  ", error)
    assert report.documents >= 1
    failed = {k: figures[k] for k, target in TARGETS.items() if figures[k] < target}
    assert not failed, f"below target: {failed} (targets {TARGETS})"


if __name__ == "__main__":
    ex = Extractor.from_paths(ROOT / "corpus" / "acv_communes.csv", ROOT / "corpus" / "themes.yaml")
    rep = evaluate(ex, load_labels(), rules_only="--rules-only" in sys.argv)
    print(json.dumps(rep.figures(), indent=2, ensure_ascii=False))
    if "-v" in sys.argv:
        for err in rep.errors:
            print(err)
        for m in rep.missing:
            print("missing:", m)

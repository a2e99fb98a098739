"""Document understanding per labelled set: type, axes, main town, towns, dates (issue 27).

Each document is read by the real readers and understood the way the ingest does it (chunks, passage
selection, chunk metadata, then the document), with no model and no store, so a run takes seconds.

A set is a folder holding `labels.jsonl`, one line per document:

    {"file", "doc_type", "axes", "main_city" (INSEE or null), "cities", "mentioned_cities", "date", "title",
     "labelled_axis"}

`file` is relative to the folder (or to the repository). A key that is absent is not measured for that document;
a null `main_city` or `date` means none is expected. Two built-in sets convert the project's older label files to this schema on the fly:

    corpus    the bundled corpus/documents (tests/data/labels/pages.jsonl + conventions.jsonl)
    heldout   bench/heldout/documents (bench/heldout/labels.jsonl: type, main towns, date only)
    extra     the extraction test documents of tests/data/labels/extra.jsonl (type, towns, axes, date)
    writeups  tests/data/labels/writeups (type only)

Figures: type accuracy, confusion matrix (rows: label, columns: product), good-practice recall (the share of
`bonne_pratique` documents a `--type bonne_pratique` filter keeps); axes micro-F1 and the count of documents
whose label says the page names its axis (`labelled_axis`) but which get none; main-town accuracy (first main
town, or none, equal to `main_city`); towns precision and recall (main towns against `cities`); mentioned towns
P/R; dates exact; titles exact.

    .venv/bin/python bench/understanding.py                         # corpus and heldout
    .venv/bin/python bench/understanding.py --set fresh=bench/fresh -v
    .venv/bin/python bench/understanding.py --set corpus --json-out bench/results/understanding.json
    .venv/bin/python bench/understanding.py --neutral-paths    # file names and folders hidden
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _common import ROOT, header, write_result

from acv.records import DOC_TYPES

LABELS = ROOT / "tests" / "data" / "labels"
DEFAULT_OUT = ROOT / "bench" / "results" / "understanding.json"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _from_old(item: dict[str, Any]) -> dict[str, Any]:
    """One line of the older label files (main_cities, no main_city) in this script's schema."""
    main = [str(c) for c in item.get("main_cities") or []]
    out: dict[str, Any] = {"file": item["file"], "doc_type": item.get("doc_type")}
    if "date" in item:
        out["date"] = item["date"]
    if "main_cities" in item:
        out["main_city"] = main[0] if main else None
        out["cities"] = main
    if "mentioned_cities" in item:
        out["mentioned_cities"] = [str(c) for c in item["mentioned_cities"]]
    if "axes" in item:
        out["axes"] = [int(a) for a in item["axes"]]
    return out


def builtin_set(name: str) -> list[dict[str, Any]]:
    if name == "corpus":
        lines = _jsonl(LABELS / "pages.jsonl") + _jsonl(LABELS / "conventions.jsonl")
        return [_from_old(x) for x in lines if x["file"].startswith("corpus/")]
    if name == "heldout":
        return [_from_old(x) for x in _jsonl(ROOT / "bench" / "heldout" / "labels.jsonl")]
    if name == "extra":
        return [_from_old(x) for x in _jsonl(LABELS / "extra.jsonl")]
    if name == "writeups":
        return [{"file": x["file"], "doc_type": x["doc_type"]} for x in _jsonl(LABELS / "writeups" / "labels.jsonl")]
    raise SystemExit(f"unknown set {name!r}: give NAME=FOLDER")


def folder_set(folder: Path) -> list[dict[str, Any]]:
    out = []
    for item in _jsonl(folder / "labels.jsonl"):
        path = folder / item["file"]
        item = dict(item)
        item["file"] = str(path if path.exists() else ROOT / item["file"])
        out.append(item)
    return out


def understand(path: Path, extractor: Any) -> Any:
    """DocumentMetadata of one file, as ingest/prepare.py computes it (same chunks and passage cap)."""
    from acv.settings import Settings
    from ingest.chunking import chunk_document
    from ingest.passages import select_passages
    from ingest.readers import read_file

    settings = Settings()
    parsed = read_file(path)
    chunks = chunk_document(parsed, settings.chunk_min_words, settings.chunk_max_words)
    chunks, _ = select_passages(chunks, settings.max_passages_per_document or None)
    metas: dict[tuple[str, str | None], Any] = {}
    for c in chunks:
        key = (c.text, c.section)
        if key not in metas:
            metas[key] = extractor.chunk(c.text, c.section)
    return extractor.document(parsed, list(metas.values()))


def _pr(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    if p is None or r is None:
        return p, r, None
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def measure(name: str, labels: list[dict[str, Any]], extractor: Any, verbose: bool,
            neutral_paths: bool = False) -> dict[str, Any]:
    confusion: Counter[tuple[str, str]] = Counter()
    counts = Counter()
    errors: list[str] = []
    start = time.perf_counter()
    for lab in labels:
        path = Path(lab["file"])
        path = path if path.is_absolute() else ROOT / path
        short = path.name
        if neutral_paths:  # the folder and file names say nothing: only the content decides
            import shutil
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / f"document{path.suffix}"
                shutil.copyfile(path, copy)
                meta = understand(copy, extractor)
        else:
            meta = understand(path, extractor)
        if lab.get("doc_type"):
            confusion[(lab["doc_type"], meta.doc_type)] += 1
            if meta.doc_type != lab["doc_type"]:
                errors.append(f"{short}: type {meta.doc_type} != {lab['doc_type']}")
        if lab.get("axes") is not None:
            got, want = set(meta.axes), set(lab["axes"])
            counts["ax_tp"] += len(got & want)
            counts["ax_fp"] += len(got - want)
            counts["ax_fn"] += len(want - got)
            if got != want:
                errors.append(f"{short}: axes +{sorted(got - want)} -{sorted(want - got)}")
        if lab.get("labelled_axis"):
            counts["labelled_axis"] += 1
            counts["labelled_axis_none"] += not meta.axes
        if "main_city" in lab:
            got_main = meta.cities[0] if meta.cities else None
            counts["main_n"] += 1
            counts["main_ok"] += got_main == lab["main_city"]
            if got_main != lab["main_city"]:
                errors.append(f"{short}: main town {got_main} != {lab['main_city']}")
        if lab.get("cities") is not None:
            got, want = set(meta.cities), set(lab["cities"])
            counts["town_tp"] += len(got & want)
            counts["town_fp"] += len(got - want)
            counts["town_fn"] += len(want - got)
            if got != want:
                errors.append(f"{short}: towns +{sorted(got - want)} -{sorted(want - got)}")
        if lab.get("mentioned_cities") is not None:
            got, want = set(meta.mentioned_cities), set(lab["mentioned_cities"])
            counts["men_tp"] += len(got & want)
            counts["men_fp"] += len(got - want)
            counts["men_fn"] += len(want - got)
        if "date" in lab:  # a null date: none expected
            counts["date_n"] += 1
            counts["date_ok"] += meta.date == lab["date"]
            if meta.date != lab["date"]:
                errors.append(f"{short}: date {meta.date} != {lab['date']}")
        if lab.get("title"):
            counts["title_n"] += 1
            counts["title_ok"] += (meta.title or "").strip() == lab["title"].strip()
            if (meta.title or "").strip() != lab["title"].strip():
                errors.append(f"{short}: title {meta.title!r} != {lab['title']!r}")
    typed = sum(confusion.values())
    bp = sum(n for (want, _got), n in confusion.items() if want == "bonne_pratique")
    ax_p, ax_r, ax_f = _pr(counts["ax_tp"], counts["ax_fp"], counts["ax_fn"])
    town_p, town_r, _ = _pr(counts["town_tp"], counts["town_fp"], counts["town_fn"])
    men_p, men_r, _ = _pr(counts["men_tp"], counts["men_fp"], counts["men_fn"])
    row = {
        "set": name,
        "documents": len(labels),
        "type_accuracy": _round(sum(n for (a, b), n in confusion.items() if a == b) / typed) if typed else None,
        "good_practice_recall": _round(confusion[("bonne_pratique", "bonne_pratique")] / bp) if bp else None,
        "confusion": {want: {got: confusion[(want, got)] for got in DOC_TYPES} for want in DOC_TYPES
                      if any(confusion[(want, g)] for g in DOC_TYPES)},
        "axes_precision": _round(ax_p), "axes_recall": _round(ax_r), "axes_f1": _round(ax_f),
        "labelled_axis_documents": counts["labelled_axis"],
        "labelled_axis_without_axis": counts["labelled_axis_none"],
        "main_town_accuracy": _round(counts["main_ok"] / counts["main_n"]) if counts["main_n"] else None,
        "towns_precision": _round(town_p), "towns_recall": _round(town_r),
        "mentioned_precision": _round(men_p), "mentioned_recall": _round(men_r),
        "dates_exact": _round(counts["date_ok"] / counts["date_n"]) if counts["date_n"] else None,
        "titles_exact": _round(counts["title_ok"] / counts["title_n"]) if counts["title_n"] else None,
        "seconds": round(time.perf_counter() - start, 1),
    }
    if verbose:
        for e in errors:
            print("   ", e)
    return row


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", action="append", dest="sets",
                   help="a built-in set (corpus, heldout, extra, writeups) or NAME=FOLDER holding labels.jsonl; "
                        "repeatable (default: corpus and heldout)")
    p.add_argument("--json-out", type=Path, default=DEFAULT_OUT)
    p.add_argument("-v", "--verbose", action="store_true", help="print every disagreement")
    p.add_argument("--neutral-paths", action="store_true",
                   help="read each file from a neutral name (document.html) so that its folder cannot tell its type")
    args = p.parse_args()
    from ingest.extract import Extractor

    header("Document understanding per labelled set")
    extractor = Extractor.from_paths(ROOT / "corpus" / "acv_communes.csv", ROOT / "corpus" / "themes.yaml")
    rows = []
    for spec in args.sets or ["corpus", "heldout"]:
        name, _, folder = spec.partition("=")
        labels = folder_set(Path(folder).resolve()) if folder else builtin_set(name)
        row = measure(name, labels, extractor, args.verbose, args.neutral_paths)
        row["neutral_paths"] = args.neutral_paths
        rows.append(row)
        flat = {k: v for k, v in row.items() if k != "confusion"}
        print(json.dumps(flat, ensure_ascii=False))
        for want, line in row["confusion"].items():
            print(f"    {want:15s} " + "  ".join(f"{got}={n}" for got, n in line.items() if n))
    write_result("understanding", rows, key=("set", "neutral_paths"), path=args.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

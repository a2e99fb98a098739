"""Document-type accuracy on the held-out documents: the type the product stored for each document of
bench/heldout/labels.jsonl (after `bench/quality.py --corpus corpus,bench/heldout/documents`) against the label.

Reads the store's SQLite file directly (read-only) so that nothing is re-ingested or re-classified.

    python bench/heldout/type_accuracy.py --data-dir bench/out/quality-heldout

The two accuracies are recorded in bench/results/type_accuracy.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import ROOT, write_result  # noqa: E402

LABELS = ROOT / "bench" / "heldout" / "labels.jsonl"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--labels", type=Path, default=LABELS)
    args = p.parse_args()
    labels = [json.loads(line) for line in args.labels.read_text("utf-8").splitlines() if line.strip()]
    con = sqlite3.connect(f"file:{args.data_dir / 'acv.sqlite3'}?mode=ro", uri=True)
    stored = {os.path.normpath(src): (doc_type, date) for src, doc_type, date in
              con.execute("SELECT source, doc_type, date FROM documents")}
    right = 0
    print("| document | expected | stored | date expected | date stored |\n|---|---|---|---|---|")
    for lab in labels:
        got, date = stored.get(os.path.normpath(lab["file"]), ("(missing)", None))
        right += got == lab["doc_type"]
        mark = "" if got == lab["doc_type"] else " ✗"
        print(f"| {Path(lab['file']).name} | {lab['doc_type']} | {got}{mark} | {lab['date']} | {date or '—'} |")
    print(f"\ntype accuracy: {right}/{len(labels)} = {right / len(labels):.3f}")
    dates = sum(stored.get(os.path.normpath(x["file"]), (None, None))[1] == x["date"] for x in labels)
    print(f"date accuracy: {dates}/{len(labels)} = {dates / len(labels):.3f}")
    write_result("type_accuracy", [{"set": str(args.labels.resolve().relative_to(ROOT)), "documents": len(labels),
                                    "type_accuracy": round(right / len(labels), 3),
                                    "date_accuracy": round(dates / len(labels), 3)}], key=("set",))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

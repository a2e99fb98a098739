"""Metadata extraction on the labelled documents (tests/data/labels/): type, date, communes, axes, themes, with
the front matter as written and with it hidden (the rules alone). The measure is tests/test_extract_quality.py's,
which also fails below the targets; this records its figures in bench/results/extract_quality.json.

    python bench/extract_quality.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, header, table, write_result  # noqa: E402

MEASURES = [("doc_type", "document type accuracy"), ("date", "date exact match"),
            ("main_city_precision", "main commune precision"), ("main_city_recall", "main commune recall"),
            ("mentioned_city_f1", "mentioned communes F1"), ("axes_f1", "axes micro-F1"), ("themes_f1", "themes micro-F1")]


def main() -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_extract_quality import evaluate, load_labels

    from ingest.extract import Extractor

    header("Metadata extraction on the labelled documents")
    extractor = Extractor.from_paths(ROOT / "corpus" / "acv_communes.csv", ROOT / "corpus" / "themes.yaml")
    labels = load_labels()
    full, rules = evaluate(extractor, labels).figures(), evaluate(extractor, labels, rules_only=True).figures()
    rows = [{"measure": name, "with_front_matter": full[key], "rules_only": rules[key]} for key, name in MEASURES]
    print(table(rows))
    write_result("extract_quality", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

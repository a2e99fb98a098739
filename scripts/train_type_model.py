"""Build ingest/extract/type_model.json: the learned arbiter of the document type (ingest/extract/classifier.py).

Trained only on the project's own labelled documents: the bundled corpus (tests/data/labels/pages.jsonl and
conventions.jsonl), bench/heldout (labels.jsonl) and the extraction test sets of tests/data/labels (extra.jsonl,
writeups/labels.jsonl). Needs scikit-learn (the `bench` extra); the product reads the JSON with numpy only.
Deterministic: the same labels give the same file.

    .venv/bin/python scripts/train_type_model.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LABELS = ROOT / "tests" / "data" / "labels"
SETS: dict[str, list[Path]] = {
    "corpus": [LABELS / "pages.jsonl", LABELS / "conventions.jsonl"],
    "heldout": [ROOT / "bench" / "heldout" / "labels.jsonl"],
    "extra": [LABELS / "extra.jsonl"],
    "writeups": [LABELS / "writeups" / "labels.jsonl"],
}
MAX_WORDS = 1500  # vocabulary kept (most frequent terms seen in two documents at least)
MIN_PROBABILITY = 0.6  # below this (between the two types it weighs) the arbiter abstains: the rules' guess stands


def labelled() -> list[tuple[str, Path, str]]:
    """(set, file, type) of every labelled document, in a fixed order."""
    out = []
    for name, files in SETS.items():
        for path in files:
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    if name == "corpus" and not item["file"].startswith("corpus/"):
                        continue
                    path_of = (ROOT / item["file"]).resolve()
                    if path_of.exists():  # ../shared/seed lives beside a worktree, not in every checkout
                        out.append((name, path_of, item["doc_type"]))
                    else:
                        print(f"absent, left out: {item['file']}", file=sys.stderr)
    return out


def collect() -> list[dict[str, Any]]:
    """Each document read once: its set, label, the rules' features and the text the words come from."""
    from ingest.extract import Extractor
    from ingest.extract.classifier import model_text
    from ingest.extract.doctype import type_features
    from ingest.extract.signals import labelled_fields
    from ingest.extract.text import rules_form
    from ingest.readers import read_file

    extractor = Extractor.from_paths(ROOT / "corpus" / "acv_communes.csv", ROOT / "corpus" / "themes.yaml")
    rows = []
    for name, path, label in labelled():
        doc = read_file(path)
        fm = doc.meta.get("front_matter") if isinstance(doc.meta.get("front_matter"), dict) else {}
        title, _ = extractor._title(doc, fm or {})
        fields = labelled_fields(doc)
        topic = (sum(extractor.axes.totals(rules_form(doc.text)).values()),
                 sum(extractor.taxonomy.counts(doc.text).values()))
        rows.append({"set": name, "file": path, "label": label, "doc": doc, "title": title, "fields": fields,
                     "topic": topic, "signals": type_features(title, doc, doc.meta, fields, topic),
                     "text": model_text(title, doc.text)})
    return rows


def fit(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON weights of a logistic regression fitted on `rows`."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from ingest.extract.classifier import analyse

    names = sorted(rows[0]["signals"])
    sig = np.array([[float(r["signals"][n]) for n in names] for r in rows])
    mean = sig.mean(axis=0)
    scale = sig.std(axis=0)
    scale[scale == 0] = 1.0
    tfidf = TfidfVectorizer(analyzer=analyse, min_df=2, max_features=MAX_WORDS, sublinear_tf=True)
    words = tfidf.fit_transform([r["text"] for r in rows])
    x = hstack([csr_matrix((sig - mean) / scale), words]).tocsr()
    y = [r["label"] for r in rows]
    model = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced")
    model.fit(x, y)
    vocabulary = sorted(tfidf.vocabulary_, key=lambda w: tfidf.vocabulary_[w])
    return {
        "about": "Learned arbiter of the document type; built by scripts/train_type_model.py, read by "
                 "ingest/extract/classifier.py.",
        "documents": len(rows),
        "classes": [str(c) for c in model.classes_],
        "signal_names": names,
        "signal_mean": [round(float(v), 6) for v in mean],
        "signal_scale": [round(float(v), 6) for v in scale],
        "vocabulary": vocabulary,
        "idf": [round(float(v), 5) for v in tfidf.idf_],
        "coef": [[round(float(v), 5) for v in row] for row in model.coef_],
        "intercept": [round(float(v), 5) for v in model.intercept_],
        "min_probability": MIN_PROBABILITY,
    }


def main() -> int:
    from ingest.extract.classifier import MODEL_PATH

    rows = collect()
    data = fit(rows)
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(f"{MODEL_PATH.relative_to(ROOT)}: {len(rows)} documents, {len(data['vocabulary'])} terms, "
          f"{MODEL_PATH.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

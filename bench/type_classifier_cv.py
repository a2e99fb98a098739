"""Would a learned classifier type documents better than the rules and signals? (issue 27)

Every labelled document of the project (bundled corpus, bench/heldout, tests/data/labels extra and writeups:
101 documents in four sets written at different times in different layouts) is read once; then the logistic
regression of scripts/train_type_model.py (the counts the rules look at, and TF-IDF words of the title and
opening) is cross-validated alone, and as the arbiter of the rules where no signal decides or the body's cues
conflict (the way ingest/extract/doctype.py uses it).

Folds: leave one set out (train on three sets, test on the fourth: a new set in a new layout, the situation
of a fresh collection), and stratified 5-fold over all documents. The rules' own accuracy is given alongside,
but it is not a cross-validated figure: the rules were written looking at these documents.

    .venv/bin/python bench/type_classifier_cv.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

from _common import ROOT, header, write_result

sys.path.insert(0, str(ROOT / "scripts"))
from train_type_model import collect, fit  # noqa: E402

SETS = ("corpus", "heldout", "extra", "writeups")


def main() -> int:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from ingest.extract.classifier import TypeModel
    from ingest.extract.doctype import decide_type

    head = header("Type classifier against rules, cross-validated on the project's labelled documents")
    rows = collect()
    y = np.array([r["label"] for r in rows])
    groups = np.array([r["set"] for r in rows])
    print(f"documents: {len(rows)}; by type: {dict(Counter(y.tolist()))}; by set: {dict(Counter(groups.tolist()))}")

    def decide(r: dict[str, Any], model: Any) -> Any:
        return decide_type(r["title"], r["doc"], r["doc"].meta, r["fields"], r["topic"], model=model)

    rules = np.array([decide(r, False).doc_type for r in rows])
    stages = Counter(decide(r, False).stage for r in rows)
    print(f"stages of the rules' decision: {dict(stages)}")

    def run(folds: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, int]:
        alone = np.empty(len(rows), dtype=object)
        hybrid = np.empty(len(rows), dtype=object)
        used = 0
        for train, test in folds:
            model = TypeModel(fit([rows[i] for i in train]))
            for i in test:
                probs = model.probabilities(rows[i]["signals"], rows[i]["text"])
                alone[i] = max(probs, key=lambda c: probs[c])
                decision = decide(rows[i], model)
                hybrid[i] = decision.doc_type
                used += decision.stage == "classifier"
        return alone, hybrid, used

    def figures(pred: np.ndarray) -> tuple[float, float, dict[str, float]]:
        bp = y == "bonne_pratique"
        per_set = {s: round(float(np.mean(pred[groups == s] == y[groups == s])), 3) for s in SETS}
        return float(np.mean(pred == y)), float(np.mean(pred[bp] == "bonne_pratique")), per_set

    idx = np.arange(len(rows))
    loso = [(idx[groups != s], idx[groups == s]) for s in SETS]
    kfold = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(idx, y))
    out: dict[str, Any] = {"command": head["command"], "documents": len(rows), "stages": dict(stages), "rows": []}
    print("| method | folds | type accuracy | good-practice recall | per set |\n|---|---|---|---|---|")
    acc, bp, per_set = figures(rules)
    print(f"| rules + signals, no classifier (not cross-validated) | — | {acc:.3f} | {bp:.3f} | {per_set} |")
    out["rows"].append({"method": "rules + signals", "folds": None, "accuracy": round(acc, 3),
                        "good_practice_recall": round(bp, 3), "per_set": per_set})
    for fold_name, folds in (("leave one set out", loso), ("stratified 5-fold", kfold)):
        alone, hybrid, used = run(folds)
        for method, pred in (("logistic regression alone", alone),
                             (f"rules + signals, classifier where none decides ({used} documents)", hybrid)):
            acc, bp, per_set = figures(pred)
            print(f"| {method} | {fold_name} | {acc:.3f} | {bp:.3f} | {per_set} |")
            out["rows"].append({"method": method, "folds": fold_name, "accuracy": round(acc, 3),
                                "good_practice_recall": round(bp, 3), "per_set": per_set})
    write_result("type_classifier_cv", out["rows"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

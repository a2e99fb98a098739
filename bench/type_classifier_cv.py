"""Would a learned classifier type documents better than the rules and signals? (issue 27)

Every labelled document of the project (bundled corpus, bench/heldout, tests/data/labels extra and writeups:
101 documents in four sets written at different times in different layouts) is read once; then scikit-learn
logistic regressions are cross-validated on three feature sets:

    signals  the counts the rules look at (self-description votes per type, legal cues, fiche headings,
             lessons, press cues, project-box fields, programme mentions, topic evidence, length)
    words    TF-IDF of words and word pairs of the title and the first 3,000 characters
    both     the two together

Folds: leave one set out (train on three sets, test on the fourth: a new set in a new layout, the situation
of a fresh collection), and stratified 5-fold over all documents. The rules' own accuracy is given alongside,
but it is not a cross-validated figure: the rules were written looking at these documents.

    .venv/bin/python bench/type_classifier_cv.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from _common import ROOT, header
from understanding import builtin_set, understand

SETS = ("corpus", "heldout", "extra", "writeups")
TYPES = ("convention", "communique", "bonne_pratique", "autre")


def signal_features(doc: Any, title: str | None, extractor: Any) -> dict[str, float]:
    from ingest.extract import doctype as dt
    from ingest.extract.signals import PROJECT_FIELDS, dated_press_rubric, labelled_fields, self_description, votes
    from ingest.extract.text import rules_form

    body = dt._PROJECT_NAME.sub(" ", rules_form(doc.text))
    ballot = votes(self_description(doc, title))
    fields = labelled_fields(doc)
    headings = [rules_form(b.text).strip(" :.?!") for b in doc.blocks if b.kind == "heading" and len(b.text) <= 80]
    headings += [h for b in doc.blocks if b.kind != "heading" for h in dt._glued_headings(b.text)]
    head = rules_form(doc.text[:2500])
    words = len(doc.text.split())
    themes = extractor.taxonomy.counts(doc.text)
    return {
        "self_bp": ballot.get("bonne_pratique", 0), "self_press": ballot.get("communique", 0),
        "self_conv": ballot.get("convention", 0),
        "legal": len(set(dt._LEGAL.findall(body))),
        "fiche_headings": sum(1 for h in headings if dt._PRACTICE_HEADINGS.match(h)),
        "lesson_headings": sum(1 for h in headings if dt._LESSON_HEADINGS.match(h)),
        "practice_title": float(bool(dt._PRACTICE_TITLE.search(rules_form(title or "")))),
        "practice_rubric": float(bool(dt._PRACTICE_RUBRIC.search(head[:300]))),
        "press_rubric": float(bool(dt._PRESS_RUBRIC.search(head[:300])) or bool(dated_press_rubric(doc))),
        "press_cues": len(set(dt._PRESS.findall(head))),
        "press_contact": float(bool(re.search(r"contacts? presse|service de presse|relations presse", body))),
        "box_fields": len({k for k, _l, _v in fields if k in PROJECT_FIELDS}),
        "acv": len(dt._ACV.findall(body)), "heart": len(dt._HEART.findall(body)),
        "other_programmes": len(dt._OTHER_PROGRAMMES.findall(body)),
        "axis_evidence": sum(extractor.axes.totals(body).values()) / 10, "theme_mentions": sum(themes.values()) / 5,
        "log_words": __import__("math").log1p(words),
        "title_convention": float(bool(re.match(r"\s*(?:convention|avenant)", rules_form(title or "")))),
    }


def main() -> int:
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import StandardScaler

    from ingest.extract import Extractor
    from ingest.readers import read_file

    head = header("Type classifier against rules, cross-validated on the project's labelled documents")
    extractor = Extractor.from_paths(ROOT / "corpus" / "acv_communes.csv", ROOT / "corpus" / "themes.yaml")
    rows: list[dict[str, Any]] = []
    for name in SETS:
        for lab in builtin_set(name):
            path = Path(lab["file"])
            path = path if path.is_absolute() else ROOT / path
            meta = understand(path, extractor)
            doc = read_file(path)
            rows.append({"set": name, "label": lab["doc_type"], "rules": meta.doc_type,
                         "signals": signal_features(doc, meta.title, extractor),
                         "text": f"{meta.title or ''}\n{doc.text[:3000]}"})
    y = np.array([r["label"] for r in rows])
    groups = np.array([r["set"] for r in rows])
    print(f"documents: {len(rows)}; by type: {dict(Counter(y))}; by set: {dict(Counter(groups))}")

    def features(kind: str, train: np.ndarray, test: np.ndarray) -> tuple[Any, Any]:
        parts_train, parts_test = [], []
        if kind in ("signals", "both"):
            dv = DictVectorizer(sparse=False)
            a = dv.fit_transform([rows[i]["signals"] for i in train])
            b = dv.transform([rows[i]["signals"] for i in test])
            sc = StandardScaler().fit(a)
            parts_train.append(csr_matrix(sc.transform(a)))
            parts_test.append(csr_matrix(sc.transform(b)))
        if kind in ("words", "both"):
            tf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, strip_accents="unicode")
            parts_train.append(tf.fit_transform([rows[i]["text"] for i in train]))
            parts_test.append(tf.transform([rows[i]["text"] for i in test]))
        return hstack(parts_train).tocsr(), hstack(parts_test).tocsr()

    def run(kind: str, folds: list[tuple[np.ndarray, np.ndarray]]) -> tuple[float, float, dict[str, float]]:
        pred = np.empty(len(rows), dtype=object)
        for train, test in folds:
            xa, xb = features(kind, train, test)
            model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
            model.fit(xa, y[train])
            pred[test] = model.predict(xb)
        acc = float(np.mean(pred == y))
        bp = y == "bonne_pratique"
        per_set = {s: round(float(np.mean(pred[groups == s] == y[groups == s])), 3) for s in SETS}
        return acc, float(np.mean(pred[bp] == "bonne_pratique")), per_set

    idx = np.arange(len(rows))
    loso = [(idx[groups != s], idx[groups == s]) for s in SETS]
    kfold = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(idx, y))
    rules = np.array([r["rules"] for r in rows])
    out = {"command": head["command"], "documents": len(rows), "rows": []}
    print("| method | folds | type accuracy | good-practice recall | per set |\n|---|---|---|---|---|")
    rules_per_set = {s: round(float(np.mean(rules[groups == s] == y[groups == s])), 3) for s in SETS}
    rules_acc = float(np.mean(rules == y))
    rules_bp = float(np.mean(rules[y == "bonne_pratique"] == "bonne_pratique"))
    print(f"| rules + signals (not cross-validated) | — | {rules_acc:.3f} | {rules_bp:.3f} | {rules_per_set} |")
    out["rows"].append({"method": "rules", "folds": None, "accuracy": round(rules_acc, 3),
                        "good_practice_recall": round(rules_bp, 3), "per_set": rules_per_set})
    for kind in ("signals", "words", "both"):
        for fold_name, folds in (("leave one set out", loso), ("stratified 5-fold", kfold)):
            acc, bp, per_set = run(kind, folds)
            print(f"| LR {kind} | {fold_name} | {acc:.3f} | {bp:.3f} | {per_set if fold_name.startswith('leave') else ''} |")
            out["rows"].append({"method": f"LR {kind}", "folds": fold_name, "accuracy": round(acc, 3),
                                "good_practice_recall": round(bp, 3), "per_set": per_set})
    target = ROOT / "bench" / "results" / "type_classifier_cv.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

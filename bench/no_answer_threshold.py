"""Leave-one-out of the « nothing relevant » bar's threshold rules on the rows `bench/no_answer.py` writes.

For the previous weights of index/relevance.py (3.72 / 2.23 / 0.50) and for a logistic refit (C = 0.3) in each
fold, the threshold is re-chosen in the fold: midway between the k-th and (k+1)-th lowest support of an
answerable query (k = 1, 2), plus the guard (no query word in either retriever's best passages). Prints the
leave-one-out share of no-answer and answerable queries flagged (BENCHMARKS, issue 16, evening).

    .venv/bin/python bench/no_answer.py --data-dir bench/out/quality-ctx --split tuning --cv --json-out bench/out/na-tuning.json
    .venv/bin/python bench/no_answer_threshold.py bench/out/na-tuning.json

Needs scikit-learn (the `bench` extra).
"""
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import no_answer as NA  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
rows = json.load(open(sys.argv[1]))
F = NA.FEATURES
x = np.array([[r[f] for f in F] for r in rows]); y = np.array([0 if r["answerable"] else 1 for r in rows])
ids = [r["id"] for r in rows]
guard = np.array([r["coverage"] == 0.0 and r["dense_coverage"] == 0.0 for r in rows])
def fit(xs, ys, C, k):
    mu, sd = xs.mean(0), xs.std(0) + 1e-12
    m = LogisticRegression(C=C, class_weight="balanced", solver="liblinear").fit((xs - mu) / sd, ys)
    w = m.coef_[0] / sd; b = float(m.intercept_[0] - (m.coef_[0] * mu / sd).sum())
    return w, b
def cut(s_ans, k):  # support values of answerable; flag support < t with at most k answerable below: midway
    s = np.sort(s_ans)
    return (s[k - 1] + s[k]) / 2 if k > 0 else s[0]
def loo(mode, k, C=0.3, old=np.array([3.72, 2.23, 0.50])):
    fl = np.zeros(len(y), bool)
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        if mode == "old":
            w = old
        else:
            w, _ = fit(x[keep], y[keep], C, k); w = -w
        s = x @ w
        sa = s[keep & (y == 0)]
        # threshold: flag support < t, t just above the k-th lowest answerable support of the fold (midway to the next)
        t = cut(sa, k) if k > 0 else sa.min()
        fl[i] = s[i] < t
    fl = fl | guard
    return fl
for k in (1, 2):
    for mode in ("old", "refit"):
        fl = loo(mode, k)
        n = (y == 1).sum(); a = (y == 0).sum()
        print(f"{mode} weights, threshold refit per fold, ≤{k} answerable below: LOO no-answer {fl[y==1].sum()}/{n} ({fl[y==1].mean():.1%}), answerable {fl[y==0].sum()}/{a} ({fl[y==0].mean():.1%})",
              "| false:", [ids[j] for j in np.where(fl & (y == 0))[0]])

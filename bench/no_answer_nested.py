"""Nested leave-one-out of the choice of the « nothing relevant » bar's rule, on `bench/no_answer.py` rows.

Candidates: the previous weights or a logistic refit (C = 0.3), each with a threshold just below the k-th
lowest answerable support ("tight") or midway between the (k-1)-th and k-th ("mid"), k = 2. The inner
leave-one-out picks the candidate with the best no-answer rate among those flagging ≤ 3 % of answerable
queries (else the fewest); the outer leave-one-out scores that choice (BENCHMARKS, issue 16, evening).

    .venv/bin/python bench/no_answer_nested.py bench/out/na-tuning.json

Needs scikit-learn (the `bench` extra).
"""
import json
import sys
import numpy as np
from sklearn.linear_model import LogisticRegression
rows = json.load(open(sys.argv[1]))
F = ("agreement", "dense_coverage", "terms")
X = np.array([[r[f] for f in F] for r in rows]); Y = np.array([0 if r["answerable"] else 1 for r in rows])
G = np.array([r["coverage"] == 0.0 and r["dense_coverage"] == 0.0 for r in rows])
OLD = np.array([3.72, 2.23, 0.50])
K = 2
MODES = ("old/tight", "old/mid", "refit/tight", "refit/mid")
def weights(idx, mode):
    if mode == "old":
        return OLD
    xs, ys = X[idx], Y[idx]
    mu, sd = xs.mean(0), xs.std(0) + 1e-12
    m = LogisticRegression(C=0.3, class_weight="balanced", solver="liblinear").fit((xs - mu) / sd, ys)
    return -m.coef_[0] / sd
def thresh(idx, w, rule):
    sa = np.sort(X[idx][Y[idx] == 0] @ w)
    return sa[K] if rule == "tight" else (sa[K - 1] + sa[K]) / 2  # tight: just below the lowest unflagged answerable
def flag(train, test, mode):
    mode, rule = mode.split("/")
    w = weights(train, mode); t = thresh(train, w, rule)
    return (X[test] @ w < t) | G[test]
def loo(idx, mode):
    fl = np.array([flag(np.setdiff1d(idx, [i]), np.array([i]), mode)[0] for i in idx])
    y = Y[idx]
    return fl[y == 1].mean(), fl[y == 0].mean()
def choose(idx):
    res = {m: loo(idx, m) for m in MODES}
    ok = {m: v for m, v in res.items() if v[1] <= 0.03}
    if ok:
        return max(ok, key=lambda m: (ok[m][0], -ok[m][1]))
    return min(res, key=lambda m: res[m][1])
allidx = np.arange(len(Y))
print("outer:", {m: loo(allidx, m) for m in MODES}, "chosen on all:", choose(allidx))
fl = np.zeros(len(Y), bool); picks = []
for i in allidx:
    tr = np.setdiff1d(allidx, [i]); m = choose(tr); picks.append(m)
    fl[i] = flag(tr, np.array([i]), m)[0]
print(f"nested LOO of the choice: no-answer {fl[Y==1].sum()}/{(Y==1).sum()} ({fl[Y==1].mean():.1%}), answerable {fl[Y==0].sum()}/{(Y==0).sum()} ({fl[Y==0].mean():.1%}); picks", {m: picks.count(m) for m in set(picks)})

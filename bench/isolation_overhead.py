"""Per-file cost of reading a file in a bounded forked child (ingest/isolation.py) against reading it here.

A benchmark, not a test: the figure depends on the machine's load. Run from the repository root:

    python bench/isolation_overhead.py [--rounds 20]      # records bench/results/isolation_overhead.json
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.isolation import read_isolated  # noqa: E402
from ingest.readers import read_file  # noqa: E402

from _common import median_ms, write_result  # noqa: E402

FILES = Path(__file__).resolve().parents[1] / "tests" / "data" / "files"
SAMPLES = ["note-lens.txt", "bonne-pratique-cahors.md", "communique-vienne.html", "convention-sens.pdf"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print(f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}; median of {args.rounds} reads")
    print("| file | in-process | forked child | overhead | ratio |")
    print("|---|---:|---:|---:|---:|")
    rows = []
    for name in SAMPLES:
        path = FILES / name
        read_file(path)  # warm the readers' imports
        inline = median_ms(lambda: read_file(path), args.rounds)
        child = median_ms(lambda: read_isolated(read_file, path, max_bytes=50 * 2**20, timeout_s=30.0,
                                                memory_mb=512), args.rounds)
        print(f"| {name} | {inline:.1f} ms | {child:.1f} ms | {child - inline:.1f} ms | {child / inline:.1f}× |")
        rows.append({"file": name, "in_process_ms": round(inline, 1), "child_ms": round(child, 1)})
    write_result("isolation_overhead", rows)


if __name__ == "__main__":
    main()

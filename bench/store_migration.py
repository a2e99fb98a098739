"""Time the store's migration from schema 1 (bodies in FTS5) to schema 2 (`chunk_terms`) on a COPY of a store.

    python bench/store_migration.py /path/to/acv.sqlite3 [--workdir /tmp/x] [--vacuum]

The given file is never opened for writing: it is copied into --workdir (a temporary directory by default,
removed afterwards) and the copy is opened with `Store`, which migrates it in one transaction. Printed: the
open time, the WAL size right after the open (truncated by the migration since 3fe9e52), the file size and free pages before and after, the time
of a second open, and with --vacuum the time and size of a VACUUM (never run by the product). Recorded in
bench/results/store_migration.json.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from _common import load_average, write_result

from index.store import Store  # noqa: E402


def _file_state(path: Path) -> dict[str, object]:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        pages = int(con.execute("PRAGMA page_count").fetchone()[0])
        free = int(con.execute("PRAGMA freelist_count").fetchone()[0])
        size = int(con.execute("PRAGMA page_size").fetchone()[0])
        chunks = int(con.execute("SELECT count(*) FROM chunks").fetchone()[0])
    finally:
        con.close()
    return {"schema": row[0] if row else None, "chunks": chunks, "file_mib": round(path.stat().st_size / 2**20, 1),
            "free_mib": round(free * size / 2**20, 1), "pages": pages}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("store", type=Path)
    p.add_argument("--workdir", type=Path)
    p.add_argument("--vacuum", action="store_true")
    args = p.parse_args()
    tmp = None
    workdir = args.workdir
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="acv-migration-")
        workdir = Path(tmp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / "acv.sqlite3"
    try:
        shutil.copyfile(args.store, copy)
        print(f"before: {_file_state(copy)}; load {load_average()}", flush=True)
        t0 = time.perf_counter()
        store = Store(copy)
        opened = time.perf_counter() - t0
        wal = Path(f"{copy}-wal")
        wal_mib = round(wal.stat().st_size / 2**20, 1) if wal.exists() else 0.0
        store.close()
        print(f"open (migration included): {opened:.2f} s; WAL right after: {wal_mib} MiB", flush=True)
        after = _file_state(copy)
        print(f"after:  {after}; load {load_average()}", flush=True)
        write_result("store_migration", [{"chunks": after["chunks"], "open_with_migration_s": round(opened, 2),
                                          "wal_mib": wal_mib, "file_mib": after["file_mib"]}], key=("chunks",))
        t0 = time.perf_counter()
        Store(copy).close()
        print(f"second open: {(time.perf_counter() - t0) * 1000:.1f} ms", flush=True)
        if args.vacuum:
            con = sqlite3.connect(copy)
            t0 = time.perf_counter()
            con.execute("VACUUM")
            con.close()
            print(f"VACUUM: {time.perf_counter() - t0:.1f} s -> {_file_state(copy)}", flush=True)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The progress of the running ingest, published in the store for any reader (the UI, another process).

The ingest writes one small JSON value in the store's `meta` table at most
once a second and at the end; readers open the SQLite file read-only. The
time left is estimated from the bytes still to process at the rate seen so
far (files found unchanged count for neither side).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from acv.processes import pid_alive
from index.store import Store

META_KEY = "ingest_progress"
PUBLISH_EVERY_S = 1.0


@dataclass(slots=True)
class IngestProgress:
    """A snapshot of one ingest run."""

    state: str  # running | done | interrupted
    files_total: int
    files_done: int
    passages: int
    embedded: int
    errors: int
    bytes_total: int
    bytes_done: int
    elapsed_s: float
    eta_s: float | None
    current: str
    updated_at: float
    pid: int
    host: str

    @property
    def running(self) -> bool:
        return self.state == "running"


class ProgressPublisher:
    """Written by the single writer of an ingest, after each file."""

    def __init__(self, store: Store, files: Sequence[Path]) -> None:
        self.store = store
        self.sizes = [_size(f) for f in files]
        self.bytes_total = sum(self.sizes)
        self.bytes_done = 0
        self.errors = 0
        self.last = 0.0
        self.snapshot = IngestProgress("running", len(files), 0, 0, 0, 0, self.bytes_total, 0, 0.0, None, "",
                                       time.time(), os.getpid(), socket.gethostname())
        # An upload while another process ingests the corpus must not hide that ingest's progress.
        self.silent = _other_ingest_running(store)
        self._publish(force=True)

    def file_done(self, index: int, outcome: Any, passages: int, embedded: int, elapsed_s: float) -> None:
        size = self.sizes[index] if index < len(self.sizes) else 0
        if outcome.status == "unchanged":
            self.bytes_total -= size  # costs nothing: neither work done nor work left
        else:
            self.bytes_done += size
        if outcome.status == "error":
            self.errors += 1
        snap = self.snapshot
        snap.files_done += 1
        snap.passages, snap.embedded, snap.errors = passages, embedded, self.errors
        snap.bytes_total, snap.bytes_done = self.bytes_total, self.bytes_done
        snap.elapsed_s = round(elapsed_s, 1)
        rate = self.bytes_done / elapsed_s if elapsed_s > 0 else 0.0
        snap.eta_s = round((self.bytes_total - self.bytes_done) / rate, 1) if rate > 0 else None
        snap.current = outcome.source
        self._publish(force=snap.files_done == snap.files_total)

    def finish(self, report: Any) -> None:
        snap = self.snapshot
        snap.state = "done"
        snap.eta_s = 0.0
        snap.elapsed_s = round(report.elapsed_s, 1)
        snap.files_done = snap.files_total
        self._publish(force=True)

    def _publish(self, force: bool = False) -> None:
        if self.silent:
            return
        now = time.monotonic()
        if not force and now - self.last < PUBLISH_EVERY_S:
            return
        self.last = now
        self.snapshot.updated_at = time.time()
        self.store.set_meta(META_KEY, json.dumps(asdict(self.snapshot), ensure_ascii=False))


def read_progress(store_path: Path) -> IngestProgress | None:
    """The last published progress, without writing anything (None when there never was an ingest).

    A run whose process is gone without saying « done » (killed, crashed) reads as « interrupted ».
    """
    path = Path(store_path)
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2.0)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        snap = IngestProgress(**json.loads(row[0]))
    except (TypeError, ValueError):
        return None
    if snap.running and snap.host == socket.gethostname() and not pid_alive(snap.pid):
        snap.state = "interrupted"
    return snap


def _other_ingest_running(store: Store) -> bool:
    """True when a live process of this machine other than this one is publishing a running ingest."""
    try:
        raw = json.loads(store.get_meta(META_KEY) or "null")
    except ValueError:
        return False
    if not isinstance(raw, dict) or raw.get("state") != "running":
        return False
    pid = raw.get("pid")
    return (isinstance(pid, int) and pid != os.getpid() and raw.get("host") == socket.gethostname()
            and pid_alive(pid))


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0

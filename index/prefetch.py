"""Reading a knowledge base's files into the OS page cache ahead of the first searches.

A restarted server (deploy, reboot, a machine that reclaimed its cache) otherwise reads the store, the lexical
segments and the vectors from disk page by page during its first searches: at 1M passages that made the first
filtered searches 2–5× slower than a served process (docs/BENCHMARKS.md, cold start). Reading each file once,
sequentially, is the cheapest way to get all of them cached; nothing is kept in the process's own memory, and
the page cache stays the kernel's to reclaim.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

CHUNK = 2 * 2**20  # one read takes a few ms: a search that starts meanwhile waits no longer than that
BUDGET_SHARE = 0.5  # of the memory available at start: never push a busy machine's own pages out for this
GRACE_S = 0.05  # quiet time after the last search before reading again (a user's searches come in bursts)


class Foreground:
    """Searches in progress, so that a background warm-up reads only while none runs.

    Measured at 1M passages: reading the files while the first searches run made them slower than reading
    nothing at all (the sequential reads take the disk); pausing the reads during searches removes that.
    """

    def __init__(self, grace_s: float = GRACE_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.grace_s = grace_s
        self._clock = clock
        self._lock = threading.Lock()
        self._active = 0
        self._last_end = 0.0

    @contextmanager
    def busy(self) -> Iterator[None]:
        with self._lock:
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                self._last_end = self._clock()

    def quiet_for(self) -> float:
        """Seconds since the last search ended (0 while one runs)."""
        with self._lock:
            return 0.0 if self._active else self._clock() - self._last_end

    def wait_quiet(self, stop: threading.Event | None = None) -> None:
        while (quiet := self.quiet_for()) < self.grace_s:
            if stop is not None and stop.is_set():
                return
            time.sleep(self.grace_s - quiet if quiet else self.grace_s / 5)


def available_bytes() -> int:
    """MemAvailable from /proc/meminfo (0 where it cannot be read: then nothing is prefetched)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def files_under(paths: Iterable[Path]) -> list[Path]:
    """The regular files named or held by `paths`, in the order given, missing ones skipped."""
    out: list[Path] = []
    for path in paths:
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file()))
    return out


def prefetch(paths: Iterable[Path], budget_bytes: int | None = None, stop: threading.Event | None = None,
             foreground: Foreground | None = None) -> int:
    """Read the files in order until `budget_bytes` (default: half the available memory); returns bytes read.

    A file that does not fit in what is left of the budget is skipped whole (a half-read SQLite file caches
    pages the searches may never need). Errors are logged, never raised: a warm-up is an optimisation.
    `stop` ends it between two reads (the knowledge base is closing); with `foreground`, each read waits until
    no search has run for a moment.
    """
    budget = int(available_bytes() * BUDGET_SHARE) if budget_bytes is None else budget_bytes
    done = 0
    buffer = bytearray(CHUNK)
    for path in files_under(paths):
        if stop is not None and stop.is_set():
            break
        try:
            size = path.stat().st_size
            if done + size > budget:
                log.info("warm-up: %s skipped (%d MiB over the budget)", path, (done + size - budget) // 2**20)
                continue
            with open(path, "rb", buffering=0) as fh:
                while True:
                    if foreground is not None:
                        foreground.wait_quiet(stop)
                    if stop is not None and stop.is_set():
                        return done
                    if not (n := fh.readinto(buffer)):
                        break
                    done += n
        except OSError as exc:
            log.warning("warm-up: %s not read (%s)", path, exc)
    return done

"""Reading a knowledge base's files into the OS page cache ahead of the first searches.

A restarted server (deploy, reboot, a machine that reclaimed its cache) otherwise reads the store, the lexical
segments and the vectors from disk page by page during its first searches: at 1M passages that made the first
filtered searches 2–5× slower than a served process (docs/BENCHMARKS.md, cold start). Reading each file once,
sequentially, is the cheapest way to get all of them cached; nothing is kept in the process's own memory, and
the page cache stays the kernel's to reclaim.

The reads happen in a child process, never in this one: closing any descriptor of a file drops every POSIX
advisory lock the process holds on it, so a server that opened and closed its own SQLite file beside its
connections would silently lose SQLite's locks while another process (an `acv ingest`) writes. The page cache
is the machine's, so what the child reads is cached for the server all the same.
"""

from __future__ import annotations

import logging
import subprocess
import sys
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


# The reading child: "F <path>" opens a file (closing the previous one), "R" reads one chunk; it answers each
# line with the bytes read ("0" at the end of the file) or "E <reason>". It imports nothing of the project.
_CHILD = r"""
import sys
size = int(sys.argv[1])
buffer = bytearray(size)
fh = None
for line in sys.stdin:
    cmd, _, arg = line.rstrip("\n").partition(" ")
    try:
        if cmd == "F":
            if fh is not None:
                fh.close()
            fh = open(arg, "rb", buffering=0)
            answer = "0"
        else:
            answer = str(fh.readinto(buffer) or 0)
    except OSError as exc:
        fh, answer = None, "E " + str(exc).replace("\n", " ")
    sys.stdout.write(answer + "\n")
    sys.stdout.flush()
"""


class _Reader:
    """The child process that does the reads, one request at a time."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(CHUNK)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(self, line: str) -> str:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(line + "\n")
        self._proc.stdin.flush()
        answer = self._proc.stdout.readline().rstrip("\n")
        if not answer:
            raise OSError("the reading process ended")
        return answer

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=10)


def prefetch(paths: Iterable[Path], budget_bytes: int | None = None, stop: threading.Event | None = None,
             foreground: Foreground | None = None) -> int:
    """Read the files in order until `budget_bytes` (default: half the available memory); returns bytes read.

    A file that does not fit in what is left of the budget is skipped whole (a half-read SQLite file caches
    pages the searches may never need). Errors are logged, never raised: a warm-up is an optimisation.
    `stop` ends it between two reads (the knowledge base is closing); with `foreground`, each read waits until
    no search has run for a moment.
    """
    budget = int(available_bytes() * BUDGET_SHARE) if budget_bytes is None else budget_bytes
    files = files_under(paths)
    if not files:
        return 0
    done = 0
    try:
        reader = _Reader()
    except OSError as exc:
        log.warning("warm-up: no reading process (%s)", exc)
        return 0
    try:
        for path in files:
            if stop is not None and stop.is_set():
                break
            try:
                size = path.stat().st_size
            except OSError as exc:
                log.warning("warm-up: %s not read (%s)", path, exc)
                continue
            if done + size > budget:
                log.info("warm-up: %s skipped (%d MiB over the budget)", path, (done + size - budget) // 2**20)
                continue
            answer = reader.ask(f"F {path}")
            while not answer.startswith("E "):
                if foreground is not None:
                    foreground.wait_quiet(stop)
                if stop is not None and stop.is_set():
                    return done
                answer = reader.ask("R")
                if answer == "0":
                    break
                if not answer.startswith("E "):
                    done += int(answer)
            if answer.startswith("E "):
                log.warning("warm-up: %s not read (%s)", path, answer[2:])
    except OSError as exc:
        log.warning("warm-up stopped: %s", exc)
    finally:
        reader.close()
    return done

"""Read one file in a forked child with a wall-clock timeout and a memory ceiling.

A hostile or broken file (a PDF whose stream inflates to gigabytes, a page
that takes minutes to parse, a C-level crash in a parser) must cost at most
`timeout_s` seconds and `memory_mb` megabytes, and never take the ingest, the
API server or the store down with it. The parsing therefore runs in a child
forked from the current process (cheap: no re-import, copy-on-write memory),
which gets an address-space limit; the ParsedDocument (plain dataclasses)
comes back through a pipe. On timeout the child is killed.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from acv.errors import AcvError, ReadLimitError, UnreadableFileError
from acv.records import ParsedDocument

log = logging.getLogger(__name__)

Reader = Callable[..., ParsedDocument]

_KILL_GRACE_S = 5.0
_REAP_WAIT_S = 2.0
_PR_SET_PDEATHSIG = 1


def timeout_message(timeout_s: float) -> str:
    return f"Fichier ignoré : lecture trop longue (plus de {timeout_s:g} s)"


MEMORY_MESSAGE = "Fichier ignoré : lecture trop gourmande en mémoire"


def read_isolated(
    reader: Reader,
    path: Path,
    *,
    max_bytes: int | None,
    timeout_s: float,
    memory_mb: int | None,
) -> ParsedDocument:
    """`reader(path, max_bytes=...)` in a forked child; AcvError subclasses are re-raised as such.

    `memory_mb` is the extra address space the child may map beyond what it
    inherits at fork time (a server process already maps a model and an index).
    """
    job = IsolatedJob(reader, (path,), {"max_bytes": max_bytes}, timeout_s=timeout_s, memory_mb=memory_mb,
                      label=str(path))
    return job.wait()


class IsolatedJob:
    """`fn(*args, **kwargs)` running in a forked child, bounded in time and memory; never blocks on start.

    The ingest keeps several of these running while it embeds: `ready()` says
    whether `result()` can answer without waiting, `connection` can be given to
    `multiprocessing.connection.wait` to sleep until one of them has answered.
    """

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None,
                 *, timeout_s: float, memory_mb: int | None, label: str = "") -> None:
        ctx = multiprocessing.get_context("fork")
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.label = label
        self.deadline = time.monotonic() + timeout_s
        self.connection, sender = ctx.Pipe(duplex=False)
        # daemon: should a job ever be left running (the batch failed before abandoning it), multiprocessing
        # terminates it at exit instead of joining it forever while it waits to send on a pipe nobody reads.
        self._child = ctx.Process(target=_child, args=(sender, fn, args, kwargs or {}, memory_mb, os.getpid()),
                                  name="acv-lecture", daemon=True)
        self._child.start()
        sender.close()  # the parent keeps only the reading end: EOF when the child dies
        self._message: tuple[Any, ...] | None = None

    def ready(self) -> bool:
        """True when the child has answered, died or overrun its time (the answer is then collected)."""
        if self._message is not None:
            return True
        if self.connection.poll(0) or not self._child.is_alive() or time.monotonic() >= self.deadline:
            self._collect(0.0)
            return True
        return False

    def wait(self) -> Any:
        """Block until the child answers (or its time is up), then return its result."""
        if self._message is None:
            self._collect(max(0.0, self.deadline - time.monotonic()))
        return self.result()

    def kill(self) -> None:
        """Stop the child now (the batch is being abandoned)."""
        if self._message is None:
            self._message = ("timeout",)
            _kill(self._child)
            self._close()

    def _collect(self, timeout_s: float) -> None:
        try:
            self._message = _receive(self.connection, self._child, timeout_s)
        finally:
            self._close()

    def _close(self) -> None:
        self.connection.close()
        _reap(self._child)

    def result(self) -> Any:
        """The child's return value; AcvError for every way a child can fail (French message)."""
        message = self._message
        assert message is not None, "result() before ready()"
        return _outcome(message, self.label, self.timeout_s, self.memory_mb)


def _outcome(message: tuple[Any, ...], label: str, timeout_s: float, memory_mb: int | None) -> Any:
    kind = message[0]
    if kind == "ok":
        return message[1]
    if kind == "acv":
        cls, text, details = message[1], message[2], message[3]
        raise cls(text, details)
    log.warning("reading %s in a child process: %s %s", label, kind, message[1:])
    if kind == "memory":
        raise ReadLimitError(MEMORY_MESSAGE, {"memory_mb": memory_mb})
    if kind == "timeout":
        raise ReadLimitError(timeout_message(timeout_s), {"timeout_s": timeout_s})
    if kind == "died":
        code = message[1]
        if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS) and memory_mb:
            # malloc failing under RLIMIT_AS aborts or faults C code; the OOM killer sends SIGKILL
            raise ReadLimitError(MEMORY_MESSAGE, {"memory_mb": memory_mb, "exit_code": code})
        raise UnreadableFileError(f"Fichier ignoré : la lecture s'est arrêtée brutalement (code {code})",
                                  {"exit_code": code})
    raise UnreadableFileError(f"Fichier ignoré : erreur inattendue ({message[1]})")


def _receive(receiver: Connection, child: Any, timeout_s: float) -> tuple[Any, ...]:
    deadline = time.monotonic() + timeout_s
    while True:
        remaining = deadline - time.monotonic()
        # poll wakes up on data or on EOF (child exited and its end of the pipe closed)
        if receiver.poll(max(0.0, min(remaining, 1.0))):
            try:
                return receiver.recv()
            except (EOFError, OSError):
                child.join(_KILL_GRACE_S)
                return ("died", child.exitcode)
        if not child.is_alive() and not receiver.poll(0):
            return ("died", child.exitcode)
        if time.monotonic() >= deadline:
            _kill(child)
            return ("timeout",)


def _kill(child: Any) -> None:
    if child.is_alive():
        child.kill()
    child.join(_KILL_GRACE_S)


def _reap(child: Any) -> None:
    child.join(_REAP_WAIT_S)  # it has answered (or died): it is exiting
    if child.is_alive():
        _kill(child)
    child.close()


def _die_with_parent(parent: int) -> None:
    """Linux: SIGKILL the child if the parent dies (a killed ingest or server leaves no parser behind)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _limit_memory(memory_mb: int | None) -> None:
    if not memory_mb:
        return
    try:
        with open("/proc/self/statm", "rb") as fh:
            inherited = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        inherited = 0
    limit = inherited + memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(sender: Connection, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
           memory_mb: int | None, parent: int) -> None:
    """Runs in the forked child: never raises, always answers one message (or dies trying)."""
    _die_with_parent(parent)
    try:
        signal.set_wakeup_fd(-1)  # an event loop's wake-up pipe belongs to the parent
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a server's handler must not run in the child
    except (ValueError, OSError):
        pass
    try:
        _limit_memory(memory_mb)
        message: tuple[Any, ...] = ("ok", fn(*args, **kwargs))
    except MemoryError:
        message = ("memory",)
    except AcvError as exc:
        message = ("acv", type(exc), exc.message, exc.details)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which logs it
        message = ("unexpected", type(exc).__name__)
    try:
        sender.send(message)
    except MemoryError:
        sender.send(("memory",))
    except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable value in meta
        sender.send(("unexpected", type(exc).__name__))
    finally:
        sender.close()

"""ingest.isolation: each file is read in a forked child bounded in time and memory."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from acv.errors import FileTooLargeError, UnreadableFileError
from ingest.isolation import MEMORY_MESSAGE, read_isolated, timeout_message
from ingest.readers import read_file

FILES = Path(__file__).resolve().parent / "data" / "files"
PDF = FILES / "convention-sens.pdf"


def _isolated(reader, *, timeout_s: float = 30.0, memory_mb: int | None = 512, path: Path = PDF):
    return read_isolated(reader, path, max_bytes=50 * 2**20, timeout_s=timeout_s, memory_mb=memory_mb)


def test_the_child_returns_the_same_document():
    inline = read_file(PDF)
    isolated = _isolated(read_file)
    assert isolated == inline
    assert isolated.title == "Convention-cadre Action cœur de ville de Sens"


def test_a_slow_reader_is_killed_at_the_timeout():
    def sleeper(path, max_bytes=None):
        time.sleep(60)

    start = time.monotonic()
    with pytest.raises(UnreadableFileError) as info:
        _isolated(sleeper, timeout_s=0.5)
    assert time.monotonic() - start < 5
    assert info.value.message == "Fichier ignoré : lecture trop longue (plus de 0.5 s)"
    assert info.value.message == timeout_message(0.5)
    assert multiprocessing.active_children() == []  # killed and reaped, no zombie left


def test_a_greedy_reader_hits_the_memory_ceiling():
    def glutton(path, max_bytes=None):
        blocks = []
        for _ in range(64):
            blocks.append(bytearray(64 * 2**20))  # 4 GiB in all, touched page by page
        return blocks

    with pytest.raises(UnreadableFileError) as info:
        _isolated(glutton, memory_mb=256)
    assert info.value.message == MEMORY_MESSAGE == "Fichier ignoré : lecture trop gourmande en mémoire"


def test_a_crashing_reader_is_reported_not_propagated():
    def segfault(path, max_bytes=None):
        import faulthandler

        faulthandler.disable()  # pytest's handler would print a traceback for this deliberate crash
        os.kill(os.getpid(), signal.SIGSEGV)

    def exits(path, max_bytes=None):
        os._exit(3)

    with pytest.raises(UnreadableFileError) as info:
        _isolated(segfault, memory_mb=None)
    assert info.value.message == "Fichier ignoré : la lecture s'est arrêtée brutalement (code -11)"
    with pytest.raises(UnreadableFileError) as info:
        _isolated(segfault, memory_mb=256)  # under a memory limit, a fault is a failed allocation
    assert info.value.message == MEMORY_MESSAGE
    with pytest.raises(UnreadableFileError) as info:
        _isolated(exits)
    assert info.value.message == "Fichier ignoré : la lecture s'est arrêtée brutalement (code 3)"


CHILD_SCRIPT = """
import os, sys, time
from pathlib import Path
from ingest.isolation import read_isolated

def sleeper(path, max_bytes=None):
    Path(sys.argv[1]).write_text(str(os.getpid()))
    time.sleep(120)

read_isolated(sleeper, Path("x"), max_bytes=None, timeout_s=300, memory_mb=None)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\nState:\tZ" not in fh.read()
    except FileNotFoundError:
        return False


def test_the_child_dies_with_its_parent(tmp_path):
    """A SIGKILLed ingest or server leaves no parser running behind it."""
    import subprocess
    import sys

    pid_file = tmp_path / "child.pid"
    root = Path(__file__).resolve().parent.parent
    parent = subprocess.Popen([sys.executable, "-c", CHILD_SCRIPT, str(pid_file)], cwd=root,
                              env={**os.environ, "PYTHONPATH": str(root)})
    try:
        deadline = time.monotonic() + 30
        while not (pid_file.exists() and pid_file.read_text()):
            assert time.monotonic() < deadline and parent.poll() is None
            time.sleep(0.05)
        child = int(pid_file.read_text())
        assert _alive(child)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 5
    while _alive(child):
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.05)


def test_domain_errors_keep_their_class_message_and_details():
    def refuses(path, max_bytes=None):
        raise FileTooLargeError("fichier trop volumineux", {"size": 12})

    with pytest.raises(FileTooLargeError) as info:
        _isolated(refuses)
    assert (info.value.message, info.value.details) == ("fichier trop volumineux", {"size": 12})
    with pytest.raises(UnreadableFileError) as info:
        _isolated(read_file, path=FILES / "chiffre.pdf")
    assert info.value.message == "PDF chiffré : mot de passe requis"


def test_pipeline_reports_a_timeout_and_goes_on(settings, tmp_path, monkeypatch):
    from service import KnowledgeBase

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a-lent.md").write_text("# Lent\n\nCe fichier ne finit jamais d'être lu.\n", "utf-8")
    (folder / "b-normal.md").write_text("# Cahors\n\nLa halle de Cahors rouvre ses portes aux producteurs.\n",
                                        "utf-8")
    real = read_file

    def slow_for_a(path, max_bytes=None):
        if Path(path).name.startswith("a-"):
            time.sleep(60)
        return real(path, max_bytes=max_bytes)

    monkeypatch.setattr("ingest.pipeline.read_file", slow_for_a)
    kb = KnowledgeBase(settings.model_copy(update={"parse_timeout_s": 1.0}))
    try:
        report = kb.ingest([folder])
    finally:
        kb.close()
    assert [(Path(o.source).name, o.status, o.message) for o in report.outcomes] == [
        ("a-lent.md", "error", "Fichier ignoré : lecture trop longue (plus de 1 s)"),
        ("b-normal.md", "added", ""),
    ]


def test_in_process_path_when_isolation_is_off(settings, tmp_path, monkeypatch):
    from service import KnowledgeBase

    calls = []

    def spy(path, max_bytes=None):
        calls.append(os.getpid())
        return read_file(path, max_bytes=max_bytes)

    monkeypatch.setattr("ingest.pipeline.read_file", spy)
    kb = KnowledgeBase(settings.model_copy(update={"parse_isolation": False}))
    try:
        report = kb.ingest([PDF])
    finally:
        kb.close()
    assert [o.status for o in report.outcomes] == ["added"]
    assert calls == [os.getpid()]  # read in this very process


def test_each_kind_of_file_reads_the_same_in_the_child():
    """The overhead is measured in bench/isolation_overhead.py; here only that the result is the same."""
    for name in ("note-lens.txt", "bonne-pratique-cahors.md", "communique-vienne.html"):
        assert _isolated(read_file, path=FILES / name) == read_file(FILES / name)

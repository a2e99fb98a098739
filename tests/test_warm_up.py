"""The warm-up of a restarted server: files read into the OS cache within a budget, stopped by `close`, and
started by the API's start-up only for a knowledge base the API owns."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from index.prefetch import Foreground, _Reader, files_under, prefetch
from tests._api_fixtures import make_app, make_settings


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    a = tmp_path / "a.bin"
    a.write_bytes(b"a" * 1000)
    d = tmp_path / "d"
    d.mkdir()
    (d / "y.bin").write_bytes(b"y" * 300)
    (d / "x.bin").write_bytes(b"x" * 200)
    return a, d, tmp_path / "missing.bin"


def test_files_in_the_order_given_directories_sorted_missing_skipped(tmp_path):
    a, d, missing = _files(tmp_path)
    assert files_under([missing, d, a]) == [d / "x.bin", d / "y.bin", a]


def test_reads_every_file_that_fits_the_budget(tmp_path):
    a, d, missing = _files(tmp_path)
    assert prefetch([a, d, missing], budget_bytes=10_000) == 1500


def test_a_file_over_what_is_left_of_the_budget_is_skipped_whole(tmp_path, caplog):
    a, d, _ = _files(tmp_path)
    with caplog.at_level(logging.INFO, logger="index.prefetch"):
        # a (1000) fits, x (200) fits, y (300) would make 1500 > 1250: skipped, not half read
        assert prefetch([a, d], budget_bytes=1250) == 1200
    assert [r.getMessage() for r in caplog.records] == [f"warm-up: {d / 'y.bin'} skipped (0 MiB over the budget)"]


def test_a_set_stop_reads_nothing(tmp_path):
    a, d, _ = _files(tmp_path)
    stop = threading.Event()
    stop.set()
    assert prefetch([a, d], budget_bytes=10_000, stop=stop) == 0


def test_a_file_gone_before_its_read_is_logged_and_the_next_one_is_read(tmp_path, caplog, monkeypatch):
    a, d, missing = _files(tmp_path)
    monkeypatch.setattr("index.prefetch.files_under", lambda paths: [missing, a])
    with caplog.at_level(logging.WARNING, logger="index.prefetch"):
        assert prefetch([a], budget_bytes=10_000) == 1000
    assert [r.getMessage() for r in caplog.records] == [
        f"warm-up: {missing} not read ([Errno 2] No such file or directory: '{missing}')"]


def test_the_reading_process_answers_an_unreadable_file_with_its_reason(tmp_path):
    reader = _Reader()
    try:
        assert reader.ask(f"F {tmp_path / 'nothing'}") == f"E [Errno 2] No such file or directory: '{tmp_path / 'nothing'}'"
        (tmp_path / "f").write_bytes(b"z" * 10)
        assert [reader.ask(f"F {tmp_path / 'f'}"), reader.ask("R"), reader.ask("R")] == ["0", "10", "0"]
    finally:
        reader.close()


def test_the_server_keeps_its_sqlite_locks_while_its_store_is_read(tmp_path):
    """Closing a descriptor of a file drops the process's POSIX locks on it: the reads must not happen here."""
    db = tmp_path / "store.sqlite3"
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("CREATE TABLE t(x)")
    con.execute("BEGIN EXCLUSIVE")
    con.execute("INSERT INTO t VALUES (1)")
    try:
        assert prefetch([db], budget_bytes=10**7) == db.stat().st_size
        other = subprocess.run([sys.executable, "-c", "import sqlite3, sys\n"
                                "c = sqlite3.connect(sys.argv[1], timeout=0)\n"
                                "c.execute('INSERT INTO t VALUES (2)'); c.commit()", str(db)],
                               capture_output=True, text=True, timeout=60)
        assert other.returncode == 1 and other.stderr.strip().endswith("database is locked"), other.stderr
    finally:
        con.execute("COMMIT")
    assert con.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_foreground_counts_searches_and_the_quiet_time_after_them():
    now = [10.0]
    fg = Foreground(grace_s=0.05, clock=lambda: now[0])
    with fg.busy():
        with fg.busy():
            assert fg.quiet_for() == 0.0
        assert fg.quiet_for() == 0.0  # one search still runs
    now[0] = 10.5
    assert fg.quiet_for() == 0.5


def test_waiting_for_quiet_gives_way_to_a_stop():
    fg = Foreground(grace_s=60.0)
    stop = threading.Event()
    stop.set()
    with fg.busy():
        fg.wait_quiet(stop)  # returns at once instead of waiting for the search to end


def test_reads_wait_while_a_search_runs(tmp_path):
    a, _, _ = _files(tmp_path)
    fg = Foreground(grace_s=0.01)
    read: list[int] = []
    with fg.busy():
        worker = threading.Thread(target=lambda: read.append(prefetch([a], budget_bytes=10_000, foreground=fg)))
        worker.start()
        worker.join(timeout=0.3)
        assert worker.is_alive() and read == []  # held back by the search
    worker.join(timeout=10)
    assert read == [1000]


def test_warm_up_opens_the_retriever_and_reports_its_duration(kb):
    seconds: list[float] = []
    assert kb._retriever is None
    assert kb.warm_up(background=False, done=seconds.append) is None
    assert kb._retriever is not None
    assert len(seconds) == 1 and seconds[0] >= 0


def test_close_stops_a_running_warm_up_and_waits_for_it(settings):
    from service import KnowledgeBase

    base = KnowledgeBase(settings)
    thread = base.warm_up(background=True)
    assert thread is not None
    base.close()
    assert not thread.is_alive()


def test_a_second_warm_up_while_one_runs_is_the_same_thread(settings):
    from service import KnowledgeBase

    base = KnowledgeBase(settings)
    with base.foreground.busy():  # a search runs: the first warm-up waits before its first read
        first = base.warm_up(background=True)
        assert base.warm_up(background=True) is first
        base.close()  # stops it even while the search runs
    assert not first.is_alive()


def test_the_api_warms_up_a_base_it_opens_itself(tmp_path):
    from fastapi.testclient import TestClient

    app = make_app(make_settings(tmp_path / "var"))
    with TestClient(app) as client:
        kb = app.state.kb_holder.get()
        assert kb._warm_thread is not None
        kb._warm_thread.join(timeout=60)
        assert kb._retriever is not None
        assert client.get("/health").status_code == 200
    assert not kb._warm_thread.is_alive()


def test_the_api_leaves_a_shared_base_alone(read_kb):
    from fastapi.testclient import TestClient

    from search_api.app import create_app

    with TestClient(create_app(read_kb.settings, kb=read_kb)):
        assert read_kb._warm_thread is None

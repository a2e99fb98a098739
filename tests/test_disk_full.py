"""A full disk is an outcome, not a crash: each write site raises DiskFullError, nothing half-written stays,
`acv ingest` exits 1 with its French message (workers stopped, no hang), the API answers 507, a re-run resumes.

The disk is filled three ways: SQLite's own `max_page_count` (a real SQLITE_FULL, « database or disk is
full », on every connection of the store), an injected `OSError(ENOSPC)` at a file write, and, as root, a
real small tmpfs.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from acv.errors import DISK_FULL_MESSAGE, DiskFullError, is_disk_full
from index.store import Store
from tests._api_fixtures import AGEN, API_KEY, QUIMPER, error_of, make_app, make_kb, make_settings

ROOT = Path(__file__).resolve().parent.parent
KEY = {"X-API-Key": API_KEY}
CLI_MESSAGE = ("Erreur : Disque plein (dossier des données « {folder} ») : rien n'a été perdu, libérez de "
               "l'espace et relancez.\n")
WORDS = ("vacance commerciale centre-ville halle marché façade habitat logement mobilité piétonne commerce "
         "rénovation patrimoine place parking jardin école médiathèque quartier gare îlot friche").split()


def big_text(seed: int, words: int = 20_000) -> str:
    """A long French-looking text (its prepared form is far larger than a pipe's buffer)."""
    out = [f"# Dossier {seed}\n"]
    for i in range(words):
        out.append(WORDS[(i * 7 + seed * 13 + i // 11) % len(WORDS)])
        if i % 40 == 39:
            out.append(f"({seed}-{i}).\n\n")
    return " ".join(out)


def write_corpus(folder: Path, count: int, words: int = 20_000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"dossier-{n:02d}.md"
        path.write_text(big_text(n, words), "utf-8")
        paths.append(path)
    return paths


def limit_store_pages(monkeypatch, extra_pages: int) -> None:
    """Every connection the store opens from now on may grow its file by `extra_pages` pages at most."""
    original = Store.con.fget

    def con(self):
        fresh = getattr(self._local, "con", None) is None
        c = original(self)
        if fresh or not getattr(self._local, "limited", False):
            pages = c.execute("PRAGMA page_count").fetchone()[0]
            c.execute(f"PRAGMA max_page_count = {pages + extra_pages}")
            self._local.limited = True
        return c

    monkeypatch.setattr(Store, "con", property(con))


def failing_writes(monkeypatch) -> None:
    """Every statement that writes, inside a store transaction, fails as SQLite does on a full disk."""
    original = Store.transaction

    class FullConnection:
        def __init__(self, con):
            self._con = con

        def execute(self, sql, *args):
            if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "CREATE")):
                raise sqlite3.OperationalError("database or disk is full")
            return self._con.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._con, name)

    from contextlib import contextmanager

    @contextmanager
    def transaction(self):
        with original(self) as con:
            yield FullConnection(con)

    monkeypatch.setattr(Store, "transaction", transaction)


def store_state(path: Path) -> tuple[list[tuple], int, str]:
    con = sqlite3.connect(path)
    try:
        docs = con.execute("SELECT source, content_hash FROM documents ORDER BY source").fetchall()
        chunks = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return docs, chunks, check


# -- the domain error -------------------------------------------------------------------------------------------


def test_disk_full_is_recognised_from_sqlite_and_os_errors():
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert is_disk_full(sqlite3.OperationalError("database or disk is full"))
    wrapped = RuntimeError("write failed")
    wrapped.__cause__ = OSError(errno.ENOSPC, "No space left on device")
    assert is_disk_full(wrapped)
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(sqlite3.OperationalError("database is locked"))
    assert DiskFullError().message == DISK_FULL_MESSAGE == (
        "Disque plein : rien n'a été perdu, libérez de l'espace et relancez.")
    assert DiskFullError.code == "disque_plein"


# -- store write ------------------------------------------------------------------------------------------------


def test_store_write_on_a_full_disk_rolls_back_and_a_rerun_resumes(tmp_path, monkeypatch):
    settings = make_settings(tmp_path / "var", parse_isolation=False)
    files = write_corpus(tmp_path / "docs", 3, words=6_000)
    kb = make_kb(settings)
    first = kb.ingest([files[0]])
    assert [o.status for o in first.outcomes] == ["added"]
    before = store_state(settings.store_path)
    limit_store_pages(monkeypatch, 4)
    kb.close()
    kb = make_kb(settings)
    with pytest.raises(DiskFullError) as info:
        kb.ingest(files)
    assert info.value.message == DISK_FULL_MESSAGE
    assert isinstance(info.value.__cause__, sqlite3.OperationalError)
    assert str(info.value.__cause__) == "database or disk is full"
    kb.close()
    assert store_state(settings.store_path) == before  # the half-written document left nothing
    monkeypatch.undo()
    kb = make_kb(settings)
    again = kb.ingest(files)
    assert [(Path(o.source).name, o.status) for o in again.outcomes] == [
        ("dossier-00.md", "unchanged"), ("dossier-01.md", "added"), ("dossier-02.md", "added")]
    docs, chunks, check = store_state(settings.store_path)
    assert (len(docs), check) == (3, "ok")
    assert kb.search("halle marché façade", k=3).results
    kb.close()


def test_a_transaction_already_rolled_back_by_sqlite_reports_disk_full_not_rollback_error(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    with pytest.raises(DiskFullError) as info:
        with store.transaction() as con:
            con.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")
            con.execute("ROLLBACK")  # what SQLite does on its own after some SQLITE_FULL errors
            raise sqlite3.OperationalError("database or disk is full")
    assert info.value.details == {"where": "write"}
    assert store.get_meta("x") is None
    store.close()


# -- vector write -----------------------------------------------------------------------------------------------


def test_vector_file_write_on_a_full_disk_keeps_the_old_file_and_no_partial_one(tmp_path, monkeypatch):
    settings = make_settings(tmp_path / "var")
    kb = make_kb(settings)
    kb.ingest([AGEN])
    files = sorted(p.name for p in settings.vectors_dir.iterdir())
    saved = {name: (settings.vectors_dir / name).read_bytes() for name in files}
    dense = kb.dense
    real_save = dense.ann.save

    def save(path):  # the FAISS file is half written when the disk fills up
        real_save(path)
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(dense.ann, "save", save)
    dense._dirty = True
    with pytest.raises(DiskFullError) as info:
        dense.save()
    assert info.value.details == {"where": "vectors"}
    assert sorted(p.name for p in settings.vectors_dir.iterdir()) == files  # no .build or .tmp left behind
    assert {name: (settings.vectors_dir / name).read_bytes() for name in files} == saved
    monkeypatch.undo()
    kb.close()


# -- upload reception and ingest over the API ---------------------------------------------------------------------


NOTE = ("# Note sur la halle de Cahors\n\n" + "La halle de Cahors accueille les producteurs locaux chaque "
        "matin après la rénovation de sa charpente. " * 40).encode()


def _incoming(settings) -> list[str]:
    folder = settings.uploads_dir / ".incoming"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _uploads(settings) -> list[str]:
    folder = settings.uploads_dir
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


def test_upload_reception_on_a_full_disk_is_507_and_leaves_nothing(tmp_path, monkeypatch):
    settings = make_settings(tmp_path / "var")
    real_open = open

    class FullFile:
        def __init__(self, path, mode):
            self.fh = real_open(path, mode)

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.fh.close()

    with TestClient(make_app(settings)) as api:
        monkeypatch.setattr("search_api.uploads.open", FullFile, raising=False)
        res = api.post("/documents", files={"file": ("note.md", NOTE, "text/markdown")}, headers=KEY)
        monkeypatch.undo()
        assert res.status_code == 507
        assert error_of(res) == {"code": "disque_plein", "message": DISK_FULL_MESSAGE,
                                 "details": {"where": "upload"}}
        assert _incoming(settings) == [] and _uploads(settings) == []
        again = api.post("/documents", files={"file": ("note.md", NOTE, "text/markdown")}, headers=KEY)
        assert again.status_code == 201, again.text


def test_upload_ingest_on_a_full_store_is_507_rolled_back_and_the_file_removed(tmp_path, monkeypatch):
    settings = make_settings(tmp_path / "var")
    with TestClient(make_app(settings)) as api:
        assert api.post("/documents", files={"file": ("agen.md", AGEN.read_bytes(), "text/markdown")},
                        headers=KEY).status_code == 201
        before = store_state(settings.store_path)
        limit_store_pages(monkeypatch, 0)
        api.app.state.kb_holder.get().store.close()  # this thread's connection reopens, limited
        res = api.post("/documents", files={"file": ("note.md", NOTE, "text/markdown")}, headers=KEY)
        monkeypatch.undo()
        assert res.status_code == 507, res.text
        err = error_of(res)
        assert (err["code"], err["message"]) == ("disque_plein", DISK_FULL_MESSAGE)
        assert store_state(settings.store_path) == before
        assert _uploads(settings) == ["agen.md"] and _incoming(settings) == []


def test_saved_search_on_a_full_disk_is_507_and_feeds_still_answer(tmp_path, monkeypatch):
    settings = make_settings(tmp_path / "var")
    kb = make_kb(settings)
    kb.ingest([AGEN])
    saved = kb.feeds.create("Vacance", "vacance commerciale", {})
    kb.close()
    with TestClient(make_app(settings)) as api:
        failing_writes(monkeypatch)
        res = api.post("/saved-searches", json={"name": "Halle", "query": "halle"}, headers=KEY)
        assert res.status_code == 507 and error_of(res)["code"] == "disque_plein"
        monkeypatch.undo()

        # the lexical read side follows the store's log: applying it writes files while a feed is read
        from index.lexical_tantivy import TantivyLexical

        kb_ = api.app.state.kb_holder.get()
        kb_.ingest([QUIMPER])  # log entries the lexical index has not applied yet

        def full_commit(self, writer, seq):
            raise ValueError("An IO error occurred: 'No space left on device (os error 28)'")

        monkeypatch.setattr(TantivyLexical, "_commit", full_commit)
        feed = api.get(f"/feeds/{saved.id}.atom")
        news = api.get(f"/saved-searches/{saved.id}/new")
        search = api.get("/search", params={"q": "vacance commerciale"})
        monkeypatch.undo()
        # the read side cannot catch up: reads answer from its last committed state, they never fail
        assert (feed.status_code, news.status_code, search.status_code) == (200, 200, 200)
        assert news.json()["results"] and search.json()["results"]
        ok = api.get(f"/feeds/{saved.id}.atom")
        assert ok.status_code == 200 and ok.headers["content-type"] == "application/atom+xml; charset=utf-8"
        assert [s["name"] for s in api.get("/saved-searches").json()] == ["Vacance"]


# -- `acv ingest`: exits 1 with its message, workers stopped, no hang ------------------------------------------

_DRIVER = textwrap.dedent("""
    import sys
    from index.store import Store
    original = Store.con.fget
    def con(self):
        c = original(self)
        if not getattr(self._local, "limited", False):
            pages = c.execute("PRAGMA page_count").fetchone()[0]
            c.execute(f"PRAGMA max_page_count = {pages + int(sys.argv[1])}")
            self._local.limited = True
        return c
    Store.con = property(con)
    from cli.main import main
    raise SystemExit(main(sys.argv[2:]))
""")


def _cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACV_")}
    env.update(ACV_DATA_DIR=str(data_dir), ACV_EMBEDDER="fake", ACV_EMBEDDER_MODEL="64", ACV_INGEST_WORKERS="2",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=str(ROOT), **extra)
    return env


@pytest.mark.system
def test_cli_ingest_on_a_full_disk_exits_1_with_its_message_and_no_worker_left(tmp_path):
    data = tmp_path / "var"
    files = write_corpus(tmp_path / "docs", 6)
    env = _cli_env(data)
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", _DRIVER, "60", "ingest", "-q", str(files[0].parent)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=240)
    assert time.monotonic() - started < 240
    assert run.returncode == 1, run.stderr
    assert run.stderr == CLI_MESSAGE.format(folder=data.resolve())
    assert multiprocessing.active_children() == []
    docs, _chunks, check = store_state(data / "acv.sqlite3")
    assert check == "ok" and len(docs) < 6
    again = subprocess.run([sys.executable, "-m", "cli.main", "ingest", "-q", "--json", str(files[0].parent)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr
    import json

    statuses = [f["status"] for f in json.loads(again.stdout)["files"]]
    assert statuses == ["unchanged"] * len(docs) + ["added"] * (6 - len(docs))


def _mount_tmpfs(target: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    target.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                          capture_output=True).returncode == 0


@pytest.mark.system
def test_cli_ingest_on_a_real_full_tmpfs(tmp_path):
    """As root: a 2 MB tmpfs as the data folder; ingest stops cleanly, then resumes once the disk is bigger."""
    mount = tmp_path / "petit-disque"
    if not _mount_tmpfs(mount, "2m"):
        pytest.skip("needs root and a tmpfs mount")
    try:
        files = write_corpus(tmp_path / "docs", 6)
        data = mount / "var"
        env = _cli_env(data)
        run = subprocess.run([sys.executable, "-m", "cli.main", "ingest", "-q", str(files[0].parent)], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=240)
        assert run.returncode == 1, run.stderr
        assert run.stderr == CLI_MESSAGE.format(folder=data.resolve())
        docs, _chunks, check = store_state(data / "acv.sqlite3")
        assert check == "ok" and len(docs) < 6
        assert not list((data / "vectors").glob("*.tmp")) and not list((data / "vectors").glob("*.build"))
        subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)
        again = subprocess.run([sys.executable, "-m", "cli.main", "ingest", "-q", str(files[0].parent)], cwd=ROOT,
                               env=env, capture_output=True, text=True, timeout=240)
        assert again.returncode == 0, again.stderr
        docs, _chunks, check = store_state(data / "acv.sqlite3")
        assert (len(docs), check) == (6, "ok")
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


# -- the hang itself: a worker blocked on its pipe never holds the process at exit ----------------------------------

_LEAK = textwrap.dedent("""
    import time
    from ingest.isolation import IsolatedJob

    def big(path=None):
        return b"x" * (8 * 1024 * 1024)  # far more than a pipe holds: the child blocks in send()

    job = IsolatedJob(big, timeout_s=600, memory_mb=None)
    time.sleep(1.0)  # the child is now blocked on its pipe; the parent leaves without reading (a failed batch)
    print("sortie", flush=True)
""")


def test_a_worker_blocked_on_its_pipe_does_not_hold_the_process_at_exit():
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", _LEAK], cwd=ROOT, env=_cli_env(ROOT / "var-inutilise"),
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (0, "sortie\n"), run.stderr
    assert time.monotonic() - started < 30


def test_abandoning_a_batch_kills_its_blocked_workers():
    from ingest.isolation import IsolatedJob

    jobs = [IsolatedJob(lambda: b"x" * (8 * 1024 * 1024), timeout_s=600, memory_mb=None) for _ in range(2)]
    time.sleep(0.5)
    started = time.monotonic()
    for job in jobs:
        job.kill()
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []

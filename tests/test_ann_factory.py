"""Which vector index the store gets, and what happens when it grows past the approximate threshold."""

from __future__ import annotations

import json

import numpy as np
import pytest

import index.ann.factory as factory
import index.vectors as vectors
from index.analysis import FrenchAnalyzer
from index.ann import create_ann
from index.ann.faiss_flat import FaissFlat
from index.ann.faiss_ivf import FaissIVF
from index.embedders.fake import FakeEmbedder
from index.store import ChunkRow, DocumentRow, Store
from index.vectors import CONFIG_FILE, DenseIndex

A = FrenchAnalyzer()
E = FakeEmbedder(32)


def test_exact_below_the_threshold_approximate_from_it():
    assert factory.APPROXIMATE_FROM == 50_000
    assert create_ann(384, expected_size=49_999).kind == FaissFlat.kind
    ivf = create_ann(384, expected_size=50_000)
    assert ivf.kind == FaissIVF.kind
    assert ivf.config() == {"kind": "faiss-ivf-sq8", "dimension": 384, "nlist": 894, "nprobe": 256}
    assert create_ann(384, expected_size=100_000).config()["nlist"] == 1264


def _add_document(store: Store, n: int, count: int) -> list[np.ndarray]:
    texts = [f"Document {n} passage {i} sur la rénovation du centre-ville numéro {n * 1000 + i}" for i in range(count)]
    vecs = E.embed_passages(texts)
    rows, blobs = [], {}
    for i, (t, v) in enumerate(zip(texts, vecs)):
        blobs[f"k:{t}"] = v.tobytes()
        rows.append(ChunkRow(i, t, A.analyse(t), 1, None, 0, len(t), f"k:{t}", {}, {"axis": ["1"]}))
    store.replace_document(DocumentRow(f"d{n}", f"/x/{n}.md", f"h{n}", "markdown", f"Doc {n}", "communique",
                                       "2020-01-01", None, 10, "2024-01-01T00:00:00", {}), rows, blobs)
    return list(vecs)


@pytest.fixture
def low_threshold(monkeypatch):
    """The real threshold needs 50k vectors; the switch itself is the same at 300."""
    monkeypatch.setattr(factory, "APPROXIMATE_FROM", 300)
    monkeypatch.setattr(vectors, "APPROXIMATE_FROM", 300)


def test_a_flat_index_grown_past_the_threshold_becomes_approximate(tmp_path, low_threshold):
    store = Store(tmp_path / "s.sqlite3")
    _add_document(store, 1, 200)
    dense = DenseIndex(store, tmp_path / "vectors", E.id, E.dimension)
    assert dense.ann.kind == FaissFlat.kind and dense.count() == 200
    dense.save()

    second = _add_document(store, 2, 150)
    found, _ = dense.search(second[7], 1)  # the search syncs: 350 vectors, past 300
    assert dense.ann.kind == FaissIVF.kind and dense.count() == 350
    dense.save()
    saved = json.loads((tmp_path / "vectors" / CONFIG_FILE).read_text())
    assert (saved["kind"], saved["count"], saved["nlist"], saved["nprobe"]) == ("faiss-ivf-sq8", 350, 74, 256)

    # Reopened, it is the approximate index with every vector; ids are the store's chunk ids.
    reopened = DenseIndex(store, tmp_path / "vectors", E.id, E.dimension)
    assert reopened.ann.kind == FaissIVF.kind and reopened.count() == 350
    ids, vecs = store.vectors_for(None, E.dimension)
    assert sorted(reopened.ann.ids().tolist()) == ids.tolist()
    assert [reopened.search(vecs[i], 1)[0].tolist() for i in (3, 250)] == [[ids[3]], [ids[250]]]
    assert reopened.search(second[7], 1)[0].tolist() == found.tolist() == [ids[207]]
    store.close()


def test_a_saved_flat_index_past_the_threshold_stays_flat_until_the_next_write(tmp_path, low_threshold,
                                                                                monkeypatch):
    store = Store(tmp_path / "s.sqlite3")
    _add_document(store, 1, 200)
    dense = DenseIndex(store, tmp_path / "vectors", E.id, E.dimension)
    dense.save()
    # The threshold lowered after the file was saved (as 200k -> 50k did for existing stores).
    monkeypatch.setattr(factory, "APPROXIMATE_FROM", 100)
    monkeypatch.setattr(vectors, "APPROXIMATE_FROM", 100)
    assert DenseIndex(store, tmp_path / "vectors", E.id, E.dimension).ann.kind == FaissFlat.kind
    _add_document(store, 2, 1)
    reopened = DenseIndex(store, tmp_path / "vectors", E.id, E.dimension)
    assert reopened.ann.kind == FaissIVF.kind and reopened.count() == 201
    store.close()


def test_an_approximate_index_rescores_its_best_hits_on_the_stored_vectors(tmp_path, low_threshold):
    store = Store(tmp_path / "s.sqlite3")
    vecs = np.array(_add_document(store, 1, 400), dtype=np.float32)
    dense = DenseIndex(store, tmp_path / "vectors", E.id, E.dimension, exact_rescore=40)
    assert dense.ann.kind == FaissIVF.kind
    dense.ann.nprobe = 1  # one list of 80: the approximate top 10 misses some of the true ones
    query = vecs[3] + vecs[250] + vecs[390]
    query /= np.linalg.norm(query)
    exact_order = np.argsort(-(vecs @ query))[:10] + 1  # chunk ids start at 1
    approx_ids, approx_scores = dense.ann.search(query, 10)
    ids, scores = dense.search(query, 10)
    # Every returned score is the exact inner product, in order; the result is the best of the 40 candidates.
    assert np.allclose(scores, vecs[ids - 1] @ query, atol=1e-6)
    assert list(scores) == sorted(scores, reverse=True)
    candidates, _ = dense.ann.search(query, 40)
    best40 = candidates[np.argsort(-(vecs[candidates - 1] @ query), kind="stable")][:10]
    assert ids.tolist() == best40.tolist()
    assert not np.allclose(approx_scores, vecs[approx_ids - 1] @ query, atol=1e-6)  # 8-bit codes: not exact
    assert len(set(ids.tolist()) & set(exact_order.tolist())) >= len(set(approx_ids.tolist()) & set(exact_order.tolist()))
    # Off: the approximate index's own answer.
    dense.exact_rescore = 0
    off_ids, off_scores = dense.search(query, 10)
    assert off_ids.tolist() == approx_ids.tolist() and np.array_equal(off_scores, approx_scores)


def test_a_flat_index_is_not_rescored(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    vecs = np.array(_add_document(store, 1, 50), dtype=np.float32)
    dense = DenseIndex(store, tmp_path / "vectors", E.id, E.dimension, exact_rescore=40)
    ids, scores = dense.search(vecs[7], 5)
    assert dense.ann.kind == FaissFlat.kind and ids[0] == 8 and len(ids) == 5
    assert np.allclose(scores, vecs[ids - 1] @ vecs[7], atol=1e-6)

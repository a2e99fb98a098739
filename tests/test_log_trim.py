"""vector_log is trimmed, when the dense file is saved, below what both derived indexes (FAISS file, lexical
index) hold; a search never trims; a reader left behind the trimmed log (another process's index in memory,
an index restored from a copy) recovers."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from index.analysis import FrenchAnalyzer
from index.embedders.fake import FakeEmbedder
from index.lexical import LEXICAL_DIR, LexicalIndex
from index.store import ChunkRow, DocumentRow, Filters, Store
from index.vectors import DenseIndex

A = FrenchAnalyzer()
EMB = FakeEmbedder(16)


def _write(store: Store, i: int, texts: list[str]) -> list[int]:
    doc = DocumentRow(f"d{i}", f"/x/{i}.md", f"h{i}", "markdown", f"Doc {i}", "communique", "2020-01-01", None,
                      10, "2024-01-01T00:00:00", {})
    rows = [ChunkRow(n, t, A.analyse(t), 1, None, 0, len(t), f"k{i}:{n}", {}, {}) for n, t in enumerate(texts)]
    vecs = EMB.embed_passages(texts)
    return store.replace_document(doc, rows, {f"k{i}:{n}": v.tobytes() for n, v in enumerate(vecs)})


def _log_rows(store: Store) -> list[int]:
    return [int(r[0]) for r in store.con.execute("SELECT seq FROM vector_log ORDER BY seq")]


def _dense_ids(dense: DenseIndex, store: Store) -> list[int]:
    ids, _ = dense.search(EMB.embed_query("x"), 1000)
    return sorted(int(i) for i in ids)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "acv.sqlite3")
    _write(s, 1, ["Rénovation du marché couvert", "Ravalement des façades"])
    _write(s, 2, ["Une maison de santé"])
    yield s
    s.close()


def test_saving_the_dense_file_trims_what_it_and_the_lexical_index_hold_and_a_search_never_trims(store, tmp_path):
    assert _log_rows(store) == [1, 2, 3]
    lex = LexicalIndex(store)  # built from the store at position 3; a search path: nothing trimmed
    assert _log_rows(store) == [1, 2, 3]
    dense = DenseIndex(store, tmp_path / "vectors", EMB.id, EMB.dimension)
    dense.save()
    assert _log_rows(store) == [3]  # the last entry stays: last_log_seq keeps its value
    assert store.last_log_seq() == 3 and store.log_trimmed_to() == 2
    _write(store, 3, ["Un tiers-lieu"])
    lex.sync()  # the lexical index at 4
    _write(store, 4, ["Une halle"])
    _write(store, 5, ["Un cinéma"])
    assert _log_rows(store) == [3, 4, 5, 6]
    dense.sync()
    dense.save()  # the dense file at 6, the lexical index still at 4: entries 5 and 6 stay
    assert _log_rows(store) == [5, 6] and store.log_trimmed_to() == 4
    assert [c for c, _ in lex.search(A.terms("cinéma"), Filters(), 10)] == [6]  # replays 5, 6
    assert _log_rows(store) == [5, 6]
    dense.save()  # nothing new in the dense file: not saved again, nothing trimmed
    DenseIndex(store, tmp_path / "vectors", EMB.id, EMB.dimension)
    # A fresh process opens both from their saved state and the trimmed log.
    again = Store(store.path)
    assert _dense_ids(DenseIndex(again, tmp_path / "vectors", EMB.id, EMB.dimension), again) == [1, 2, 3, 4, 5, 6]
    assert LexicalIndex(again).ids() == [1, 2, 3, 4, 5, 6]
    again.close()


def test_without_a_lexical_index_the_dense_position_alone_decides(store, tmp_path):
    dense = DenseIndex(store, tmp_path / "vectors", EMB.id, EMB.dimension)
    _write(store, 3, ["Un tiers-lieu"])
    dense.sync()
    dense.save()
    assert _log_rows(store) == [4]
    lex = LexicalIndex(store)  # built from SQLite, which needs no log
    assert lex.ids() == [1, 2, 3, 4] and lex.position == 4


def test_a_dense_index_kept_in_memory_behind_the_trimmed_log_loads_the_saved_file(store, tmp_path):
    api = DenseIndex(store, tmp_path / "vectors", EMB.id, EMB.dimension)  # the API's index, in memory
    api.save()
    LexicalIndex(store)
    # Another process (`acv ingest`) writes; its lexical index follows, it saves the dense file: trimmed.
    other = Store(store.path)
    _write(other, 3, ["Un tiers-lieu", "Une halle"])
    other.delete_document("d1")
    LexicalIndex(other).sync()
    DenseIndex(other, tmp_path / "vectors", EMB.id, EMB.dimension).save()
    other.close()
    assert store.log_trimmed_to() > 3 and min(_log_rows(store)) > 4  # entries the API never applied are gone
    assert _dense_ids(api, store) == [3, 4, 5] == sorted(store.chunk_ids().tolist())


def test_a_lexical_index_restored_from_an_older_copy_is_rebuilt(store, tmp_path):
    lex = LexicalIndex(store)
    shutil.copytree(tmp_path / LEXICAL_DIR, tmp_path / "old-lexical")  # at position 3
    _write(store, 3, ["Un tiers-lieu"])
    _write(store, 4, ["Une halle"])
    lex.sync()
    DenseIndex(store, tmp_path / "vectors", EMB.id, EMB.dimension).save()
    assert store.log_trimmed_to() == 4
    lex.store.close()
    shutil.rmtree(tmp_path / LEXICAL_DIR)
    shutil.copytree(tmp_path / "old-lexical", tmp_path / LEXICAL_DIR)  # position 3 < entries it would need
    reopened = Store(store.path)
    restored = LexicalIndex(reopened)
    assert restored.ids() == [1, 2, 3, 4, 5]
    assert [c for c, _ in restored.search(A.terms("tiers-lieu"), Filters(), 10)] == [4]
    reopened.close()


def test_a_dense_file_older_than_the_trimmed_log_is_rebuilt_from_the_stored_vectors(store, tmp_path):
    dense = DenseIndex(store, tmp_path / "vectors", EMB.id, EMB.dimension)
    dense.save()
    shutil.copytree(tmp_path / "vectors", tmp_path / "old-vectors")  # at position 3
    _write(store, 3, ["Un tiers-lieu"])
    _write(store, 4, ["Une halle"])
    LexicalIndex(store)
    dense.sync()
    dense.save()
    assert store.log_trimmed_to() == 4
    shutil.rmtree(tmp_path / "vectors")
    shutil.copytree(tmp_path / "old-vectors", tmp_path / "vectors")
    restored = DenseIndex(store, tmp_path / "vectors", EMB.id, EMB.dimension)
    assert _dense_ids(restored, store) == [1, 2, 3, 4, 5]
    assert np.isclose(restored.search(EMB.embed_query("Un tiers-lieu"), 1)[1][0], 1.0, atol=1e-5)

"""The tantivy lexical read side follows the SQLite store: updates, deletions, other processes, kill -9, rebuild."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.analysis import FrenchAnalyzer
from index.lexical import LEXICAL_DIR, LexicalIndex
from index.store import ChunkRow, DocumentRow, Filters, Store

ROOT = Path(__file__).resolve().parent.parent
A = FrenchAnalyzer()


def _doc(i: int) -> DocumentRow:
    return DocumentRow(f"d{i}", f"/x/{i}.md", f"h{i}", "markdown", f"Doc {i}", "communique", "2020-01-01", None, 10,
                       "2024-01-01T00:00:00", {})


def _write(store: Store, i: int, texts: list[str], axis: str = "1") -> list[int]:
    rows = [ChunkRow(n, t, A.analyse(t), 1, None, 0, len(t), f"k{i}:{n}:{t}", {}, {"axis": [axis]})
            for n, t in enumerate(texts)]
    return store.replace_document(_doc(i), rows, {})


def _expected(store: Store, term: str) -> list[int]:
    """Chunks whose analysed body holds `term`, read from SQLite (the source of truth)."""
    return sorted(int(r[0]) for r in store.con.execute("SELECT chunk_id, body FROM chunk_terms") if term in r[1].split())


def _found(lex: LexicalIndex, term: str, filters: Filters | None = None) -> list[int]:
    return sorted(cid for cid, _ in lex.search([term], filters or Filters(), 1000))


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "acv.sqlite3")
    _write(s, 1, ["Rénovation du marché couvert", "Ravalement des façades du centre"])
    _write(s, 2, ["Une maison de santé au centre-ville"], axis="5")
    yield s
    s.close()


def test_index_is_built_from_the_store_and_ranks_bm25(store):
    lex = LexicalIndex(store)
    assert lex.ids() == [1, 2, 3]
    assert lex.position == store.last_log_seq() == 3
    assert _found(lex, A.terms("marché")[0]) == [1]
    hits = lex.search(A.terms("centre façades"), Filters(), 10)
    assert [cid for cid, _ in hits] == [2, 3]  # chunk 2 holds both terms
    assert hits[0][1] > hits[1][1] > 0
    assert lex.doc_freqs(A.terms("centre")) == {"centr": 2}


def test_filters_apply_inside_the_search(store):
    lex = LexicalIndex(store)
    centre = A.terms("centre")
    assert _found(lex, centre[0], Filters(axis=["1"])) == [2]
    assert _found(lex, centre[0], Filters(axis=["5"])) == [3]
    assert _found(lex, centre[0], Filters(axis=["4"])) == []


def test_updates_and_deletions_are_followed(store):
    lex = LexicalIndex(store)
    marche = A.terms("marché")[0]
    # Re-ingesting document 1 with other text: old chunks gone, new ones searchable.
    new_ids = _write(store, 1, ["Le marché couvert rouvre", "Une friche devient un tiers-lieu"])
    assert new_ids == [4, 5]
    assert _found(lex, marche) == _expected(store, marche) == [4]
    assert _found(lex, A.terms("façades")[0]) == []
    assert _found(lex, A.terms("friche")[0]) == [5]
    assert lex.ids() == sorted(store.chunk_ids().tolist()) == [3, 4, 5]
    store.delete_document("d2")
    assert _found(lex, A.terms("santé")[0]) == []
    assert lex.ids() == [4, 5]
    assert lex.count() == 2
    assert "sant" not in lex.vocabulary()


def test_another_connection_writes_and_this_index_sees_it(store, tmp_path):
    lex = LexicalIndex(store)
    other = Store(tmp_path / "acv.sqlite3")  # a second connection, as `acv ingest` in another process
    _write(other, 3, ["La piétonnisation de la rue commerçante"])
    other.close()
    assert _found(lex, A.terms("piétonnisation")[0]) == [4]
    # A second index object over the same directory (another process) reads the position already committed.
    again = LexicalIndex(store)
    assert again.position == lex.position == store.last_log_seq()
    assert again.ids() == [1, 2, 3, 4]


def test_rebuilt_on_open_when_missing_torn_or_foreign(store, tmp_path):
    directory = tmp_path / LEXICAL_DIR
    LexicalIndex(store)
    shutil.rmtree(directory)
    assert LexicalIndex(store).ids() == [1, 2, 3]
    # Torn files: every segment file truncated.
    for f in directory.iterdir():
        if f.is_file() and f.suffix not in (".lock",) and f.name != "meta.json":
            f.write_bytes(f.read_bytes()[:7])
    assert LexicalIndex(store).ids() == [1, 2, 3]
    (directory / "meta.json").write_text("{not json")
    assert LexicalIndex(store).ids() == [1, 2, 3]
    # An index built from another store (same log positions) is not trusted.
    other = Store(tmp_path / "other" / "acv.sqlite3")
    _write(other, 7, ["Une foncière commerciale"])
    _write(other, 8, ["Le permis de louer", "Les façades"])
    LexicalIndex(other, directory)
    lex = LexicalIndex(store, directory)
    assert lex.ids() == [1, 2, 3]
    assert _found(lex, A.terms("foncière")[0]) == []
    other.close()


def test_index_behind_the_log_is_replayed_not_rebuilt(store, tmp_path):
    lex = LexicalIndex(store)
    del lex
    _write(store, 3, ["Un tiers-lieu dans l'ancienne poste"])
    store.delete_document("d1")
    lex = LexicalIndex(store)
    assert lex.ids() == [3, 4]
    assert _found(lex, A.terms("poste")[0]) == [4]


_SYNC_LOOP = """
import sys, time
from pathlib import Path
from index.store import Store
from index.lexical import LexicalIndex
store = Store(Path(sys.argv[1]))
lex = LexicalIndex(store)
while True:
    lex.sync()
    time.sleep(0.01)
"""


def _corpus(folder: Path, n: int) -> None:
    rng = random.Random(3)
    words = ["marché couvert", "façades", "maison de santé", "piétonnisation", "friche", "tiers-lieu", "commerce",
             "logement", "mobilité douce", "patrimoine"]
    for i in range(n):
        paras = "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) + f" projet{i}x{p}" for p in range(4))
        (folder / f"doc-{i:02d}.md").write_text(f"---\ntitle: Projet {i}\n---\n\n# Projet {i}\n\n{paras}\n", "utf-8")


@pytest.mark.system
def test_kill_9_during_ingest_and_during_index_sync_leaves_a_consistent_index(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    _corpus(folder, 24)
    data_dir = tmp_path / "data"
    env = {**os.environ, "ACV_DATA_DIR": str(data_dir), "ACV_EMBEDDER": "fake", "PYTHONPATH": str(ROOT)}
    rng = random.Random(20261202)
    db = data_dir / "acv.sqlite3"
    kills = 0
    for _attempt in range(12):
        ingest = subprocess.Popen([sys.executable, "-m", "cli", "ingest", str(folder), "-q"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        syncer = None
        time.sleep(rng.uniform(0.3, 1.5))
        if db.exists():  # a second process applying the log to the lexical index while the ingest writes
            syncer = subprocess.Popen([sys.executable, "-c", _SYNC_LOOP, str(db)], env=env, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.5, 2.0))
        for proc in (ingest, syncer):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            if proc is not None:
                proc.wait(timeout=60)
        if db.exists():
            store = Store(db)
            lex = LexicalIndex(store)
            assert lex.ids() == sorted(store.chunk_ids().tolist())
            assert lex.position == store.last_log_seq()
            for term in ("march", "sant", "friche"):
                assert _found(lex, term) == _expected(store, term)
            store.close()
    assert kills >= 6, f"only {kills} kills landed"
    # An index opened before another process finishes the ingest (as the API is) sees what that process wrote.
    store = Store(db)
    lex = LexicalIndex(store)
    (folder / "doc-new.md").write_text("---\ntitle: Nouveau\n---\n\n# Nouveau\n\nUne verrière toute neuve.\n", "utf-8")
    subprocess.run([sys.executable, "-m", "cli", "ingest", str(folder), "-q"], env=env, cwd=ROOT, check=True,
                   timeout=300, stdout=subprocess.DEVNULL)
    assert len(store.documents()) == 25
    assert lex.ids() == sorted(store.chunk_ids().tolist())
    assert _found(lex, A.terms("verrière")[0]) == _expected(store, A.terms("verrière")[0]) != []
    assert _found(lex, "projet5x2") == _expected(store, "projet5x2") != []
    store.close()


def test_rank_runs_each_retriever_once_with_filters_inside(store, tmp_path):
    from index.embedders.fake import FakeEmbedder
    from index.expansion import ThemeExpander
    from index.search import HybridRetriever, RetrievalConfig
    from index.vectors import DenseIndex

    emb = FakeEmbedder(32)
    texts = ["Un tiers-lieu ouvre dans l'ancienne poste", "Un espace de travail partagé pour les indépendants",
             "Un espace de travail partagé hors du programme"]
    rows = [ChunkRow(n, t, A.analyse(t), 1, None, 0, len(t), f"k9:{n}", {}, {"axis": ["3" if n < 2 else "4"]})
            for n, t in enumerate(texts)]
    vecs = emb.embed_passages(texts)
    ids = store.replace_document(_doc(9), rows, {f"k9:{n}": v.tobytes() for n, v in enumerate(vecs)})
    assert ids == [4, 5, 6]
    dense = DenseIndex(store, tmp_path / "vectors", emb.id, emb.dimension)
    themes = [{"id": "tiers-lieu", "label": "tiers-lieu", "synonyms": ["espace de travail partagé"]}]
    retr = HybridRetriever(store, A, emb, dense, RetrievalConfig(), expander=ThemeExpander(themes, A, None, None))
    calls: list[str] = []
    search_weighted, dense_search = retr.lexical.search_weighted, dense.search

    def counted_lexical(terms, limit, allowed=None, within=None, constraint=None):
        if constraint is not None and constraint.required():
            calls.append("exact lookup among the candidates")  # index/exact_lookup.py: who holds the query
        else:
            calls.append("lexical restricted to candidates" if within is not None else "lexical")
        return search_weighted(terms, limit, allowed, within, constraint)

    def counted_dense(query, k, allowed=None):
        calls.append("dense")
        return dense_search(query, k, allowed)

    retr.lexical.search_weighted = counted_lexical  # type: ignore[method-assign]
    dense.search = counted_dense  # type: ignore[method-assign]
    ranking = retr.rank("tiers-lieu", Filters(axis=["3"]), 10)
    assert sorted(calls) == ["dense", "exact lookup among the candidates", "exact lookup among the candidates",
                             "lexical", "lexical restricted to candidates"]
    assert sorted(h.chunk_id for h in ranking.hits) == [4, 5]  # chunk 6 is axis 4: filtered out in both
    assert ranking.hits[0].chunk_id == 4  # the words typed count more than the theme's synonyms
    assert ranking.diagnostics["expansion_terms"] == 3.0
    calls.clear()
    retr.rank("tiers-lieu", Filters(), 10, method="lexical")
    assert sorted(calls) == ["exact lookup among the candidates", "exact lookup among the candidates", "lexical",
                             "lexical restricted to candidates"]
    calls.clear()
    retr.rank("tiers-lieu", Filters(), 10, method="dense")
    assert calls == ["dense"]


# -- words as written, phrases, exclusions (index/lexical_tantivy.py `Constraint`) ---------------------------------


def _ids(hits):
    return sorted(cid for cid, _ in hits)


def test_phrases_are_matched_as_written_over_positions(tmp_path):
    from index.lexical_tantivy import Constraint
    s = Store(tmp_path / "acv.sqlite3")
    _write(s, 1, ["Les façades du secteur sauvegardé seront rénovées", "Le secteur des façades sauvegardé"])
    _write(s, 2, ["Travaux rue Aristide-Briand", "La CAF et le café du centre"])
    lex = LexicalIndex(s)
    phrase = Constraint(exact=(("facades", "du", "secteur", "sauvegarde"),))
    assert _ids(lex.search_weighted({}, 10, constraint=phrase)) == [1]
    assert _ids(lex.search_weighted({}, 10, constraint=Constraint(exact=(("aristide", "briand"),)))) == [3]
    assert _ids(lex.search_weighted({}, 10, constraint=Constraint(exact=(("caf",),)))) == [4]
    both = Constraint(terms=tuple(A.terms("façades secteur")))
    assert _ids(lex.search_weighted({}, 10, constraint=both)) == [1, 2]
    s.close()


def test_exclusions_and_restrictions_combine(tmp_path):
    from index.lexical_tantivy import Constraint
    s = Store(tmp_path / "acv.sqlite3")
    _write(s, 1, ["Rénovation des façades", "Rénovation du marché couvert"])
    _write(s, 2, ["Rénovation de la gare"], axis="5")
    lex = LexicalIndex(s)
    renov = {t: 1.0 for t in A.terms("rénovation")}
    assert _ids(lex.search_weighted(renov, 10)) == [1, 2, 3]
    no_market = Constraint(excluded_terms=tuple(A.terms("marchés")))
    assert _ids(lex.search_weighted(renov, 10, constraint=no_market)) == [1, 3]
    no_phrase = Constraint(excluded_exact=(("marche", "couvert"),))
    assert _ids(lex.search_weighted(renov, 10, s.allowed_chunk_ids(Filters(axis=["1"])), constraint=no_phrase)) == [1]
    s.close()


def test_an_index_of_the_previous_layout_is_rebuilt(tmp_path):
    import tantivy

    from index import lexical_tantivy
    s = Store(tmp_path / "acv.sqlite3")
    _write(s, 1, ["Travaux rue Aristide-Briand"])
    old = tantivy.SchemaBuilder()  # layout 1: no `exact` field
    old.add_unsigned_field("id", stored=False, indexed=True, fast=True)
    old.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    old.add_unsigned_field("seq", stored=True, indexed=False, fast=False)
    old.add_text_field("uid", stored=True, tokenizer_name="raw", index_option="basic")
    directory = tmp_path / LEXICAL_DIR
    directory.mkdir()
    index = tantivy.Index(old.build(), path=str(directory))
    writer = index.writer(15_000_000, 1)
    meta = tantivy.Document()
    meta.add_unsigned("id", 0)
    meta.add_unsigned("seq", s.last_log_seq())
    meta.add_text("uid", s.uid())
    writer.add_document(meta)
    writer.commit()
    writer.wait_merging_threads()
    lex = LexicalIndex(s)
    assert lex.ids() == [1]
    found = lex.search_weighted({}, 10, constraint=lexical_tantivy.Constraint(exact=(("aristide", "briand"),)))
    assert _ids(found) == [1]
    s.close()

"""Each distinct text is embedded once; passages without words are skipped; documents are capped; every stage of a
degenerate file ends with a stored document or a French reason."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from service.knowledge_base import KnowledgeBase
from index.embedders.base import MAX_INPUT_CHARS, MAX_TOKEN_CHARS, model_input
from index.embedders.fake import FakeEmbedder
from ingest.passages import NO_WORDS_MESSAGE, carries_words

PARAGRAPH = ("À Cahors, la rénovation des façades du centre ancien a été financée par Action cœur de ville, avec le "
             "concours de la Banque des Territoires et de l'Anah, pour un montant de 1,2 M€ sur trois ans. ")


class CountingEmbedder(FakeEmbedder):
    """The fake model, recording every text it is given."""

    def __init__(self) -> None:
        super().__init__(64)
        self.seen: list[str] = []
        self.calls = 0

    def embed_passages(self, texts):
        self.seen.extend(texts)
        self.calls += 1
        return super().embed_passages(texts)


@pytest.fixture
def counted(settings):
    emb = CountingEmbedder()
    kb = KnowledgeBase(settings, embedder=emb)
    yield kb, emb
    kb.close()


def _para(i: int) -> str:
    return f"Paragraphe {i} : à Agen, la halle numéro {i} rouvre ses portes aux producteurs locaux chaque samedi matin."


def test_a_repeated_paragraph_is_embedded_once(counted, tmp_path):
    kb, emb = counted
    page = tmp_path / "repete.html"
    page.write_text("<html><body>" + "".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(400)) + "</body></html>",
                    "utf-8")
    report = kb.ingest([page])
    [outcome] = report.outcomes
    texts = [c["text"] for c in kb.store.chunks_of(outcome.doc_id)]
    assert outcome.status == "added" and outcome.chunks == len(texts) == 200
    assert len(set(texts)) == 1
    assert emb.seen == texts[:1] and outcome.embedded == 1
    assert kb.store.chunks_missing_vectors() == []


def test_texts_shared_across_files_go_to_the_model_once_in_batches_spanning_documents(counted, tmp_path):
    kb, emb = counted
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(6):  # each file, under one common title: one paragraph of its own and the common one
        (folder / f"f{i}.md").write_text(
            f"---\ntitle: Les halles d'Agen\n---\n# Fiche {i}\n\n{_para(i) * 4}\n\n# Commun\n\n{PARAGRAPH * 4}\n",
            "utf-8")
    report = kb.ingest([folder])
    assert [o.status for o in report.outcomes] == ["added"] * 6
    rows = [c for d in kb.store.documents() for c in kb.store.chunks_of(d["id"])]
    assert len(rows) == 12 and len({c["text"] for c in rows}) == 7
    # what the model read: each passage under its title and section, the common one once for all six files
    assert len(emb.seen) == len(set(emb.seen)) == 7
    assert sorted(emb.seen)[0].startswith("Les halles d'Agen\nCommun\nÀ Cahors")
    assert report.embedded == 7
    # the same documents again under other names: nothing new reaches the model
    seen_before = len(emb.seen)
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in sorted(folder.iterdir()):
        (copy / ("autre-" + path.name)).write_bytes(path.read_bytes())
    again = kb.ingest([copy])
    assert [o.status for o in again.outcomes] == ["added"] * 6 and again.embedded == 0
    assert len(emb.seen) == seen_before


def test_the_queue_batches_texts_of_several_documents_and_waits_for_shared_ones(kb):
    from ingest.dedupe import EmbeddingQueue

    queue = EmbeddingQueue(kb.store, batch_size=3)
    first = queue.need({"k1": "un", "k2": "deux"})
    second = queue.need({"k2": "deux", "k3": "trois", "k4": "quatre"})
    assert (first, second, queue.pending) == ({"k1", "k2"}, {"k2", "k3", "k4"}, 4)
    keys, texts = queue.next_batch()
    assert (keys, texts) == (["k1", "k2", "k3"], ["un", "deux", "trois"])  # one call spans both documents
    queue.put(keys, np.eye(3, 4, dtype=np.float32))
    assert queue.ready(first) and not queue.ready(second)
    assert sorted(queue.take(first)) == ["k1", "k2"]  # the first document writes the shared vector
    queue.fail(*queue.next_batch()[:1], "Fichier ignoré : le calcul des vecteurs a échoué (RuntimeError).")
    assert queue.ready(second) and queue.failure(second) == (
        "Fichier ignoré : le calcul des vecteurs a échoué (RuntimeError).")
    assert queue.take(second) == {"k3": np.eye(3, 4, dtype=np.float32)[2].tobytes()}


def test_passages_without_words_are_skipped_with_a_note(counted, tmp_path):
    kb, emb = counted
    noise = " ".join(["QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkr"] * 60)
    doc = tmp_path / "bruit.md"
    doc.write_text(f"# Projet\n\n{PARAGRAPH * 3}\n\n# Annexe\n\n{noise}\n", "utf-8")
    [outcome] = kb.ingest([doc]).outcomes
    assert outcome.status == "added" and outcome.chunks == 1
    assert outcome.message == ("1 passage sans mots (ponctuation, code, données encodées ou jeton géant) ignoré.")
    assert [c["ordinal"] for c in kb.store.chunks_of(outcome.doc_id)] == [0]
    assert all("QUJDREVG" not in t for t in emb.seen)


def test_a_file_of_one_5_mb_token_is_refused_with_a_reason(kb, tmp_path):
    import random

    rng = random.Random(3)
    path = tmp_path / "sans-espace.txt"
    path.write_text("".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(5_000_000)), "utf-8")
    [outcome] = kb.ingest([path]).outcomes
    assert (outcome.status, outcome.message) == ("error", NO_WORDS_MESSAGE)
    assert kb.store.count("documents") == 0


def test_the_passage_cap_keeps_the_first_passages_and_says_so(settings, tmp_path):
    kb = KnowledgeBase(settings.model_copy(update={"max_passages_per_document": 3}))
    try:
        doc = tmp_path / "long.md"
        doc.write_text("".join(f"# Partie {i}\n\n{_para(i)} {PARAGRAPH}\n\n" for i in range(8)), "utf-8")
        [outcome] = kb.ingest([doc]).outcomes
        rows = kb.store.chunks_of(outcome.doc_id)
        assert outcome.status == "added" and outcome.chunks == len(rows) == 3
        assert [r["section"] for r in rows] == ["Partie 0", "Partie 1", "Partie 2"]
        assert outcome.message == ("Document tronqué : seuls les 3 premiers passages sur 8 sont indexés "
                                   "(limite ACV_MAX_PASSAGES_PER_DOCUMENT).")
        stored = json.loads(kb.store.document_by_source(outcome.source)["metadata"])
        assert stored["ingest_notes"] == [outcome.message]  # kept with the document, not only printed
    finally:
        kb.close()


def test_a_million_list_items_end_with_a_french_reason_within_the_budget(settings, tmp_path):
    kb = KnowledgeBase(settings.model_copy(update={"parse_timeout_s": 2.0}))
    try:
        doc = tmp_path / "liste.md"
        doc.write_text("# Liste\n\n" + "".join(f"- élément {i}\n" for i in range(1_000_000)), "utf-8")
        ok = tmp_path / "ok.md"
        ok.write_text(f"# Cahors\n\n{PARAGRAPH}\n", "utf-8")
        report = kb.ingest([doc, ok])
        assert [(o.status, o.message) for o in report.outcomes] == [
            ("error", "Fichier ignoré : lecture trop longue (plus de 2 s)"), ("added", "")]
    finally:
        kb.close()


@pytest.mark.parametrize(("text", "expected"), [
    (PARAGRAPH, True),
    ("2018 2019 2020 12 500 € 13 000 € 14 250 €", True),  # a table of figures is searchable
    ("Cahors poursuit la reconquête des commerces vacants " + "a" * 5000, True),  # a sentence beside a giant token
    ("a" * 5000, False),
    ("!!! ??? ... ---- " * 100, False),
    ("\n".join(["QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkr"] * 20), False),
    ("trop court", False),
])
def test_carries_words(text, expected):
    assert carries_words(text) is expected


def test_the_model_reads_a_bounded_passage():
    assert model_input(PARAGRAPH) == PARAGRAPH  # ordinary passages unchanged, so are their vectors
    giant = "Cahors " + "x" * 5_000_000
    assert model_input(giant) == "Cahors " + "x" * MAX_TOKEN_CHARS
    assert len(model_input("mot " * 10_000)) == MAX_INPUT_CHARS
    emb = FakeEmbedder(16)
    assert np.array_equal(emb.embed_passages([giant]), emb.embed_passages(["Cahors " + "x" * MAX_TOKEN_CHARS]))


def test_a_store_embedded_from_an_older_text_is_re_embedded_before_the_next_ingest(counted, tmp_path):
    from ingest.embedding_text import EMBEDDING_TEXT_SCHEME

    kb, emb = counted
    first = tmp_path / "cahors.md"
    first.write_text(f"---\ntitle: Façades de Cahors\n---\n# Le projet\n\n{PARAGRAPH * 3}\n", "utf-8")
    kb.ingest([first])
    assert kb.store.get_meta("embedding_text") == EMBEDDING_TEXT_SCHEME
    # as a store built by an older version: the passage's vector made from its bare text
    from ingest.prepare import embed_key

    [row] = kb.store.chunk_texts()
    old_key = embed_key(emb.id, row["text"])
    kb.store.set_chunk_embeddings([(row["id"], old_key)], {old_key: emb.embed_passages([row["text"]])[0].tobytes()})
    kb.store.set_meta("embedding_text", "passage-only/0")
    emb.seen.clear()
    second = tmp_path / "agen.md"
    second.write_text(f"---\ntitle: Halles d'Agen\n---\n# La halle\n\n{_para(1) * 3}\n", "utf-8")
    report = kb.ingest([first, second])
    assert [o.status for o in report.outcomes] == ["unchanged", "added"]
    # the old passage went back to the model under its title (its contextual vector was still cached, so the
    # cache answered), then the new file's passage was embedded; no chunk points at the bare-text key any more
    [again] = [r for r in kb.store.chunk_texts() if r["id"] == row["id"]]
    keys = {c["id"]: c["embed_key"] for d in kb.store.documents() for c in kb.store.chunks_of(d["id"])}
    assert keys[again["id"]] == embed_key(emb.id, "Façades de Cahors\n" + again["text"]) != old_key
    assert [t.split("\n")[0] for t in emb.seen] == ["Halles d'Agen"]
    assert kb.store.get_meta("embedding_text") == EMBEDDING_TEXT_SCHEME
    assert kb.store.chunks_missing_vectors() == []

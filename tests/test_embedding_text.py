"""The text the dense model reads for a passage, and the scheme a store records for it."""

from __future__ import annotations

from index.embedders.fake import FakeEmbedder
from ingest.embedding_text import EMBEDDING_TEXT_SCHEME, embedding_text
from ingest.prepare import embed_key
from service.knowledge_base import KnowledgeBase


def test_title_and_section_go_before_the_passage() -> None:
    text = "Les résultats : 17 boutiques ouvertes."
    assert embedding_text(text, "Les résultats", "Quimper : des boutiques à l'essai") == (
        "Quimper : des boutiques à l'essai\nLes résultats : 17 boutiques ouvertes.")
    other = "Un jury sélectionne les candidats."
    assert embedding_text(other, "La démarche", "Quimper") == "Quimper — La démarche\nUn jury sélectionne les candidats."
    assert embedding_text(other, "La démarche", None) == "La démarche\nUn jury sélectionne les candidats."
    assert embedding_text("Texte.", None, None) == "Texte."
    assert embedding_text("Texte.", "  Axe   5 ", "T" * 300) == "T" * 200 + " — Axe 5\nTexte."


def test_the_store_records_the_scheme_and_the_vector_of_the_titled_text(settings, tmp_path, shared_extractor) -> None:
    # an existing store embedded with this scheme is never re-embedded: the scheme id must not change
    assert EMBEDDING_TEXT_SCHEME == "title-section/1"
    doc = tmp_path / "vienne.md"
    doc.write_text("---\ntitle: Vienne\n---\n# Axe 5\n\n" + ("Une crèche ouvre près de la gare SNCF. " * 20) + "\n",
                   "utf-8")
    emb = FakeEmbedder(64)
    kb = KnowledgeBase(settings, embedder=emb, extractor=shared_extractor)
    kb.ingest([doc])
    [row] = kb.store.chunk_texts()
    keys = {c["id"]: c["embed_key"] for d in kb.store.documents() for c in kb.store.chunks_of(d["id"])}
    assert (row["title"], row["section"], row["text"][:6]) == ("Vienne", "Axe 5", "Axe 5\n")  # heading in the text
    assert keys == {row["id"]: embed_key(emb.id, "Vienne\n" + row["text"])}
    assert kb.store.get_meta("embedding_text") == "title-section/1"
    kb.close()

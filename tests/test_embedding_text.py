"""The embedded text under each `ACV_EMBEDDING_CONTEXT`, and a store switched between contexts re-embedded whole."""

from __future__ import annotations

from typing import get_args

import pytest

from acv.settings import EmbeddingContext
from index.embedders.fake import FakeEmbedder
from ingest.embedding_text import (
    CONTEXTS,
    EMBEDDING_TEXT_SCHEME,
    SCHEMES,
    contextual_embedding_text,
    embedding_scheme,
    embedding_text_for,
    passage_themes,
)
from ingest.extract.themes import Taxonomy
from ingest.prepare import embed_key
from service.knowledge_base import KnowledgeBase

TAXONOMY = Taxonomy([
    {"id": "services-publics", "label": "Services publics", "definition": "Écoles, crèches et guichets.",
     "synonyms": ["services publics", "service public", "MSAP", "France services", "crèche", "école",
                  "équipements de proximité", "accueil du public", "guichet unique", "mairie annexe"]},
    {"id": "gare", "label": "Quartier de gare", "definition": "La gare et ses abords.",
     "synonyms": ["quartier de gare", "gare SNCF", "parvis de la gare"]},
    {"id": "velo", "label": "Mobilités douces", "definition": "Vélo et marche.", "synonyms": ["vélo", "piste cyclable"]},
    {"id": "friche", "label": "Friches", "definition": "Sites désaffectés.", "synonyms": ["friche"]},
])
TEXT = "Une crèche ouvre près de la gare SNCF, avec une piste cyclable, dans une friche. Deux crèches, une école."


def test_the_default_context_is_the_title_section_text_unchanged() -> None:
    assert EMBEDDING_TEXT_SCHEME == embedding_scheme("title-section") == "title-section/1"
    expected = "Vienne — Axe 5\n" + TEXT
    assert contextual_embedding_text(TEXT, "Axe 5", "Vienne") == expected
    assert embedding_text_for("title-section", TEXT, "Axe 5", "Vienne", TAXONOMY) == expected
    assert embedding_text_for("themes", TEXT, "Axe 5", "Vienne", None) == "Vienne — Axe 5\n" + TEXT


def test_every_context_has_its_own_scheme_and_a_setting_value() -> None:
    assert set(get_args(EmbeddingContext)) == set(CONTEXTS)
    assert len(set(SCHEMES.values())) == len(SCHEMES)
    with pytest.raises(ValueError):
        embedding_text_for("themes-all", TEXT, None, None, TAXONOMY)


def test_a_passage_s_themes_most_mentioned_first_at_most_three() -> None:
    # services-publics: crèche ×2, école ×1; the three others once each, in taxonomy order; friche cut
    assert passage_themes(TEXT, TAXONOMY) == ["services-publics", "gare", "velo"]
    assert passage_themes("Rien de tel ici.", TAXONOMY) == []


def test_theme_labels_definitions_and_synonyms_after_the_passage() -> None:
    base = "Vienne — Axe 5\n" + TEXT
    assert embedding_text_for("themes", TEXT, "Axe 5", "Vienne", TAXONOMY) == (
        base + "\nThème : Services publics\nThème : Quartier de gare\nThème : Mobilités douces"
    )
    assert embedding_text_for("themes-definitions", TEXT, "Axe 5", "Vienne", TAXONOMY) == (
        base + "\nThème : Services publics. Écoles, crèches et guichets.\nThème : Quartier de gare. La gare et ses"
        " abords.\nThème : Mobilités douces. Vélo et marche."
    )
    # synonyms: no acronym (MSAP), none whose words are all in the passage or the label or taken already
    # (« service public », « crèche », « école »), at most four
    assert embedding_text_for("themes-synonyms", TEXT, "Axe 5", "Vienne", TAXONOMY) == (
        base + "\nThème : Services publics (France services, équipements de proximité, accueil du public, "
        "guichet unique)\nThème : Quartier de gare (parvis de la gare)\nThème : Mobilités douces (vélo)"
    )
    assert embedding_text_for("themes", "Rien de tel ici.", None, None, TAXONOMY) == "Rien de tel ici."


def _keys(kb: KnowledgeBase) -> dict[int, str]:
    return {c["id"]: c["embed_key"] for d in kb.store.documents() for c in kb.store.chunks_of(d["id"])}


def test_a_store_switched_to_another_context_is_re_embedded_and_back(settings, tmp_path, shared_extractor) -> None:
    doc = tmp_path / "vienne.md"
    doc.write_text("---\ntitle: Vienne\n---\n# Axe 5\n\n" + ("Une crèche ouvre près de la gare SNCF. " * 20) + "\n",
                   "utf-8")
    emb = FakeEmbedder(64)
    kb = KnowledgeBase(settings, embedder=emb, extractor=shared_extractor)
    kb.ingest([doc])
    [row] = kb.store.chunk_texts()
    plain = embedding_text_for("title-section", row["text"], row["section"], row["title"], None)
    assert _keys(kb) == {row["id"]: embed_key(emb.id, plain)}
    assert kb.store.get_meta("embedding_text") == "title-section/1"
    kb.close()

    themed = embedding_text_for("themes", row["text"], row["section"], row["title"], shared_extractor.taxonomy)
    assert themed == plain + "\nThème : Quartier de gare\nThème : Services publics"  # a tie: taxonomy order
    kb = KnowledgeBase(settings.model_copy(update={"embedding_context": "themes"}), embedder=emb,
                       extractor=shared_extractor)
    report = kb.ingest([doc])
    assert [o.status for o in report.outcomes] == ["unchanged"]
    assert kb.store.get_meta("embedding_text") == "title-section-themes/1"
    assert _keys(kb) == {row["id"]: embed_key(emb.id, themed)}  # the unchanged file's vector was remade
    assert kb.store.chunks_missing_vectors() == [] and kb.dense.count() == 1
    kb.close()

    kb = KnowledgeBase(settings, embedder=emb, extractor=shared_extractor)
    kb.ingest([doc])
    assert kb.store.get_meta("embedding_text") == "title-section/1"
    assert _keys(kb) == {row["id"]: embed_key(emb.id, plain)} and kb.dense.count() == 1
    kb.close()

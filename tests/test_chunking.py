"""Structure-aware chunking: boundaries, offsets, sections, pages and size bounds."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from acv.records import Block, ParsedDocument
from ingest.chunking import chunk_document
from ingest.readers import read_file

FILES = Path(__file__).parent / "data" / "files"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "communique-bethune-2018-09-24.txt"


def _words(n: int, word: str = "mot") -> str:
    return " ".join([word] * n)


def _sentences(n: int, words_each: int = 10) -> str:
    return " ".join(f"Phrase numéro {i} " + _words(words_each - 3, "texte") + "." for i in range(n))


def _check_invariants(doc: ParsedDocument, chunks) -> None:
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert c.text == doc.text[c.start:c.end].replace("\n\n", "\n")
        assert c.text == c.text.strip()
    for a, b in itertools.pairwise(chunks):
        assert a.end <= b.start


def test_pdf_chunks_follow_sections_and_pages():
    doc = read_file(FILES / "convention-sens.pdf")
    chunks = chunk_document(doc)
    _check_invariants(doc, chunks)
    assert [(c.page, c.section) for c in chunks] == [
        (1, "1. Préambule"),
        (1, "Axe 2 – Développement économique et commercial"),
        (2, "Axe 4 – Formes urbaines, espace public et patrimoine"),
        (3, "Axe 5 – Accès aux équipements et services publics"),
    ]
    heading_starts = {b.text: b.start for b in doc.blocks if b.kind == "heading"}
    assert [c.start for c in chunks] == [heading_starts[c.section] for c in chunks]
    assert chunks[0].text.startswith("1. Préambule\nLa présente convention-cadre")
    assert chunks[1].text.endswith("Rénovation des vitrines et mise aux normes d’accessibilité.")
    assert "Fiche action 2.1 : Reconquête des cellules commerciales vacantes" in chunks[1].text
    assert chunks[2].text.endswith("Le plan de financement ci-dessus est indicatif et sera précisé par avenant.")
    assert chunks[-1].end == len(doc.text)


def test_small_chunks_never_cross_a_page_once_half_full():
    doc = read_file(FILES / "convention-sens.pdf")
    chunks = chunk_document(doc, min_words=20, max_words=40)
    _check_invariants(doc, chunks)
    for c in chunks:
        pages = {b.page for b in doc.blocks if b.start < c.end and b.end > c.start}
        assert pages == {c.page}
    assert [c.section for c in chunks][:3] == ["1. Préambule"] * 3
    assert chunks[3].section == "Axe 2 – Développement économique et commercial"


@pytest.mark.skipif(not SEED.exists(), reason="seed communiqué absent")
def test_seed_word_bounds():
    doc = read_file(SEED)
    for min_words, max_words in ((100, 250), (20, 40), (50, 80)):
        chunks = chunk_document(doc, min_words, max_words)
        _check_invariants(doc, chunks)
        heading_words = 11  # "Actualité" + the title open the first chunk
        for c in chunks:
            assert len(c.text.split()) <= max_words + heading_words
        # covering everything but the separators between chunks
        covered = " ".join(doc.text[c.start:c.end] for c in chunks)
        assert len(covered.split()) == len(doc.text.split())
    chunks = chunk_document(doc)
    assert [len(c.text.split()) for c in chunks] == [224, 148, 212, 75]
    assert {c.section for c in chunks} == {
        "Innovation et territoires - Séminaire Action cœur de ville en Hauts-de-France"
    }
    assert chunks[0].text.startswith("Actualité\nInnovation et territoires")


def test_long_paragraph_is_split_at_sentences():
    doc = ParsedDocument.build(source="x", format="text", blocks=[Block(_sentences(60), "paragraph")])
    chunks = chunk_document(doc, min_words=50, max_words=100)
    _check_invariants(doc, chunks)
    assert len(chunks) == 6
    for c in chunks:
        assert c.text.endswith(".") and c.text.startswith("Phrase numéro")
        assert len(c.text.split()) == 100


def test_overlong_sentence_is_cut_into_equal_pieces():
    doc = ParsedDocument.build(source="x", format="text", blocks=[Block(_words(300, "habitat") + ".")])
    chunks = chunk_document(doc, min_words=50, max_words=100)
    _check_invariants(doc, chunks)
    assert [len(c.text.split()) for c in chunks] == [100, 100, 100]


def test_heading_starts_a_chunk_only_after_half_min_words():
    blocks = [
        Block("Titre général", "heading", level=1),
        Block(_words(10, "intro") + ".", "paragraph"),
        Block("Première partie", "heading", level=2),
        Block(_words(60, "habitat") + ".", "paragraph"),
        Block("Deuxième partie", "heading", level=2),
        Block(_words(60, "commerce") + ".", "paragraph"),
    ]
    doc = ParsedDocument.build(source="x", format="markdown", blocks=blocks)
    chunks = chunk_document(doc, min_words=100, max_words=250)
    _check_invariants(doc, chunks)
    assert [c.section for c in chunks] == ["Titre général", "Deuxième partie"]
    assert chunks[0].text.startswith("Titre général\nintro")
    assert "Première partie\nhabitat" in chunks[0].text
    assert chunks[1].text.startswith("Deuxième partie\ncommerce")


def test_paragraphs_accumulate_up_to_max_words():
    blocks = [Block(_words(90, "logement") + ".", "paragraph") for _ in range(5)]
    doc = ParsedDocument.build(source="x", format="text", blocks=blocks)
    chunks = chunk_document(doc, min_words=100, max_words=250)
    assert [len(c.text.split()) for c in chunks] == [180, 180, 90]
    assert all(c.section is None for c in chunks)


def test_numbers_only_chunk_is_dropped():
    blocks = [
        Block(_words(120, "mobilité") + ".", "paragraph", page=1),
        Block("2019 | 2020 | 2021\n12 | 15 | 18", "table", page=2),
    ]
    doc = ParsedDocument.build(source="x", format="pdf", blocks=blocks)
    chunks = chunk_document(doc)
    assert len(chunks) == 1 and chunks[0].page == 1


def test_tiny_trailing_chunk_is_merged_on_the_same_page():
    blocks = [
        Block(_words(240, "patrimoine") + ".", "paragraph", page=1),
        Block("Contact : service urbanisme de la mairie.", "paragraph", page=1),
    ]
    doc = ParsedDocument.build(source="x", format="pdf", blocks=blocks)
    chunks = chunk_document(doc)
    _check_invariants(doc, chunks)
    assert len(chunks) == 1
    assert chunks[0].end == len(doc.text)
    assert chunks[0].text.endswith("Contact : service urbanisme de la mairie.")

    blocks[1].page = 2
    doc = ParsedDocument.build(source="x", format="pdf", blocks=blocks)
    assert [c.page for c in chunk_document(doc)] == [1, 2]


def test_bad_parameters():
    doc = ParsedDocument.build(source="x", format="text", blocks=[Block("Un texte.")])
    with pytest.raises(ValueError):
        chunk_document(doc, min_words=100, max_words=50)

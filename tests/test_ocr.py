"""OCR of scanned PDFs: pages made by the tests (text drawn into a picture, no text layer), read back."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from acv.errors import UnreadableFileError
from acv.settings import Settings
from ingest.readers import ocr, read_file
from ingest.readers import pdf as pdf_reader
from tests import _scans

needs_tesseract = pytest.mark.skipif(ocr.unavailable_reason("fra") is not None,
                                     reason="Tesseract (tesseract-ocr-fra) absent: bash scripts/test.sh installs it")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> tuple[Path, object]:
    path = tmp_path_factory.mktemp("scans") / "convention-scannee.pdf"
    path.write_bytes(_scans.scanned_pdf(_scans.PAGES))
    return path, read_file(path)


def test_word_accuracy_is_one_minus_word_error_rate():
    assert _scans.word_accuracy("la rue du centre", "la rue du centre") == 1.0
    assert _scans.word_accuracy("la rue du centre", "la roe du centre") == 0.75  # one substitution
    assert _scans.word_accuracy("la rue du centre", "la rue centre") == 0.75  # one deletion
    assert _scans.word_accuracy("la rue du centre", "la rue du du centre") == 0.75  # one insertion
    assert _scans.word_accuracy("l’État", "l'État") == 1.0


@needs_tesseract
def test_scanned_pages_are_read_in_french_with_their_page_numbers(scanned):
    _, doc = scanned
    assert doc.page_count == 2
    assert doc.meta["ocr"]["pages"] == [1, 2]
    assert doc.meta["ocr"]["lang"] == "fra" and doc.meta["ocr"]["dpi"] == 300
    assert all(block.ocr for block in doc.blocks)
    assert sorted({block.page for block in doc.blocks}) == [1, 2]
    for number, page in enumerate(_scans.PAGES, start=1):
        read = "\n".join(block.text for block in doc.blocks if block.page == number)
        accuracy = _scans.word_accuracy(_scans.page_text(page), read)
        assert accuracy >= 0.95, (number, accuracy, read)


@needs_tesseract
def test_scanned_structure_headings_and_paragraphs(scanned):
    _, doc = scanned
    structure = [(b.page, b.kind) for b in doc.blocks]
    expected = [(n, "heading" if kind == "h" else "paragraph")
                for n, page in enumerate(_scans.PAGES, start=1) for kind, _ in page]
    assert structure == expected
    assert doc.title is not None and _scans.word_accuracy("CONVENTION-CADRE ACTION CŒUR DE VILLE", doc.title) >= 0.8


@needs_tesseract
def test_mixed_pdf_ocrs_only_the_page_without_text(tmp_path):
    path = tmp_path / "mixte.pdf"
    path.write_bytes(_scans.mixed_pdf(_scans.PAGES[0], _scans.PAGES[1]))
    progress: list[tuple[int, int, int]] = []
    doc = pdf_reader.read(path, path.read_bytes(), progress=lambda *args: progress.append(args))
    assert doc.meta["ocr"]["pages"] == [2]
    assert progress == [(1, 1, 2)]
    assert {(b.page, b.ocr) for b in doc.blocks} == {(1, False), (2, True)}
    page1 = " ".join(b.text for b in doc.blocks if b.page == 1)
    assert _scans.word_accuracy(_scans.page_text(_scans.PAGES[0]), page1) == 1.0  # the text layer, as written
    page2 = "\n".join(b.text for b in doc.blocks if b.page == 2)
    assert _scans.word_accuracy(_scans.page_text(_scans.PAGES[1]), page2) >= 0.95


def test_ocr_off_gives_a_french_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "config", lambda: ocr.OcrConfig(enabled=False))
    path = tmp_path / "scan.pdf"
    path.write_bytes(_scans.scanned_pdf(_scans.PAGES[:1], dpi=100))
    with pytest.raises(UnreadableFileError) as err:
        read_file(path)
    assert err.value.message == "aucun texte extractible (OCR désactivé par ACV_OCR=0)"


def test_ocr_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("ACV_OCR", "0")
    monkeypatch.setenv("ACV_OCR_DPI", "200")
    settings = Settings(_env_file=None)
    assert (settings.ocr, settings.ocr_lang, settings.ocr_dpi) == (False, "fra", 200)


def test_tesseract_missing_gives_the_install_hint(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "unavailable_reason", lambda lang="fra": ocr.UNAVAILABLE)
    path = tmp_path / "scan.pdf"
    path.write_bytes(_scans.scanned_pdf(_scans.PAGES[:1], dpi=100))
    with pytest.raises(UnreadableFileError) as err:
        read_file(path)
    assert err.value.message == "aucun texte extractible et OCR indisponible : installez tesseract-ocr-fra"


def test_tesseract_missing_keeps_the_text_pages_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "unavailable_reason", lambda lang="fra": ocr.UNAVAILABLE)
    path = tmp_path / "mixte.pdf"
    path.write_bytes(_scans.mixed_pdf(_scans.PAGES[0], _scans.PAGES[1], dpi=100))
    doc = read_file(path)
    assert {b.page for b in doc.blocks} == {1}
    assert doc.meta["warnings"] == ["page(s) scannée(s) 2 non lue(s) : OCR indisponible : installez tesseract-ocr-fra"]
    assert "ocr" not in doc.meta


def test_unavailable_reason_names_the_missing_language_package():
    if ocr.unavailable_reason("fra") is not None:
        pytest.skip("Tesseract absent")
    assert ocr.unavailable_reason("fra+xxx") == "OCR indisponible : installez tesseract-ocr-xxx"


@needs_tesseract
def test_ocr_stops_at_the_deadline(tmp_path):
    data = _scans.scanned_pdf(_scans.PAGES, dpi=100)
    result = ocr.ocr_pages(data, [1, 2], deadline=time.monotonic())
    assert result.pages == {}
    assert result.warnings == ["OCR arrêté avant la page 1 (délai dépassé)"]


def test_deadline_before_ocr_refuses_like_a_slow_pdf(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "unavailable_reason", lambda lang="fra": None)
    monkeypatch.setattr(pdf_reader, "_time_budget", lambda: 0.5)
    path = tmp_path / "scan.pdf"
    path.write_bytes(_scans.scanned_pdf(_scans.PAGES[:1], dpi=100))
    with pytest.raises(UnreadableFileError) as err:
        read_file(path)
    assert err.value.message == "PDF trop long à lire : délai dépassé"


def test_vector_drawing_without_image_is_not_sent_to_ocr():
    files = Path(__file__).parent / "data" / "files"
    with pytest.raises(UnreadableFileError) as err:
        read_file(files / "image-seule.pdf")  # a filled rectangle: nothing to recognise
    assert err.value.message == "aucun texte extractible (PDF image sans OCR)"


@needs_tesseract
def test_ocr_runs_inside_the_isolated_reading_child(tmp_path):
    """The pipeline reads each file in a forked child with a memory ceiling: Tesseract must work there."""
    from ingest.isolation import read_isolated

    path = tmp_path / "scan.pdf"
    path.write_bytes(_scans.scanned_pdf(_scans.PAGES[1:], dpi=300))
    doc = read_isolated(read_file, path, max_bytes=None, timeout_s=120, memory_mb=2048)
    assert doc.meta["ocr"]["pages"] == [1]
    assert [b.ocr for b in doc.blocks] == [True] * len(doc.blocks)
    read = "\n".join(b.text for b in doc.blocks)
    assert _scans.word_accuracy(_scans.page_text(_scans.PAGES[1]), read) >= 0.95


@pytest.mark.parametrize("script", ["scripts/test.sh", "scripts/up.sh"])
def test_scripts_install_tesseract_like_chromium(script):
    """A fresh Debian machine gets Tesseract and its French data from the scripts, as it gets Chromium."""
    text = (Path(__file__).resolve().parents[1] / script).read_text(encoding="utf-8")
    assert "apt-get install -y -qq tesseract-ocr tesseract-ocr-fra" in text
    assert "tesseract --list-langs 2>/dev/null | grep -qx fra" in text  # only when missing


@needs_tesseract
def test_giant_page_is_rendered_coarser_not_refused(monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PIXELS", 2_000_000)  # A4 at 300 dpi is 8.7 Mpx: rendered at ~143 dpi
    data = _scans.scanned_pdf(_scans.PAGES[:1], dpi=300)
    result = ocr.ocr_pages(data, [1], deadline=time.monotonic() + 120)
    assert list(result.pages) == [1] and result.warnings == []
    assert round(result.heights[1]) == 842  # positions stay in PDF points
    read = "\n".join(p.text for p in result.pages[1])
    assert _scans.word_accuracy(_scans.page_text(_scans.PAGES[0]), read) >= 0.9

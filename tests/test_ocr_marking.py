"""OCR marking end to end: passages read by OCR on a scanned page carry `ocr: true` in their chunk metadata,
in `acv search --json`, in the API's results, and survive a metadata reindex; text-layer passages say false."""

from __future__ import annotations

import json

import pytest

from ingest.readers import ocr
from tests import _scans
from tests._api_fixtures import make_app, make_kb, make_settings

pytestmark = pytest.mark.skipif(ocr.unavailable_reason("fra") is not None,
                                reason="Tesseract (tesseract-ocr-fra) absent: bash scripts/test.sh installs it")


@pytest.fixture(scope="module")
def mixed_kb(tmp_path_factory):
    """A PDF whose page 1 has a text layer and page 2 is a scan (text drawn into a picture)."""
    folder = tmp_path_factory.mktemp("ocr")
    path = folder / "convention-cahors-mixte.pdf"
    path.write_bytes(_scans.mixed_pdf(_scans.PAGES[0], _scans.PAGES[1], dpi=200))
    kb = make_kb(make_settings(tmp_path_factory.mktemp("kb") / "var"))
    report = kb.ingest([path])
    assert [o.status for o in report.outcomes] == ["added"], report.outcomes[0].message
    yield kb
    kb.close()


def _chunks(kb):
    doc = kb.documents().documents[0]
    return doc.doc_id, kb.store.chunks_of(doc.doc_id)


def test_chunk_metadata_marks_the_scanned_page_only(mixed_kb):
    _, chunks = _chunks(mixed_kb)
    marks = {(c["page"], json.loads(c["metadata"])["ocr"]) for c in chunks}
    assert marks == {(1, False), (2, True)}


def test_search_results_carry_the_mark(mixed_kb):
    scanned = mixed_kb.search("Action Logement prêts réhabilitation immeubles anciens", k=5).results[0]
    assert (scanned.page, scanned.ocr, scanned.to_dict()["ocr"]) == (2, True, True)
    typed = mixed_kb.search("vacance commerciale centre ancien diagnostic", k=5).results[0]
    assert (typed.page, typed.ocr) == (1, False)


def test_api_results_carry_the_mark(mixed_kb):
    from fastapi.testclient import TestClient

    with TestClient(make_app(mixed_kb.settings)) as client:
        body = client.get("/search", params={"q": "Action Logement prêts réhabilitation immeubles anciens"}).json()
    top = body["results"][0]
    assert (top["page"], top["ocr"], top["file_url"].endswith("#page=2")) == (2, True, True)


def test_metadata_reindex_keeps_the_mark(mixed_kb):
    mixed_kb.reindex_metadata()
    _, chunks = _chunks(mixed_kb)
    assert {(c["page"], json.loads(c["metadata"])["ocr"]) for c in chunks} == {(1, False), (2, True)}


def test_document_page_data_marks_the_scanned_passages(mixed_kb):
    from fastapi.testclient import TestClient

    doc_id, _ = _chunks(mixed_kb)
    detail = mixed_kb.document(doc_id)
    assert {(c.page, c.ocr) for c in detail.chunks} == {(1, False), (2, True)}
    with TestClient(make_app(mixed_kb.settings)) as client:
        chunks = client.get(f"/documents/{doc_id}").json()["chunks"]
    assert {(c["page"], c["ocr"]) for c in chunks} == {(1, False), (2, True)}

"""The Recherche page and issue 17: « Aussi publié par » on a republished announcement, the OCR badge on a
scanned passage, and « Suivre cette recherche » (save it, see its feed's address)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from acv.settings import Settings, get_settings
from ingest.readers import ocr
from tests import _announcements, _scans
from tests.test_ui import APP, assert_clean, plain, search, use_data_dir

HAS_OCR = ocr.unavailable_reason("fra") is None
KEY = "cle-ui-suivi"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three publications of the Vienne announcement, and (with Tesseract) a half-scanned convention."""
    from service import KnowledgeBase
    from tests._api_fixtures import cached_extractor

    folder = tmp_path_factory.mktemp("files")
    for doc_id, event, _day, page in _announcements.pages():
        if event == "vienne-halle":
            (folder / f"{doc_id}.html").write_text(page, encoding="utf-8")
    if HAS_OCR:
        (folder / "convention-cahors-mixte.pdf").write_bytes(
            _scans.mixed_pdf(_scans.PAGES[0], _scans.PAGES[1], dpi=200))
    var = tmp_path_factory.mktemp("ui-follow") / "var"
    kb = KnowledgeBase(Settings(data_dir=var, embedder="fake", embedder_model="64", _env_file=None),
                       extractor=cached_extractor())
    report = kb.ingest([folder])
    assert {o.status for o in report.outcomes} == {"added"}
    kb.close()
    return var


@pytest.fixture
def page(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    use_data_dir(monkeypatch, data_dir, KEY)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert_clean(at)
    yield at
    get_settings.cache_clear()


def _page_links(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("page_link")]


def test_republished_announcement_is_one_card_with_its_other_sources(page) -> None:
    at = search(page, "halle des producteurs Vienne inauguration")
    cards = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert sum("halle" in plain(c).lower() for c in cards) == 1
    assert "Aussi publié par :" in [m.value for m in at.markdown]
    others = [label for label in _page_links(at) if label.endswith(".html)")]
    assert len(others) == 2
    assert all("vienne-halle-" in label for label in others)


@pytest.mark.skipif(not HAS_OCR, reason="Tesseract (tesseract-ocr-fra) absent")
def test_scanned_passage_shows_the_ocr_badge(page) -> None:
    at = search(page, "Action Logement prêts réhabilitation immeubles anciens")
    assert any("texte reconnu par OCR" in m.value for m in at.markdown)
    at = search(at, "halle des producteurs Vienne inauguration")
    first_card = next(i for i, m in enumerate(at.markdown) if m.value.startswith("#### "))
    assert not any("texte reconnu par OCR" in m.value for m in at.markdown[first_card:first_card + 3])


def test_follow_this_search_saves_it_and_shows_the_feed_address(page) -> None:
    at = search(page, "halle des producteurs")
    at.text_input(key="follow_key").input("mauvaise")
    submit = next(b for b in at.get("button") if getattr(b, "label", "") == "Enregistrer et obtenir le flux")
    submit.click().run()
    assert [e.value for e in at.error] == ["Clé d'API incorrecte : le suivi de recherches est refusé."]
    at.text_input(key="follow_name").input("Halle de Vienne")
    at.text_input(key="follow_key").input(KEY)
    submit = next(b for b in at.get("button") if getattr(b, "label", "") == "Enregistrer et obtenir le flux")
    submit.click().run()
    assert_clean(at)
    assert at.success[0].value == "Recherche « Halle de Vienne » enregistrée. Adresse de son flux Atom :"
    feed = at.code[0].value
    settings = get_settings()
    assert feed.startswith(f"http://{settings.host}:{settings.port}/feeds/") and feed.endswith(".atom")
    assert "Halle de Vienne — « halle des producteurs »" in [plain(m.value) for m in at.markdown]


@pytest.mark.skipif(not HAS_OCR, reason="Tesseract (tesseract-ocr-fra) absent")
def test_document_page_names_the_scanned_page(page) -> None:
    from service import KnowledgeBase
    from tests._api_fixtures import cached_extractor

    kb = KnowledgeBase(get_settings(), extractor=cached_extractor())
    doc_id = next(d.doc_id for d in kb.documents().documents if d.format == "pdf")
    kb.close()
    page.query_params.update({"doc": doc_id})
    at = page.switch_page("views/document.py").run()
    assert_clean(at)
    assert [e.label for e in at.expander] == ["Page 1", "Page 2 (texte reconnu par OCR)"]

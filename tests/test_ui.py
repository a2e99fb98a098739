"""The Streamlit UI, page by page, with `AppTest` over a small ingested knowledge base (fake embedder)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui.components import escape_md
from streamlit.testing.v1 import AppTest

from acv.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "ui" / "app.py"
UI_DATA = Path(__file__).resolve().parent / "data" / "ui"
FIXTURES = [UI_DATA, ROOT / "tests" / "data" / "files" / "convention-sens.pdf"]

AGEN = "Agen relance le commerce de son centre-ville"
QUIMPER = "Quimper : une campagne de ravalement des façades du centre historique"
EPINAL = "Épinal ouvre une maison de santé en cœur de ville"
SENS = "Convention-cadre Action cœur de ville de Sens"
ALL_TITLES = {AGEN, QUIMPER, EPINAL, SENS}


def ingest_fixtures(data_dir: Path) -> dict[str, str]:
    """Ingest the UI fixtures; title → doc_id."""
    from service import KnowledgeBase

    kb = KnowledgeBase(Settings(data_dir=data_dir, embedder="fake", embedder_model="64", _env_file=None))
    report = kb.ingest(FIXTURES)
    assert [o.status for o in report.outcomes] == ["added"] * 4
    ids = {d["title"]: d["doc_id"] for d in kb.documents()["documents"]}
    kb.close()
    return ids


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    data_dir = tmp_path_factory.mktemp("ui") / "var"
    return data_dir, ingest_fixtures(data_dir)


def use_data_dir(monkeypatch: pytest.MonkeyPatch, data_dir: Path, api_key: str | None = None) -> None:
    monkeypatch.setenv("ACV_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ACV_EMBEDDER", "fake")
    monkeypatch.setenv("ACV_EMBEDDER_MODEL", "64")
    monkeypatch.delenv("ACV_API_URL", raising=False)
    if api_key is None:
        monkeypatch.delenv("ACV_API_KEY", raising=False)
    else:
        monkeypatch.setenv("ACV_API_KEY", api_key)
    monkeypatch.chdir(data_dir.parent)  # no stray .env file
    get_settings.cache_clear()


@pytest.fixture
def app(ingested, monkeypatch: pytest.MonkeyPatch):
    """A fresh app session on the ingested knowledge base; `app(page, **query_params)` runs a page."""
    use_data_dir(monkeypatch, ingested[0])

    def start(page: str = "views/search.py", **params: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        at.query_params.update(params)
        if page != "views/search.py" or params:
            at.switch_page(page).run()
        assert_clean(at)
        return at

    yield start
    get_settings.cache_clear()


def plain(markdown: str) -> str:
    """Markdown as a reader sees it: escapes and highlight directives removed."""
    text = re.sub(r":orange-background\[\*\*(.*?)\*\*\]", r"\1", markdown)
    return re.sub(r"\\(.)", r"\1", text)


def result_titles(at: AppTest) -> list[str]:
    return [re.sub(r"^#### \d+\. ", "", plain(m.value)) for m in at.markdown if m.value.startswith("#### ")]


def assert_clean(at: AppTest) -> None:
    """No exception and no 'unexpected error' message (the UI turns bugs into one)."""
    assert not at.exception, at.exception
    assert not [e.value for e in at.error if "inattendue" in e.value]


def url(at: AppTest) -> dict[str, list[str]]:
    """The page's query parameters, each as a list of values."""
    return {k: list(v) if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def search(at: AppTest, query: str) -> AppTest:
    at.text_input(key="search_q").input(query).run()
    assert_clean(at)
    return at


# -- Recherche --------------------------------------------------------------------------


def test_search_page_lists_documents_before_any_query(app) -> None:
    at = app()
    assert at.title[0].value == "Recherche"
    assert any(m.value == "**4 documents** dans la base." for m in at.markdown)
    shown = {plain(m.value).strip("*") for m in at.markdown
             if m.value.startswith("**") and "dans la base" not in m.value}
    assert ALL_TITLES <= shown
    assert not at.error


def test_search_shows_results_grouped_by_document_with_highlights(app) -> None:
    at = search(app(), "vacance commerciale")
    titles = result_titles(at)
    assert set(titles) == ALL_TITLES
    assert len(titles) == 4  # one card per document
    assert titles[0] == AGEN
    assert any(":orange-background[**commerciale**]" in m.value for m in at.markdown)
    assert "Agen · 12/03/2019 · Communiqué" in [m.value for m in at.markdown]
    assert any(b.label == "Projets comparables" for b in at.button)
    assert url(at) == {"q": ["vacance commerciale"]}
    assert any(re.fullmatch(r"\*\*4 documents\*\* rapprochés de la recherche, du plus au moins pertinent "
                            r"\(\d+ ms\)\.", m.value) for m in at.markdown)
    assert not at.warning  # no ingest running: no partial-results notice


def test_results_say_they_are_partial_while_an_ingest_runs(ingested, monkeypatch) -> None:
    """The notice sits above the results (the page-wide banner comes from ui/ingest_progress.py)."""
    from index.store import Store
    from ingest.progress import ProgressPublisher

    data_dir = ingested[0]
    store = Store(data_dir / "acv.sqlite3")
    publisher = ProgressPublisher(store, [data_dir / f"f{i}.md" for i in range(48)])  # this process: running
    publisher.snapshot.files_done = 12
    publisher._publish(force=True)
    try:
        use_data_dir(monkeypatch, data_dir)
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        search(at, "vacance commerciale")
        notice = "Indexation en cours (12/48 fichiers) : ces résultats ne portent que sur les documents déjà " \
                 "indexés et peuvent changer."
        assert [w.value for w in at.warning] == [notice]
        values = [getattr(el, "value", None) for el in at.main]
        assert values.index(notice) < next(i for i, v in enumerate(values) if isinstance(v, str)
                                           and v.startswith("#### 1. "))
    finally:
        publisher.finish(type("R", (), {"elapsed_s": 1.0})())
        store.close()
        get_settings.cache_clear()


def test_filter_narrows_results_and_goes_to_the_url(app) -> None:
    at = search(app(), "vacance commerciale")
    city = at.multiselect(key="f_city")
    assert city.options == ["Agen (1)", "Quimper (1)", "Sens (1)", "Épinal (1)"]
    city.select("47001").run()
    assert result_titles(at) == [AGEN]
    assert any(re.fullmatch(r"\*\*1 document\*\* rapproché de la recherche, du plus au moins pertinent "
                            r"\(\d+ ms\)\.", m.value) for m in at.markdown)
    assert url(at) == {"q": ["vacance commerciale"], "city": ["47001"]}


def test_filters_by_axis_and_type(app) -> None:
    at = search(app(), "centre-ville")
    at.multiselect(key="f_doc_type").select("bonne_pratique").run()
    assert result_titles(at) == [QUIMPER]
    at = search(app(), "maison de santé")
    at.multiselect(key="f_axis").select("5").run()
    assert EPINAL in result_titles(at) and AGEN not in result_titles(at)
    at.multiselect(key="f_city").select("88160").run()
    assert result_titles(at) == [EPINAL]


def test_period_filter(app) -> None:
    at = search(app(), "centre-ville")
    from datetime import date

    at.date_input(key="f_date_from").set_value(date(2020, 1, 1)).run()
    assert set(result_titles(at)) == {QUIMPER, EPINAL}
    assert url(at) == {"q": ["centre-ville"], "date_from": ["2020-01-01"]}


def test_nonsense_query_shows_the_closest_passages_under_a_notice(app) -> None:
    at = search(app(), "zorglub quantique xylophone")
    assert result_titles(at)  # advice, not a wall
    assert [w.value for w in at.warning] == [
        "Aucun passage ne répond précisément ; voici les plus proches. (Aucun des mots de la requête ne figure "
        "dans les passages les plus proches.)"]


def test_search_syntax_is_explained(app) -> None:
    at = search(app(), "maison de santé")
    assert [e.label for e in at.expander][:1] == ["Syntaxe de recherche"]
    assert any('"phrase exacte"' in c.value for c in at.caption)


def test_export_buttons_exist(app) -> None:
    at = search(app(), "maison de santé")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Exporter en CSV", "Exporter en JSON"]


def test_search_is_restored_from_the_url(app) -> None:
    at = app("views/search.py", q="maison de santé", city="88160")
    assert at.text_input(key="search_q").value == "maison de santé"
    assert at.multiselect(key="f_city").value == ["88160"]
    assert result_titles(at) == [EPINAL]


def test_comparable_projects_list_other_towns(app) -> None:
    at = search(app(), "vacance commerciale")
    next(b for b in at.button if b.label == "Projets comparables").click().run()  # the first card: Agen
    assert_clean(at)
    others = [plain(m.value) for m in at.markdown if " — " in m.value and m.value.startswith("**")]
    assert others, "no comparable project shown"
    assert all(not o.startswith(f"**{AGEN}**") for o in others)


def test_unknown_filter_value_is_a_french_error_not_a_traceback(app) -> None:
    at = app("views/search.py", q="commerce", city="Atlantide")
    assert [e.value for e in at.error] == [
        "Ville inconnue : « Atlantide ». Indiquez une commune du programme Action cœur de ville ou son code INSEE."
    ]


# -- Carte ---------------------------------------------------------------------------------


def test_map_page_renders_the_communes_and_filters_the_search(app) -> None:
    at = app()
    search(at, "vacance commerciale")
    at.switch_page("views/map.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Carte des villes Action cœur de ville"
    assert at.caption[0].value.startswith("244 communes. Couleur : Documents correspondant à la recherche")
    assert at.get("vega_lite_chart"), "no map chart"
    town = at.selectbox(key="map_town")
    assert len(town.options) == 244
    town.select("47001").run()
    next(b for b in at.button if b.label == "Filtrer la recherche sur cette ville").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Recherche"
    assert at.multiselect(key="f_city").value == ["47001"]
    assert result_titles(at) == [AGEN]


def test_map_chart_is_offline(app) -> None:
    import pandas as pd

    from ui.views.map import departements, map_chart

    spec = map_chart(pd.DataFrame([{"insee": "47001", "name": "Agen", "departement": "Lot-et-Garonne",
                                    "region": "Nouvelle-Aquitaine", "population": 33000, "longitude": 0.62,
                                    "latitude": 44.2, "documents": 1}])).to_dict()

    def keys(node):
        if isinstance(node, dict):
            for k, v in node.items():
                yield k
                yield from keys(v)
        elif isinstance(node, list):
            for v in node:
                yield from keys(v)

    assert "url" not in set(keys(spec))  # every layer is inline data: nothing is fetched
    assert spec["layer"][0]["mark"]["type"] == "geoshape"
    assert len(departements()["features"]) == 101  # overseas ones as insets


# -- Document ------------------------------------------------------------------------------


def test_document_page_shows_metadata_text_and_download(app, ingested) -> None:
    doc_id = ingested[1][AGEN]
    at = app("views/document.py", doc=doc_id)
    assert at.title[0].value == escape_md(AGEN)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Type": "Communiqué", "Date": "12/03/2019", "Pages": "—", "Passages": "3"}
    meta = plain(next(m.value for m in at.markdown if m.value.startswith("**Ville(s) :**")))
    assert meta.startswith("**Ville(s) :** Agen  \n**Territoire :** Lot-et-Garonne, Nouvelle-Aquitaine")
    assert "**Fichier :** communique-agen-2019.md (markdown)" in meta
    assert [b.label for b in at.get("download_button")] == ["Télécharger le fichier original"]
    assert [e.label for e in at.expander] == ["Texte intégral"]


def test_document_page_highlights_the_matched_passage_on_its_page(app, ingested) -> None:
    from service import KnowledgeBase

    doc_id = ingested[1][SENS]
    kb = KnowledgeBase(get_settings())
    chunks = kb.document(doc_id)["chunks"]
    kb.close()
    target = next(c for c in chunks if c["page"] == 2)
    at = app("views/document.py", doc=doc_id, chunk=str(target["chunk_id"]))
    labels = [e.label for e in at.expander]
    assert labels == ["Page 1", "Page 2 — passage trouvé", "Page 3"]
    assert any(c.value == "▼ Passage correspondant à la recherche" for c in at.caption)
    assert any(m.value.startswith(":orange-background[") for m in at.markdown)
    assert {m.label: m.value for m in at.metric}["Pages"] == "3"


def test_unknown_document_is_a_french_error(app) -> None:
    at = app("views/document.py", doc="nexistepas")
    assert [e.value for e in at.error] == ["Document introuvable : « nexistepas »."]


# -- Ville -----------------------------------------------------------------------------------


def test_city_page_shows_documents_by_axis_timeline_and_comparables(app) -> None:
    at = app("views/city.py", insee="47001")
    assert at.title[0].value == "Agen"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Département"] == "Lot-et-Garonne (47)"
    assert metrics["Région"] == "Nouvelle-Aquitaine"
    assert metrics["Documents"] == "1"
    assert [t.label for t in at.tabs] == ["Axe 2"]
    assert any(plain(m.value) == f"- **12/03/2019** — {AGEN}" for m in at.markdown)
    assert [s.value for s in at.subheader] == ["Documents par axe", "Chronologie des annonces", "Villes comparables"]
    assert at.get("vega_lite_chart")


def test_city_page_follows_the_town_chosen_in_the_list(app) -> None:
    at = app("views/city.py", insee="47001")
    at.selectbox(key="city_town").select("88160").run()
    assert at.title[0].value == "Épinal"
    assert url(at) == {"insee": ["88160"]}
    at.run()  # a rerun keeps the chosen town (the URL follows the list, not the reverse)
    assert at.title[0].value == "Épinal"


def test_city_page_without_documents(app) -> None:
    at = app("views/city.py", insee="80001")
    assert at.title[0].value == "Abbeville"
    assert any(i.value.startswith("Aucun document de la base ne concerne cette ville") for i in at.info)


# -- Ajouter un document --------------------------------------------------------------------


def _upload(at: AppTest, key: str) -> AppTest:
    data = (UI_DATA / "communique-agen-2019.md").read_bytes()
    at.file_uploader[0].upload("communique-agen-2019.md", data, "text/markdown")
    at.text_input[0].input(key)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    return at


@pytest.fixture
def empty_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def start(api_key: str | None) -> AppTest:
        use_data_dir(monkeypatch, tmp_path / "var", api_key)
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        at.switch_page("views/upload.py").run()
        return at

    yield start
    get_settings.cache_clear()


def test_upload_refused_when_no_key_is_configured(empty_kb) -> None:
    at = empty_kb(None)
    assert at.warning[0].value.startswith("Aucune clé d'API n'est configurée")
    _upload(at, "nimporte")
    assert [e.value for e in at.error] == [
        "L'ajout de documents est désactivé : aucune clé d'API n'est configurée (variable ACV_API_KEY)."
    ]
    assert not at.success


def test_upload_refused_with_a_wrong_key_then_accepted_with_the_right_one(empty_kb) -> None:
    at = empty_kb("s3cret-key")
    assert not at.warning
    _upload(at, "mauvaise")
    assert [e.value for e in at.error] == ["Clé d'API incorrecte : l'ajout de documents est refusé."]
    _upload(at, "s3cret-key")
    assert not at.error
    assert at.success[0].value == "Document ajouté : 3 passages indexés."
    meta = plain(next(m.value for m in at.markdown if m.value.startswith("**Titre :**")))
    assert meta.splitlines()[:3] == [f"**Titre :** {AGEN}  ", "**Type :** Communiqué  ", "**Date :** 12/03/2019  "]


def test_upload_of_the_same_bytes_twice_is_refused_like_over_the_api(empty_kb) -> None:
    """The page uses the service's one upload flow: the duplicate check by content applies here too."""
    at = empty_kb("s3cret-key")
    _upload(at, "s3cret-key")
    assert at.success[0].value == "Document ajouté : 3 passages indexés."
    _upload(at, "s3cret-key")
    assert [e.value for e in at.error] == ["Ce fichier est déjà dans la base."]
    uploads = sorted(p.name for p in (Path(get_settings().uploads_dir)).iterdir() if p.is_file())
    assert uploads == ["communique-agen-2019.md"]


# -- helpers ---------------------------------------------------------------------------------


def test_document_text_is_escaped_never_html() -> None:
    from ui.components import escape_md, highlighted

    assert escape_md("<script>*x*</script> $1 :smile: [a](b)") == (
        r"\<script\>\*x\*\</script\> \$1 \:smile\: \[a\]\(b\)"
    )
    assert highlighted("Les **friches** <b>", [[6, 13]]) == r"Les \*\*:orange-background[**friches**]\*\* \<b\>"


def test_export_formats() -> None:
    """The UI exports with the service's one writer: the API's CSV columns, with a BOM, and the search JSON."""
    import csv
    import json

    from service.exports import CSV_COLUMNS, csv_bytes, json_bytes
    from service.types import CityRef, SearchHit, SearchResponse

    hit = SearchHit(rank=1, score=0.5, chunk_id=7, doc_id="d1", source="a.md", title=AGEN, doc_type="communique",
                    date="2019-03-12", format="markdown",
                    cities=[CityRef("47001", "Agen", "Lot-et-Garonne", "47", "Nouvelle-Aquitaine")],
                    departements=["Lot-et-Garonne"], regions=["Nouvelle-Aquitaine"], axes=[2],
                    themes=["vacance-commerciale", "marche-couvert"], page=None, section=None, text="La vacance",
                    snippet="La vacance", highlights=[], amounts=[], funders=[])
    data = csv_bytes([hit])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        ";".join(CSV_COLUMNS),
        f"1;0.5;{AGEN};communique;2019-03-12;Agen;2;vacance-commerciale, marche-couvert;;;La vacance;d1;7;a.md",
    ]
    res = SearchResponse(query="vacance", filters={}, total=1, no_relevant_result=False, results=[hit], took_ms=1.0)
    body = json.loads(json_bytes(res))
    assert body["results"][0]["cities"][0]["name"] == "Agen"
    assert body == res.to_dict()
    hit.snippet = "=HYPERLINK(\"http://x\")"
    hostile = csv_bytes([hit]).decode("utf-8-sig")
    assert list(csv.DictReader(hostile.splitlines(), delimiter=";"))[0]["snippet"] == "'=HYPERLINK(\"http://x\")"


def test_comparable_projects_list_each_document_once() -> None:
    from ui.components import one_per_document

    class Hit:
        def __init__(self, doc_id: str, chunk_id: int) -> None:
            self.doc_id, self.chunk_id = doc_id, chunk_id

    hits = [Hit("a", 1), Hit("b", 2), Hit("a", 3), Hit("c", 4), Hit("b", 5)]
    assert [(h.doc_id, h.chunk_id) for h in one_per_document(hits)] == [("a", 1), ("b", 2), ("c", 4)]


def test_french_page_script_holds_every_rule() -> None:
    """The rules travel as JSON into the page script; each English sentence of ENGLISH has a rule or an option."""
    import json

    from ui.french import ENGLISH, TRANSLATIONS, script

    text = script()
    assert "RULES" not in text and json.dumps([list(r) for r in TRANSLATIONS], ensure_ascii=False) in text

    def french(sentence: str) -> str:  # the page script's rule, in Python (same regular expressions)
        for pattern, fr in TRANSLATIONS:
            if re.fullmatch(pattern, sentence):
                return re.sub(pattern, re.sub(r"\$(\d)", r"\\\1", fr), sentence)
        return sentence

    assert [french(s) for s in ("Select all", "Upload", "50MB per file", "Drag and drop file here", "412.0B",
                                "Page not found", "Press Enter to apply", "Running...", "Skip to main content")] == [
        "Tout sélectionner", "Choisir un fichier", "50 Mo au plus par fichier", "Glissez-déposez un fichier ici",
        "412.0 o", "Page introuvable", "Appuyez sur Entrée pour valider", "Calcul en cours…",
        "Aller au contenu principal"]
    assert french("You have requested page /recherche/x, but no corresponding file was found in the app's pages/ "
                  "directory. Running the app's main page.") == (
        "La page « /recherche/x » n'existe pas : la page d'accueil s'affiche.")
    assert french("Upload de fichiers") == "Upload de fichiers"  # whole text nodes only


def test_the_local_admin_key_is_used_only_by_a_local_loopback_interface(monkeypatch) -> None:
    """up.sh's interface (no ACV_API_URL, 127.0.0.1) writes with ACV_API_KEY without asking; one that talks to
    a remote API or listens on every address asks for the key."""
    from ui import components

    address = {"server.address": "127.0.0.1"}
    monkeypatch.setattr(components.st, "get_option", lambda name: address[name])
    monkeypatch.setenv("ACV_API_KEY", "cle-locale")
    monkeypatch.delenv("ACV_API_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert components.local_admin_key() == "cle-locale"
        address["server.address"] = "0.0.0.0"
        assert components.local_admin_key() is None
        address["server.address"] = "localhost"
        monkeypatch.setenv("ACV_API_URL", "http://api.example:8000")
        get_settings.cache_clear()
        assert components.local_admin_key() is None
        monkeypatch.delenv("ACV_API_URL")
        monkeypatch.delenv("ACV_API_KEY")
        get_settings.cache_clear()
        assert components.local_admin_key() is None
    finally:
        get_settings.cache_clear()

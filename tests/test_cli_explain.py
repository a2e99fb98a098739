"""`acv docs --explain` and `acv reindex --metadata`: the signals behind a document's type, axes and town
reach the user, and a re-run of the metadata reproduces what a fresh ingest gives (issue 27)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main as cli_main

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Des boutiques à l'essai rue Saint-Jean | Bonnes pratiques | Ville de Saumur</title></head><body>
<nav class="breadcrumb"><a href="/">Accueil</a> &gt; <a href="/bp">Retours d'expérience</a></nav>
<main><article><h1>Des boutiques à l'essai rue Saint-Jean</h1>
<p>La ville a ouvert quatre boutiques à l'essai dans des locaux vides du centre ancien avec le programme Action cœur
de ville : loyer réduit la première année, accompagnement du manager de commerce.</p></article>
<aside class="en-bref"><h3>En bref</h3><dl><dt>Commune</dt><dd>SAUMUR</dd><dt>Axe</dt><dd>Axe 2 – Commerce</dd>
</dl></aside></main></body></html>"""


@pytest.fixture()
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from acv.settings import get_settings

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "saumur.html").write_text(PAGE, encoding="utf-8")
    monkeypatch.setenv("ACV_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ACV_EMBEDDER", "fake")
    monkeypatch.setenv("ACV_EMBEDDER_MODEL", "64")
    get_settings.cache_clear()
    assert cli_main(["ingest", str(tmp_path / "docs")]) == 0
    yield tmp_path
    get_settings.cache_clear()


def test_docs_explain_json_and_text(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli_main(["docs", "--json"]) == 0
    assert "explain" not in json.loads(capsys.readouterr().out)[0]
    assert cli_main(["docs", "--json", "--explain"]) == 0
    doc = json.loads(capsys.readouterr().out)[0]
    assert (doc["doc_type"], doc["axes"], [c["insee"] for c in doc["cities"]]) == ("bonne_pratique", [2], ["49328"])
    assert [s["signal"] for s in doc["explain"]["type"]["decide_par"]] == ["title_site", "breadcrumb"]
    assert doc["explain"]["axes"]["source"] == "champ"
    assert doc["explain"]["ville"]["source"] == "champ"
    assert cli_main(["docs", "--explain"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "    type : titre de la page, partie site ou rubrique « Bonnes pratiques »; "
        "fil d'Ariane « Retours d'expérience »",
        "    axes : champ « Axe » de l'encadré « Axe : Axe 2 – Commerce »",
        "    commune : champ d'un encadré « Commune : SAUMUR »",
        "    titre : titre <h1> de la page",
    ]


def test_reindex_metadata_gives_what_an_ingest_gives(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli_main(["docs", "--json", "--explain"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert cli_main(["reindex", "--metadata"]) == 0
    assert capsys.readouterr().out == "Métadonnées recalculées pour 1 documents (sans revectorisation).\n"
    assert cli_main(["docs", "--json", "--explain"]) == 0
    assert json.loads(capsys.readouterr().out) == before

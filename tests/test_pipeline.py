"""End to end with the fake embedder: ingest real files, search them, keep the store consistent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli.main import main as cli_main
from acv.errors import InvalidQueryError
from tests.conftest import SEED

DATA = Path(__file__).resolve().parent / "data" / "pipeline"
RESULT_KEYS = {
    "rank", "score", "doc_id", "source", "title", "doc_type", "date", "cities", "departements", "regions", "axes",
    "themes", "page", "section", "text", "snippet",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "docs"
    dest.mkdir()
    for name in ("marche-couvert-saintes.md", "facades-cahors.html", "convention-demo.pdf"):
        shutil.copy(DATA / name, dest / name)
    return dest


def test_ingest_search_and_reingest(kb, folder):
    report = kb.ingest([folder])
    assert [o.status for o in report.outcomes] == ["added", "added", "added"]
    assert report.errors == []
    assert kb.store.count("documents") == 3

    res = kb.search("rénovation des façades", k=5)
    assert res["no_relevant_result"] is False
    top = res["results"][0]
    assert RESULT_KEYS <= set(top)
    assert top["source"] == str(folder / "facades-cahors.html")
    assert top["title"] == "Cahors lance une campagne de ravalement des façades"
    assert top["date"] == "2019-03-04"
    assert top["doc_type"] == "communique"
    assert [c["name"] for c in top["cities"]] == ["Cahors"]
    assert "façades" in top["snippet"]
    s, e = top["highlights"][0]
    assert top["snippet"][s:e].lower() in {"rénovation", "façades"}

    # Unchanged files: no work at all.
    again = kb.ingest([folder])
    assert [o.status for o in again.outcomes] == ["unchanged"] * 3
    assert again.embedded == 0


def test_pdf_pages_and_sections_are_kept(kb, folder):
    kb.ingest([folder])
    res = kb.search("vélorue gare quartier du Chapitre", k=3)
    top = res["results"][0]
    assert top["source"].endswith("convention-demo.pdf")
    assert top["page"] == 2
    assert top["section"] == "Fiche action 3.1 : création d'une vélorue"
    assert "page 2" not in top["text"]  # running footer stripped


def test_changed_file_replaces_its_chunks_and_prune_removes_missing(kb, folder):
    kb.ingest([folder])
    md = folder / "marche-couvert-saintes.md"
    md.write_text(md.read_text("utf-8").replace("douze étals", "vingt étals"), "utf-8")
    report = kb.ingest([folder])
    assert sorted(o.status for o in report.outcomes) == ["unchanged", "unchanged", "updated"]
    doc = next(d for d in kb.documents()["documents"] if d["source"].endswith(".md"))
    assert "vingt étals" in " ".join(c["text"] for c in kb.document(doc["doc_id"])["chunks"])
    assert kb.dense.count() == kb.store.count("chunks")

    (folder / "facades-cahors.html").unlink()
    pruned = kb.ingest([folder], prune=True)
    assert [o.status for o in pruned.outcomes if o.status == "removed"] == ["removed"]
    assert kb.store.count("documents") == 2
    assert kb.dense.count() == kb.store.count("chunks")


def test_bad_file_is_reported_in_french_and_skipped(kb, folder):
    kb.ingest([folder])
    before = kb.store.count("chunks")
    shutil.copy(DATA / "broken.html", folder / "broken.html")
    report = kb.ingest([folder])
    errors = report.errors
    assert [Path(o.source).name for o in errors] == ["broken.html"]
    assert errors[0].message  # French reason from the reader
    assert kb.store.count("chunks") == before


def test_moved_file_is_not_embedded_again(kb, folder, tmp_path):
    kb.ingest([folder])
    other = tmp_path / "ailleurs"
    other.mkdir()
    shutil.move(folder / "facades-cahors.html", other / "facades.html")
    report = kb.ingest([other])
    assert report.outcomes[0].status == "moved"
    assert report.embedded == 0


def test_filters_are_applied_inside_both_retrievers(kb, folder):
    kb.ingest([folder])
    res = kb.search("rénovation", {"city": "Saintes"}, k=10)
    assert {c["name"] for r in res["results"] for c in r["cities"]} == {"Saintes"}
    res = kb.search("revitalisation du centre-ville", {"doc_type": ["convention"]}, k=10)
    assert {r["doc_type"] for r in res["results"]} == {"convention"}
    res = kb.search("rénovation", {"date_from": "2021-01-01"}, k=10)
    assert {r["date"] for r in res["results"]} == {"2021-05-12"}


@pytest.mark.parametrize(
    "filters, message",
    [
        ({"city": "Atlantis"}, "Ville inconnue : « Atlantis »"),
        ({"axis": "9"}, "Axe inconnu"),
        ({"date_from": "2021-13-01"}, "Date invalide"),
        ({"couleur": "bleu"}, "Filtre inconnu : couleur"),
    ],
)
def test_bad_filters_get_french_messages(kb, filters, message):
    with pytest.raises(InvalidQueryError) as err:
        kb.search("marché", filters)
    assert message in err.value.message


def test_query_limits(kb):
    with pytest.raises(InvalidQueryError, match="trop longue"):
        kb.search("a" * 501)
    with pytest.raises(InvalidQueryError, match="entre 1 et 100"):
        kb.search("marché", k=101)
    with pytest.raises(InvalidQueryError, match="vide"):
        kb.search("   ")


def test_seed_press_release(kb):
    if not SEED.exists():
        pytest.skip("../shared/seed absent")
    kb.ingest([SEED])
    doc = kb.documents()["documents"][0]
    assert doc["date"] == "2018-09-24"
    assert doc["doc_type"] == "communique"
    assert [(c["name"], c["insee"], c["region"]) for c in doc["cities"]] == [("Béthune", "62119", "Hauts-de-France")]


def test_cli_json_shapes(folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ACV_DATA_DIR", str(tmp_path / "cli-var"))
    monkeypatch.setenv("ACV_EMBEDDER", "fake")
    from acv.settings import get_settings

    get_settings.cache_clear()
    try:
        assert cli_main(["ingest", str(folder), "-q"]) == 0
        capsys.readouterr()
        assert cli_main(["search", "rénovation des façades", "--json", "-k", "2"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert set(out) >= {"query", "filters", "total", "results", "no_relevant_result"}
        assert out["query"] == "rénovation des façades"
        assert len(out["results"]) == 2
        assert RESULT_KEYS <= set(out["results"][0])

        batch = tmp_path / "q.jsonl"
        batch.write_text(
            json.dumps({"id": "q1", "query": "marché couvert", "filters": {"city": "Saintes"}}) + "\n"
            + json.dumps({"id": "q2", "query": "façades", "filters": {"doc_type": "communique"}}) + "\n",
            "utf-8",
        )
        assert cli_main(["search", "--batch", str(batch), "-k", "3"]) == 0
        lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
        assert [x["id"] for x in lines] == ["q1", "q2"]
        assert lines[0]["filters"] == {"city": ["17415"]}

        assert cli_main(["docs", "--json"]) == 0
        docs = json.loads(capsys.readouterr().out)
        assert len(docs) == 3 and {"doc_id", "chunks", "cities", "axes", "themes"} <= set(docs[0])

        assert cli_main(["search", "marché", "--city", "Atlantis"]) == 1
        assert "Erreur : Ville inconnue" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_health_counts_vectors_written_by_another_writer(kb, folder, settings):
    from service import KnowledgeBase

    assert kb.health()["indexed_vectors"] == 0
    other = KnowledgeBase(settings)  # as an `acv ingest` running beside the server
    other.ingest([folder])
    chunks = other.store.count("chunks")
    other.close()
    assert chunks > 0
    assert kb.health()["indexed_vectors"] == chunks

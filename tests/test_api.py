"""The read endpoints of the search API, through FastAPI's TestClient, on a small ingested base."""

from __future__ import annotations

import csv
import io
import json

from ingest.pipeline import document_id, source_name
from tests._api_fixtures import ABBEVILLE, AGEN, PDF, QUIMPER

AGEN_ID = document_id(source_name(AGEN))
QUIMPER_ID = document_id(source_name(QUIMPER))
ABBEVILLE_ID = document_id(source_name(ABBEVILLE))
PDF_ID = document_id(source_name(PDF))


def test_search_returns_cli_fields_facets_total_and_time(client, read_kb):
    res = client.get("/search", params={"q": "vacance commerciale boutique à l'essai", "k": 3})
    assert res.status_code == 200
    body = res.json()
    assert list(body) == ["query", "filters", "total", "no_relevant_result", "results", "facets", "took_ms",
                          "total_documents", "total_passages", "indexing", "relevance_reason"]
    assert body["query"] == "vacance commerciale boutique à l'essai"
    assert body["filters"] == {}
    assert body["no_relevant_result"] is False and body["relevance_reason"] is None
    assert len(body["results"]) == 3
    assert [r["rank"] for r in body["results"]] == [1, 2, 3]
    top = body["results"][0]
    assert top["doc_id"] == AGEN_ID
    assert top["cities"][0]["insee"] == "47001"
    assert top["file_url"] == f"/documents/{AGEN_ID}/file"
    assert body["took_ms"] >= 0
    # Same fields as `acv search --json` (the library call), plus the link.
    cli = read_kb.search("vacance commerciale boutique à l'essai", {}, k=3)
    assert set(top) == set(cli["results"][0]) | {"file_url", "passages"}
    assert [r["chunk_id"] for r in body["results"]] == [r["chunk_id"] for r in cli["results"]]
    assert body["total"] == cli["total"]
    assert {f["value"] for f in body["facets"]["city"]} <= {"47001", "29232", "80001", "89387"}
    assert set(body["facets"]) == {"axis", "theme", "city", "mentioned_city", "departement", "region", "doc_type"}


def test_search_filters_are_repeatable_and_applied(client):
    res = client.get("/search", params=[("q", "centre-ville"), ("city", "47001"), ("city", "Quimper"), ("k", 20)])
    assert res.status_code == 200
    body = res.json()
    assert body["filters"] == {"city": ["47001", "29232"]}
    assert {r["doc_id"] for r in body["results"]} == {AGEN_ID, QUIMPER_ID}
    assert {f["value"] for f in body["facets"]["city"]} == {"47001", "29232"}
    only = client.get("/search", params={"q": "logements", "city": "80001", "date_from": "2021-01-01",
                                         "date_to": "2021-12-31"}).json()
    assert {r["doc_id"] for r in only["results"]} == {ABBEVILLE_ID}
    assert only["filters"] == {"city": ["80001"], "date_from": "2021-01-01", "date_to": "2021-12-31"}


def test_search_pdf_results_link_to_their_page(client):
    body = client.get("/search", params={"q": "convention Sens", "city": "89387", "k": 5}).json()
    assert body["results"]
    for r in body["results"]:
        assert r["format"] == "pdf"
        assert r["page"] >= 1
        assert r["file_url"] == f"/documents/{PDF_ID}/file#page={r['page']}"


def test_search_offset_pages_through_results(client):
    first = client.get("/search", params={"q": "centre-ville commerces", "k": 2}).json()
    second = client.get("/search", params={"q": "centre-ville commerces", "k": 2, "offset": 2}).json()
    assert [r["rank"] for r in second["results"]] == [3, 4]
    assert not {r["chunk_id"] for r in first["results"]} & {r["chunk_id"] for r in second["results"]}


def test_search_grouped_by_document(client):
    body = client.get("/search", params={"q": "vacance commerciale foncière", "group": "document", "k": 10}).json()
    ids = [r["doc_id"] for r in body["results"]]
    assert len(ids) == len(set(ids)) == body["total"]
    agen = next(r for r in body["results"] if r["doc_id"] == AGEN_ID)
    assert isinstance(agen["passages"], list)
    assert all(p["doc_id"] == AGEN_ID and p["file_url"].startswith(f"/documents/{AGEN_ID}/file") for p in
               agen["passages"])


def test_documents_list_filters_and_paging(client):
    body = client.get("/documents").json()
    assert body["total"] == 4 and body["offset"] == 0 and body["limit"] == 50
    assert {d["doc_id"] for d in body["documents"]} == {AGEN_ID, QUIMPER_ID, ABBEVILLE_ID, PDF_ID}
    page = client.get("/documents", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 4 and len(page["documents"]) == 1
    assert page["documents"][0]["doc_id"] == body["documents"][1]["doc_id"]
    agen = client.get("/documents", params={"city": "Agen"}).json()
    assert agen["total"] == 1
    doc = agen["documents"][0]
    assert doc["doc_id"] == AGEN_ID and doc["date"] == "2019-03-12" and doc["format"] == "markdown"
    assert doc["file_url"] == f"/documents/{AGEN_ID}/file"
    assert client.get("/documents", params={"doc_type": "bonne_pratique"}).json()["documents"][0]["doc_id"] \
        == ABBEVILLE_ID


def test_document_detail_has_metadata_and_chunks(client, read_kb):
    body = client.get(f"/documents/{AGEN_ID}").json()
    assert body["title"] == "Agen reconquiert ses cellules commerciales vacantes"
    assert body["doc_type"] == "communique"
    assert [c["insee"] for c in body["cities"]] == ["47001"]
    assert body["chunks"] == [
        {k: c[k] for k in ("chunk_id", "ordinal", "page", "section", "start", "end", "text", "axes", "themes",
                           "amounts", "funders", "ocr")} for c in read_kb.document(AGEN_ID)["chunks"]]
    assert [c["ordinal"] for c in body["chunks"]] == list(range(len(body["chunks"])))


def test_document_file_markdown_html_and_pdf(client):
    md = client.get(f"/documents/{AGEN_ID}/file")
    assert md.status_code == 200
    assert md.content == AGEN.read_bytes()
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    assert md.headers["content-disposition"] == 'inline; filename="agen-vacance-commerciale.md"'
    html = client.get(f"/documents/{QUIMPER_ID}/file")
    assert html.headers["content-type"].startswith("text/html")
    assert html.headers["content-security-policy"] == "sandbox"
    assert html.headers["x-content-type-options"] == "nosniff"
    pdf = client.get(f"/documents/{PDF_ID}/file")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-"
    assert pdf.headers["content-disposition"] == 'inline; filename="convention-sens.pdf"'


def test_similar_passages_come_from_other_towns(client, read_kb):
    chunk_id = read_kb.document(AGEN_ID)["chunks"][0]["chunk_id"]
    body = client.get(f"/chunks/{chunk_id}/similar", params={"k": 5}).json()
    assert body["chunk_id"] == chunk_id and body["doc_id"] == AGEN_ID
    assert body["results"]
    assert all(r["doc_id"] != AGEN_ID for r in body["results"])
    assert all("47001" not in [c["insee"] for c in r["cities"]] for r in body["results"])
    filtered = client.get(f"/chunks/{chunk_id}/similar", params={"city": "80001"}).json()
    assert {r["doc_id"] for r in filtered["results"]} == {ABBEVILLE_ID}


def test_cities_list_and_one_city(client):
    cities = client.get("/cities").json()
    assert len(cities) == 244
    by_insee = {c["insee"]: c for c in cities}
    assert by_insee["47001"]["name"] == "Agen" and by_insee["47001"]["documents"] == 1
    assert by_insee["80001"]["documents"] == 1
    assert by_insee["62498"]["documents"] == 0
    agen = client.get("/cities/47001").json()
    assert agen["name"] == "Agen" and agen["region"] == "Nouvelle-Aquitaine"
    assert [d["doc_id"] for d in agen["documents"]] == [AGEN_ID]
    assert agen["timeline"] == [{"doc_id": AGEN_ID, "title": "Agen reconquiert ses cellules commerciales vacantes",
                                 "date": "2019-03-12", "doc_type": "communique"}]
    assert agen["by_axis"]["2"][0]["doc_id"] == AGEN_ID
    assert len(agen["comparable_cities"]) == 5
    assert all(c["insee"] != "47001" for c in agen["comparable_cities"])
    assert client.get("/cities/Agen").json()["insee"] == "47001"


def test_facets_and_health(client):
    facets = client.get("/facets").json()
    assert {f["value"]: f["count"] for f in facets["city"]} == {"47001": 1, "29232": 1, "80001": 1, "89387": 1}
    assert {f["value"]: f["label"] for f in facets["doc_type"]}["communique"] == "Communiqué"
    health = client.get("/health").json()
    assert health == {"status": "ok", "version": "0.1.0", "documents": 4,
                      "chunks": health["chunks"], "indexed_vectors": health["chunks"], "model": "fake:hash-64"}
    assert health["chunks"] >= 4


def test_export_csv_for_excel(client):
    res = client.get("/export", params={"q": "vacance commerciale", "k": 3, "format": "csv"})
    assert res.status_code == 200
    assert res.headers["content-type"] == "text/csv; charset=utf-8"
    assert res.headers["content-disposition"] == 'attachment; filename="acv-recherche.csv"'
    assert res.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(res.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["rank", "score", "title", "doc_type", "date", "cities", "axes", "themes", "page", "section",
                       "snippet", "doc_id", "chunk_id", "source"]
    search = client.get("/search", params={"q": "vacance commerciale", "k": 3}).json()["results"]
    assert len(rows) == 4
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    assert [r[2] for r in rows[1:]] == [s["title"] for s in search]
    assert [r[13] for r in rows[1:]] == [s["source"] for s in search]
    assert [r[12] for r in rows[1:]] == [str(s["chunk_id"]) for s in search]
    assert rows[1][5] == ", ".join(c["name"] for c in search[0]["cities"])
    assert rows[1][7] == ", ".join(search[0]["themes"])


def test_export_json_is_the_search_answer(client):
    res = client.get("/export", params={"q": "navette électrique", "k": 2, "format": "json"})
    assert res.headers["content-disposition"] == 'attachment; filename="acv-recherche.json"'
    body = json.loads(res.content)
    search = client.get("/search", params={"q": "navette électrique", "k": 2}).json()
    assert [r["chunk_id"] for r in body["results"]] == [r["chunk_id"] for r in search["results"]]
    assert body["total"] == search["total"]


def test_csv_cells_cannot_be_spreadsheet_formulas():
    from service.exports import to_csv

    text = to_csv([{"rank": 1, "score": 0.5, "title": "=HYPERLINK(\"x\")", "doc_type": "autre", "date": None,
                    "cities": [], "axes": [2], "themes": ["+t"], "page": None, "section": "@SUM(A1)",
                    "snippet": "-2+3", "doc_id": "d1", "chunk_id": 7, "source": "a.md"}])
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row == ["1", "0.5", "'=HYPERLINK(\"x\")", "autre", "", "", "2", "'+t", "", "'@SUM(A1)", "'-2+3", "d1", "7",
                   "a.md"]


def test_openapi_lists_every_endpoint_with_examples_in_french(client):
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "API de recherche Action cœur de ville"
    assert {"/search", "/export", "/chunks/{chunk_id}/similar", "/documents", "/documents/{doc_id}",
            "/documents/{doc_id}/file", "/cities", "/cities/{insee}", "/facets", "/health", "/saved-searches",
            "/saved-searches/{search_id}", "/saved-searches/{search_id}/new", "/feeds/{search_id}.atom"
            } == set(spec["paths"])
    assert set(spec["paths"]["/documents"]) == {"get", "post"}
    assert set(spec["paths"]["/documents/{doc_id}"]) == {"get", "delete"}
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op.get("tags"), (method, path)
            ok = op["responses"].get("200") or op["responses"].get("201")
            assert any("example" in c or "examples" in c for c in ok["content"].values()), (method, path)
            for p in op.get("parameters", []):
                if p["in"] != "header":
                    assert "examples" in p or "example" in p, (method, path, p["name"])
    assert "CleAPI" in spec["components"]["securitySchemes"]
    assert client.get("/docs").status_code == 200

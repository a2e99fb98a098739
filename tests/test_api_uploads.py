"""POST and DELETE /documents: API key, size limit, content sniffing, safe names, cleanup on failure."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.uploads import safe_stem
from tests._api_fixtures import AGEN, API_KEY, QUIMPER, error_of, make_app, make_settings

KEY = {"X-API-Key": API_KEY}
NOTE = ("---\ntitle: \"Note sur le marché couvert de Cahors\"\ndate: 2022-05-10\n---\n\n"
        "# Le marché couvert de Cahors\n\n" + "La halle de Cahors accueille de nouveau les producteurs locaux "
        "chaque matin, après une rénovation complète de sa charpente et de ses étals. " * 8).encode("utf-8")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(200)


@pytest.fixture
def app_settings(tmp_path):
    return make_settings(tmp_path / "var", max_upload_mb=1)


@pytest.fixture
def api(app_settings):
    with TestClient(make_app(app_settings)) as c:
        yield c


def uploads(settings) -> list[str]:
    root = settings.uploads_dir
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def post(api, name: str, data: bytes, headers=KEY, content_type: str = "application/octet-stream"):
    return api.post("/documents", files={"file": (name, data, content_type)}, headers=headers)


def test_upload_ingests_and_returns_metadata_then_search_finds_it(api, app_settings):
    res = post(api, "note-cahors.md", NOTE)
    assert res.status_code == 201, res.text
    doc = res.json()
    assert doc["title"] == "Note sur le marché couvert de Cahors"
    assert doc["date"] == "2022-05-10"
    assert doc["format"] == "markdown"
    assert doc["source"] == "uploads/note-cahors.md"  # never the server's folder
    assert doc["file_url"] == f"/documents/{doc['doc_id']}/file"
    assert len(doc["chunks"]) >= 1
    assert uploads(app_settings) == ["note-cahors.md"]
    hits = api.get("/search", params={"q": "halle producteurs charpente"}).json()["results"]
    assert hits[0]["doc_id"] == doc["doc_id"]
    assert api.get(f"/documents/{doc['doc_id']}/file").content == NOTE
    assert api.get("/health").json()["documents"] == 1


def test_traversal_name_is_sanitised_and_never_overwrites(api, app_settings, tmp_path):
    res = post(api, "../../etc/passwd.md", NOTE)
    assert res.status_code == 201
    assert res.json()["source"] == "uploads/passwd.md"
    assert (app_settings.uploads_dir / "passwd.md").is_file()
    other = NOTE.replace(b"Cahors", b"Sens")
    res2 = post(api, "..\\..\\etc\\passwd.md", other)
    assert res2.status_code == 201
    assert Path(res2.json()["source"]).name == "passwd-2.md"
    assert uploads(app_settings) == ["passwd-2.md", "passwd.md"]
    assert (app_settings.uploads_dir / "passwd.md").read_bytes() == NOTE
    assert not (tmp_path / "etc").exists()


def test_same_bytes_twice_is_a_409(api, app_settings):
    first = post(api, "a.md", NOTE).json()
    res = post(api, "b.md", NOTE)
    assert res.status_code == 409
    assert error_of(res) == {"code": "document_deja_present", "message": "Ce fichier est déjà dans la base.",
                             "details": {"doc_id": first["doc_id"]}}
    assert uploads(app_settings) == ["a.md"]


def test_type_is_decided_by_content_not_extension(api, app_settings):
    res = post(api, "photo.html", PNG, content_type="text/html")
    assert res.status_code == 415
    assert error_of(res) == {
        "code": "format_non_pris_en_charge",
        "message": "Type de fichier refusé (format non pris en charge : contenu binaire (ni PDF, ni HTML, ni texte)). "
                   "Formats acceptés : PDF, HTML, Markdown, texte.",
        "details": {"file_name": "photo"},
    }
    assert uploads(app_settings) == []
    # An HTML page sent as ".bin" is stored and read as HTML.
    res = post(api, "page.bin", QUIMPER.read_bytes())
    assert res.status_code == 201
    assert res.json()["format"] == "html"
    assert Path(res.json()["source"]).name == "page.html"


def test_ingest_failure_removes_the_file(api, app_settings):
    res = post(api, "faux.pdf", b"%PDF-1.7\n" + b"pas vraiment un PDF\n" * 20)
    assert res.status_code == 415
    err = error_of(res)
    assert err["code"] == "fichier_illisible"
    assert err["message"].startswith("Le fichier n'a pas pu être ingéré : ")
    assert err["details"] == {"file_name": "faux.pdf"}
    assert uploads(app_settings) == []
    assert api.get("/documents").json()["total"] == 0


def test_empty_file_is_refused(api, app_settings):
    res = post(api, "vide.md", b"")
    assert res.status_code == 400
    assert error_of(res) == {"code": "fichier_vide", "message": "Le fichier envoyé est vide.", "details": {}}
    assert uploads(app_settings) == []


def test_oversize_upload_is_a_413(api, app_settings):
    big = b"Un texte tres long. " * 60_000  # 1.2 MB > 1 MB
    res = post(api, "gros.txt", big)
    assert res.status_code == 413
    assert error_of(res) == {"code": "fichier_trop_volumineux",
                             "message": "Fichier trop volumineux : la limite est de 1 Mo (ACV_MAX_UPLOAD_MB).",
                             "details": {"max_bytes": 1_048_576}}
    assert uploads(app_settings) == []


def test_oversize_streamed_without_content_length_stops_at_the_limit(api, app_settings):
    boundary = "limite-acv"
    sent = {"bytes": 0}

    def body():
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gros.txt\"\r\n"
                "Content-Type: text/plain\r\n\r\n").encode()
        yield head
        for _ in range(100):  # up to 6.4 MB, far past the limit
            sent["bytes"] += 65536
            yield b"a" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    res = api.post("/documents", content=body(), headers={
        **KEY, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert res.status_code == 413
    assert error_of(res)["code"] == "fichier_trop_volumineux"
    assert uploads(app_settings) == []


def test_size_limit_is_exact(tmp_path):
    settings = make_settings(tmp_path / "var", max_upload_mb=1)
    text = ("Le centre-ville de Vienne accueille une nouvelle maison de santé. " * 20).encode()
    at_limit = text + b" " * (1_048_576 - len(text))  # blank padding keeps the ingest quick
    with TestClient(make_app(settings)) as c:
        assert post(c, "limite.txt", at_limit).status_code == 201
        assert post(c, "trop.txt", at_limit + b" ").status_code == 413


def test_writes_refused_without_configured_key(tmp_path):
    settings = make_settings(tmp_path / "var", api_key=None)
    with TestClient(make_app(settings)) as c:
        res = post(c, "note.md", NOTE, headers={"X-API-Key": "quelconque"})
    assert res.status_code == 403
    assert error_of(res)["code"] == "ecriture_desactivee"
    assert uploads(settings) == []


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "mauvaise"}, {"X-API-Key": API_KEY + "x"}])
def test_wrong_or_missing_key_is_401(api, app_settings, headers):
    res = post(api, "note.md", NOTE, headers=headers)
    assert res.status_code == 401
    assert error_of(res)["code"] == "cle_api_invalide"
    assert uploads(app_settings) == []


def test_key_never_appears_in_logs(api, caplog):
    caplog.set_level(logging.DEBUG)
    assert post(api, "note.md", NOTE).status_code == 201
    assert post(api, "note2.md", NOTE + b"x", headers={"X-API-Key": "autre-cle-secrete"}).status_code == 401
    doc_id = api.get("/documents").json()["documents"][0]["doc_id"]
    assert api.delete(f"/documents/{doc_id}", headers=KEY).status_code == 200
    assert caplog.records  # the requests were logged…
    assert API_KEY not in caplog.text  # …but never the key
    assert "autre-cle-secrete" not in caplog.text


def test_not_multipart_is_415_and_missing_field_is_422(api):
    res = api.post("/documents", content=b"{}", headers={**KEY, "Content-Type": "application/json"})
    assert res.status_code == 415
    assert error_of(res) == {"code": "format_non_pris_en_charge",
                             "message": "Envoyez le fichier en multipart/form-data, dans le champ « file ».",
                             "details": {}}
    res = api.post("/documents", files={"autre": ("a.md", NOTE)}, headers=KEY)
    assert res.status_code == 422
    assert error_of(res) == {"code": "parametres_invalides",
                             "message": "Champ « file » : valeur obligatoire manquante.",
                             "details": {"errors": [{"location": "body", "field": "file",
                                                     "message": "valeur obligatoire manquante"}]}}


def test_delete_removes_document_and_uploaded_file_but_never_corpus_files(api, app_settings):
    doc = post(api, "note.md", NOTE).json()
    res = api.delete(f"/documents/{doc['doc_id']}", headers=KEY)
    assert res.status_code == 200
    assert res.json() == {"doc_id": doc["doc_id"], "deleted": True}
    assert uploads(app_settings) == []
    assert api.get(f"/documents/{doc['doc_id']}").status_code == 404
    assert api.get("/search", params={"q": "halle producteurs"}).json()["results"] == []
    # A document ingested from elsewhere keeps its file on deletion.
    kb = api.app.state.kb_holder.get()
    kb.ingest([AGEN])
    agen_id = kb.documents()["documents"][0]["doc_id"]
    assert api.delete(f"/documents/{agen_id}", headers=KEY).status_code == 200
    assert AGEN.is_file()


@pytest.mark.parametrize(("name", "stem"), [
    ("../../etc/passwd.md", "passwd"), ("..\\..\\win.ini", "win"), ("Étude d'Épinal (2019).pdf", "Etude-d-Epinal-2019"),
    (".bashrc", "bashrc"), ("", "document"), ("...", "document"), ("a\x00b\nc.md", "a-b-c"),
    ("<script>alert(1)</script>.html", "script"), ("<b>alert(1).html", "b-alert-1"),
])
def test_safe_stem(name, stem):
    assert safe_stem(name) == stem


def test_searches_keep_answering_while_an_upload_is_ingested(api, app_settings):
    assert post(api, "agen.md", AGEN.read_bytes()).status_code == 201
    assert api.get("/search", params={"q": "vacance commerciale"}).status_code == 200  # first-query costs paid here
    paragraphs = [f"Paragraphe {i} : la commune de Vienne rénove les façades de la rue piétonne et installe des "
                  f"bancs, des arbres et une signalétique patrimoniale près du théâtre antique." for i in range(1500)]
    long_note = ("# Les façades de Vienne\n\n" + "\n\n".join(paragraphs)).encode()
    result = {}

    def upload() -> None:
        result["status"] = post(api, "vienne.md", long_note).status_code

    worker = threading.Thread(target=upload)
    worker.start()
    statuses = []
    while worker.is_alive() or not statuses:
        statuses.append(api.get("/search", params={"q": "vacance commerciale"}).status_code)
    worker.join()
    assert result["status"] == 201
    assert len(statuses) > 1 and set(statuses) == {200}
    hits = api.get("/search", params={"q": "façades théâtre antique signalétique"}).json()["results"]
    assert hits[0]["title"] == "Les façades de Vienne"


def test_one_file_per_request(api, app_settings):
    res = api.post("/documents", files=[("file", ("a.md", NOTE)), ("file", ("b.md", NOTE + b"!"))], headers=KEY)
    assert res.status_code == 400
    assert error_of(res) == {"code": "un_seul_fichier",
                             "message": "Envoyez un seul fichier par requête (champ « file »).", "details": {}}
    assert uploads(app_settings) == []


def test_legacy_encoded_file_is_served_with_its_charset(api):
    latin = ("# Épinal\n\nLa commune d'Épinal rénove la place des Vosges et les façades de la rue piétonne ; "
             "les travaux du théâtre débuteront à l'été. " * 5).encode("cp1252")
    doc = post(api, "epinal.md", latin).json()
    res = api.get(doc["file_url"])
    assert res.headers["content-type"] == "text/markdown; charset=windows-1252"
    assert res.content == latin
    page = b"<!doctype html><html><head><meta charset='windows-1252'><title>Caf\xe9</title></head><body><p>" + \
        "Le café associatif du centre-ville d'Épinal ouvre ses portes aux habitants. ".encode("cp1252") * 8 + \
        b"</p></body></html>"
    html = post(api, "cafe.html", page).json()
    assert api.get(html["file_url"]).headers["content-type"] == "text/html"

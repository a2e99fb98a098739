"""Hostile and broken inputs (tests/data/bad/): each gives its French message, nothing hangs, nothing stored is lost.

The whole folder is ingested, with the fake embedder, into a store that
already holds a good document; every file's outcome is checked against
tests/data/bad/expected.json. A few of the same files then go through
`POST /documents`. Files git cannot hold (a name that is not UTF-8, a link
loop, a named pipe, a file over the size limit, links out of the folder) and
the two huge files (a million Markdown list items, 50,000 PDF text objects)
are made at test time.
"""

from __future__ import annotations

import json
import os
from collections import Counter
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from service import KnowledgeBase
from acv.settings import Settings
from tests._api_fixtures import API_KEY, error_of, make_settings

BAD = Path(__file__).resolve().parent / "data" / "bad"
GOOD = Path(__file__).resolve().parent / "data" / "files" / "convention-sens.pdf"
EXPECTED: dict[str, dict] = json.loads((BAD / "expected.json").read_text("utf-8"))
TIMEOUT_S = 15.0
MAX_FILE_MB = 1

sys.path.insert(0, str(BAD))
import build_bad  # noqa: E402

sys.path.remove(str(BAD))


def _committed_inputs() -> list[str]:
    return sorted(p.name for p in BAD.iterdir() if p.name not in ("build_bad.py", "expected.json", "__pycache__"))


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, embedder="fake", embedder_model="64", max_file_mb=MAX_FILE_MB,
                    parse_timeout_s=TIMEOUT_S, parse_memory_mb=1024, _env_file=None)


def _snapshot(kb: KnowledgeBase, doc_id: str) -> dict:
    chunks = kb.store.chunks_of(doc_id)
    ids = [c["id"] for c in chunks]
    vec_ids, vecs = kb.store.vectors_for(ids, kb.embedder.dimension)
    return {
        "document": dict(kb.store.document(doc_id)),
        "chunks": [(c["id"], c["ordinal"], c["text"]) for c in chunks],
        "vector_ids": vec_ids.tolist(),
        "vectors": vecs,
    }


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    folder = root / "bad"
    folder.mkdir()
    for name in _committed_inputs():
        shutil.copy(BAD / name, folder / name)
    runtime = build_bad.make_runtime_files(folder, oversize_bytes=int(1.5 * MAX_FILE_MB * 2**20))
    good_dir = root / "good"
    good_dir.mkdir()
    shutil.copy(GOOD, good_dir / GOOD.name)

    kb = KnowledgeBase(_settings(root / "var"))
    first = kb.ingest([good_dir])
    assert [o.status for o in first.outcomes] == ["added"]
    good_id = first.outcomes[0].doc_id
    before = _snapshot(kb, good_id)

    start = time.monotonic()
    report = kb.ingest([folder])
    elapsed = time.monotonic() - start
    yield {"kb": kb, "report": report, "elapsed": elapsed, "runtime": runtime, "good_id": good_id,
           "before": before, "folder": folder}
    kb.close()


def _key(source: str, runtime: dict[str, str]) -> str:
    name = os.path.basename(source)
    if name.startswith("ch\\x") or "\\x" in name:  # the non-UTF-8 name, shown with escapes
        return "<nom non UTF-8>.txt"
    return runtime.get(name, name)


def test_every_input_has_an_expected_outcome():
    committed = _committed_inputs()
    assert len(committed) >= 40
    runtime_keys = {k for k in EXPECTED if k.startswith("<")}
    assert sorted(set(EXPECTED) - runtime_keys) == committed
    for name, exp in EXPECTED.items():
        assert exp["status"] in ("added", "error"), name
        assert exp["cas"], name


@pytest.mark.system  # the whole hostile folder ingested under its time budgets
def test_each_bad_file_gives_its_outcome_and_french_message(ingested):
    kb, report, runtime = ingested["kb"], ingested["report"], ingested["runtime"]
    seen: dict[str, int] = {}
    problems = []
    for outcome in report.outcomes:
        key = _key(outcome.source, runtime)
        seen[key] = seen.get(key, 0) + 1
        exp = EXPECTED.get(key)
        if exp is None:
            problems.append(f"{key}: no expected outcome")
            continue
        if outcome.status != exp["status"]:
            problems.append(f"{key}: {outcome.status} ({outcome.message}) instead of {exp['status']}")
            continue
        if exp["status"] == "error":
            if exp["message_contains"] not in outcome.message:
                problems.append(f"{key}: message « {outcome.message} »")
            continue
        doc = kb.document(outcome.doc_id)
        text = "\n".join(c["text"] for c in doc["chunks"])
        if doc["title"] != exp["title"]:
            problems.append(f"{key}: title {doc['title']!r}")
        problems += [f"{key}: « {w} » missing" for w in exp["text_contains"] if w not in text]
        problems += [f"{key}: « {w!r} » present" for w in exp.get("text_excludes", []) if w in text]
        if "min_chunks" in exp and len(doc["chunks"]) < exp["min_chunks"]:
            problems.append(f"{key}: {len(doc['chunks'])} chunks")
        if "warning_contains" in exp:
            warnings = kb.store.document(outcome.doc_id)["metadata"]
            if exp["warning_contains"] not in json.loads(warnings)["reader"].get("warnings", [""])[0]:
                problems.append(f"{key}: warning missing ({warnings[:200]})")
    assert problems == []
    # each file reported once (the two link-loop files share a key, so do the two chained links), the timeout
    # names its limit, and the link from the folder to itself is neither followed nor reported
    shared = Counter(runtime.values())
    assert seen == {k: shared.get(k, 1) for k in EXPECTED}
    assert not [o for o in report.outcomes if "boucle-dossier" in o.source]
    timeout = next(o for o in report.outcomes if o.source.endswith("pdf-bombe-temps.pdf"))
    assert timeout.message == f"Fichier ignoré : lecture trop longue (plus de {TIMEOUT_S:g} s)"


@pytest.mark.system
def test_nothing_outside_the_folder_is_read(ingested):
    """Links to /etc/passwd, /dev/zero, a sibling folder or its parent: refused, and their text is nowhere."""
    kb, folder = ingested["kb"], ingested["folder"]
    text = "\n".join(r[0] for r in kb.store.con.execute("SELECT text FROM chunks"))
    for secret in (build_bad.SECRET, "zygomorphe", "root:x:0:0", "nologin", "/bin/bash"):
        assert secret not in text
    root = folder.resolve()
    for (source,) in kb.store.con.execute("SELECT source FROM documents"):
        real = Path(source).resolve()
        assert real.is_relative_to(root) or real == GOOD.resolve() or real.parent.name == "good", source
    hits = kb.search("zygomorphe kiwi coffre", k=5)["results"]
    assert all("zygomorphe" not in h["text"] for h in hits)


@pytest.mark.system
def test_messages_are_french_sentences(ingested):
    for outcome in ingested["report"].errors:
        assert outcome.message and outcome.message[0].isalpha()
        assert "Error" not in outcome.message and "Traceback" not in outcome.message
        assert not any(w in outcome.message.lower() for w in ("file", "not found", "invalid", "too many"))


@pytest.mark.system
def test_nothing_hangs(ingested):
    # 67 files, one of which is stopped at the timeout: the batch ends well within two minutes
    assert ingested["elapsed"] < TIMEOUT_S + 75, ingested["elapsed"]


@pytest.mark.system
def test_the_good_document_is_untouched(ingested):
    kb, good_id, before = ingested["kb"], ingested["good_id"], ingested["before"]
    after = _snapshot(kb, good_id)
    assert after["document"] == before["document"]
    assert after["chunks"] == before["chunks"]
    assert after["vector_ids"] == before["vector_ids"] == [c[0] for c in before["chunks"]]
    np.testing.assert_array_equal(after["vectors"], before["vectors"])
    # FAISS and SQLite agree one to one, the analysed bodies too
    chunk_ids = sorted(kb.store.chunk_ids().tolist())
    assert sorted(kb.dense.ann.ids().tolist()) == chunk_ids
    assert sorted(r[0] for r in kb.store.con.execute("SELECT chunk_id FROM chunk_terms")) == chunk_ids
    assert kb.store.chunks_missing_vectors() == []
    hits = kb.search("foncière commerciale Grande Rue Sens", k=3)["results"]
    assert hits[0]["doc_id"] == good_id


@pytest.mark.system
def test_script_titles_come_back_as_literal_text_in_json(ingested):
    kb = ingested["kb"]
    with TestClient(__import__("search_api.app", fromlist=["create_app"]).create_app(kb.settings, kb=kb)) as c:
        docs = c.get("/documents", params={"limit": 500}).json()["documents"]
        scripted = [d for d in docs if d["title"] == "<script>alert(1)</script>"]
        assert sorted(Path(d["source"]).name for d in scripted) == [
            "html-titre-script.html", "md-titre-script.md", "pdf-titre-script.pdf"]
        res = c.get(f"/documents/{scripted[0]['doc_id']}")
        assert res.headers["content-type"] == "application/json"
        assert res.json()["title"] == "<script>alert(1)</script>"
        assert '"title":"<script>alert(1)</script>"' in res.text  # data, not markup: no HTML escaping in JSON
        hits = c.get("/search", params={"q": "alert reconquête Gambetta", "k": 20}).json()["results"]
        assert "<script>alert(1)</script>" in {h["title"] for h in hits}


# -- the same files through the API ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from search_api.app import create_app

    settings = make_settings(tmp_path_factory.mktemp("api-bad") / "var", max_upload_mb=MAX_FILE_MB,
                             max_file_mb=MAX_FILE_MB, parse_timeout_s=3.0)
    with TestClient(create_app(settings)) as client:
        note = ("# Cahors\n\n" + build_bad.PARA_CAHORS + "\n").encode()
        assert client.post("/documents", files={"file": ("note.md", note)},
                           headers={"X-API-Key": API_KEY}).status_code == 201
        yield client, settings


@pytest.mark.parametrize("name, status, code", [
    ("pdf-tronque.pdf", 415, "fichier_illisible"),
    ("pdf-chiffre-mot-de-passe.pdf", 415, "fichier_illisible"),
    ("pdf-bombe-flate.pdf", 415, "fichier_illisible"),
    ("pdf-bombe-temps.pdf", 422, "lecture_trop_couteuse"),  # too slow to read: not an unsupported type
    ("pdf-image-seule.pdf", 415, "fichier_illisible"),
    ("html-10000-div.html", 415, "fichier_illisible"),
    ("html-binaire.html", 415, "format_non_pris_en_charge"),
    ("html-bandeau-cookies.html", 415, "fichier_illisible"),
    ("txt-ponctuation-seule.txt", 415, "fichier_illisible"),
    ("vide.pdf", 400, "fichier_vide"),
])
def test_bad_uploads_get_the_common_error_shape_in_french(api, name, status, code):
    client, settings = api
    res = client.post("/documents", files={"file": (name, (BAD / name).read_bytes())}, headers={"X-API-Key": API_KEY})
    assert res.status_code == status, res.text
    err = error_of(res)
    assert err["code"] == code
    expected = EXPECTED[name]["message_contains"]
    if name == "pdf-bombe-temps.pdf":
        expected = "lecture trop longue (plus de 3 s)"
    if code != "fichier_vide":
        assert expected in err["message"], err["message"]
    health = client.get("/health").json()
    assert (health["documents"], health["chunks"], health["indexed_vectors"]) == (1, 1, 1)
    uploaded = sorted(p.name for p in settings.uploads_dir.iterdir() if p.is_file())
    assert uploaded == ["note.md"]  # the refused file is not left behind


def test_committed_text_inputs_match_the_build_script():
    for name, data in build_bad.text_files().items():
        assert (BAD / name).read_bytes() == data, name


# -- huge and degenerate files, built at test time -------------------------------------------------------------

HUGE_BUDGET_S = 1.0


@pytest.mark.parametrize("name, build, fragments", [
    ("md-un-million-de-puces.md", build_bad.huge_markdown, ["cellule 999999", "Gambetta"]),
    ("pdf-50000-objets-texte.pdf", build_bad.text_objects_pdf, ["mot0", "mot49999"]),
])
def test_huge_file_ends_within_its_budget_and_the_batch_goes_on(tmp_path, name, build, fragments):
    """Stored whole, or refused with the French reason of the budget; the next file is stored all the same, and
    the document already stored does not change."""
    from ingest.isolation import MEMORY_MESSAGE, timeout_message

    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / name).write_bytes(build())
    (folder / "zz-note.md").write_text("# Cahors\n\n" + build_bad.PARA_CAHORS + "\n", "utf-8")
    good_dir = tmp_path / "good"
    good_dir.mkdir()
    shutil.copy(GOOD, good_dir / GOOD.name)
    settings = Settings(data_dir=tmp_path / "var", embedder="fake", embedder_model="64", max_file_mb=64,
                        parse_timeout_s=HUGE_BUDGET_S, parse_memory_mb=1024, _env_file=None)
    kb = KnowledgeBase(settings)
    try:
        good_id = kb.ingest([good_dir]).outcomes[0].doc_id
        before = _snapshot(kb, good_id)
        report = kb.ingest([folder])
        huge, note = report.outcomes
        assert Path(huge.source).name == name
        if huge.status == "error":
            assert huge.message in (timeout_message(HUGE_BUDGET_S), MEMORY_MESSAGE), huge.message
        else:
            assert huge.status == "added"
            text = "\n".join(c["text"] for c in kb.document(huge.doc_id)["chunks"])
            assert all(f in text for f in fragments)
        assert (Path(note.source).name, note.status) == ("zz-note.md", "added")
        after = _snapshot(kb, good_id)
        assert (after["document"], after["chunks"], after["vector_ids"]) == (
            before["document"], before["chunks"], before["vector_ids"])
        np.testing.assert_array_equal(after["vectors"], before["vectors"])
    finally:
        kb.close()

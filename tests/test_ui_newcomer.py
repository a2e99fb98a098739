"""A newcomer's first hour, in Chromium: `bash scripts/up.sh` on a fresh data folder (fake embedder, install
skipped), a first search while the bundled corpus is still being indexed, following that search, adding a
file, then shared links opened cold; no English left on any page, and nothing left running at the end.

Screenshots of every step go to tests/artifacts/newcomer/ (git-ignored; CI keeps the folder as artefacts).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from ingest.progress import read_progress
from tests.test_first_run import _get, _marked, _ports, _stop_group
from tests.test_ui_browser import browser  # noqa: F401 - the Chromium fixture
from ui.french import ENGLISH

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts" / "newcomer"
NOTICE_START = "Indexation en cours ("
UPLOAD = """---
title: Morlaix ouvre une boutique à l'essai rue d'Aiguillon
date: 2024-05-14
type: communiqué
---

# Morlaix ouvre une boutique à l'essai rue d'Aiguillon

Morlaix, le 14 mai 2024 — Dans le cadre du programme Action cœur de ville, la ville de Morlaix loue pendant
six mois un local commercial rénové à une créatrice, avec un loyer réduit, pour lutter contre la vacance
commerciale du centre-ville.
"""


@pytest.fixture
def up(tmp_path: Path):
    """scripts/up.sh as a newcomer runs it (fake embedder, one ingest worker), stopped with Ctrl-C at the end."""
    data_dir = tmp_path / "var"
    api_port, ui_port = _ports(2)
    # the bundled corpus and the fresh documents (four of them scanned, read by OCR): an ingest long enough that
    # the first search surely runs during it, even on an idle machine
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "documents", corpus / "bundled")
    shutil.copytree(ROOT / "bench" / "fresh" / "documents", corpus / "fresh")
    files = sum(1 for p in corpus.rglob("*") if p.is_file())
    marker = f"ACV_NEWCOMER_{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if k not in ("ACV_API_KEY", "ACV_API_URL")}
    env.update({"ACV_DATA_DIR": str(data_dir), "ACV_EMBEDDER": "fake", "ACV_EMBEDDER_MODEL": "64",
                "ACV_PORT": str(api_port), "ACV_UI_PORT": str(ui_port), "ACV_UP_SKIP_INSTALL": "1",
                "ACV_UP_CMD": f"{sys.executable} -m cli", "ACV_UP_PYTHON": sys.executable,
                "ACV_INGEST_WORKERS": "1", "PYTHONPATH": str(ROOT), marker: "1", "ACV_UP_CORPUS": str(corpus)})
    out = tmp_path / "up.out"
    proc = subprocess.Popen(["bash", "scripts/up.sh"], cwd=ROOT, env=env, stdout=out.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    info = {"api": f"http://127.0.0.1:{api_port}", "ui": f"http://127.0.0.1:{ui_port}", "data_dir": data_dir,
            "out": out, "proc": proc, "marker": marker, "files": files}
    try:
        yield info
    finally:
        if proc.poll() is None:  # the test failed before stopping it
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                _stop_group(proc.pid)


class Walk:
    """The browser, the screenshots and the English check of every page seen."""

    def __init__(self, driver, ui: str) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver, self.ui = driver, ui
        self.wait = WebDriverWait(driver, 90)
        self.shots: list[Path] = []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob("*.png"):
            old.unlink()

    def text(self) -> str:
        """What a reader sees: the page's rendered text without Material icon names (« upload », « search »)."""
        return self.driver.execute_script(
            "const b = document.body.cloneNode(true);"
            "b.querySelectorAll('[data-testid=stIconMaterial], style, script').forEach(e => e.remove());"
            "document.documentElement.appendChild(b); b.style.position = 'absolute'; b.style.left = '-99999px';"
            "const t = b.innerText; b.remove(); return t;")

    def main_text(self) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, "[data-testid='stMain']").text

    def until_text(self, text: str, where: str = "[data-testid='stMain']") -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        self.wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, where), text))

    def settle(self) -> None:
        """Streamlit has stopped running the script and the last deltas are painted."""
        from selenium.webdriver.common.by import By

        time.sleep(0.5)
        self.wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget'] button"))
        time.sleep(1.0)

    def shot(self, name: str) -> None:
        path = ARTIFACTS / f"{len(self.shots) + 1:02d}-{name}.png"
        self.driver.execute_script("window.scrollTo(0, 0)")
        assert self.driver.save_screenshot(str(path))
        self.shots.append(path)
        english = [w for w in ENGLISH if w in self.text()]
        assert english == [], f"{name}: English on the page: {english}"

    def open(self, path: str) -> None:
        self.driver.get(self.ui + path)


def _api_json(url: str) -> dict:
    status, body = _get(url, 60)
    assert status == 200, (url, status, body[:300])
    return json.loads(body)


def test_newcomer_path_in_chromium(up, browser) -> None:  # noqa: F811 - the fixture imported above
    from cli.ports import port_is_free

    try:
        _walk(up, browser)
    except Exception:
        browser.save_screenshot(str(ARTIFACTS / "echec.png"))
        raise
    # Ctrl-C (SIGINT to the terminal's foreground group): everything stops, nothing keeps listening
    proc = up["proc"]
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=40) == 130
    assert _marked(up["marker"]) == []
    for url in (up["api"], up["ui"]):
        assert port_is_free("127.0.0.1", int(url.rsplit(":", 1)[1]))
    assert up["out"].read_text(encoding="utf-8").rstrip().endswith("Tout est arrêté.")


def _walk(up: dict, driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    walk = Walk(driver, up["ui"])
    store = up["data_dir"] / "acv.sqlite3"

    # 1. start: the interface answers while the corpus is still being indexed
    deadline = time.monotonic() + 120
    while _get(f"{up['ui']}/_stcore/health")[0] != 200:
        assert up["proc"].poll() is None, up["out"].read_text()
        assert time.monotonic() < deadline, up["out"].read_text()
        time.sleep(0.3)
    walk.open("/")
    box_css = "input[aria-label='Rechercher dans les documents du programme']"
    walk.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, box_css))
    assert driver.current_url.startswith(up["ui"] + "/recherche")  # « / » forwards to the page's own address
    walk.settle()
    walk.shot("demarrage")

    # 2. a first search during the ingest: the results say they are partial, above the results
    before = read_progress(store)
    assert before is not None and before.running, before  # the corpus takes longer than the start
    box = driver.find_element(By.CSS_SELECTOR, box_css)
    box.send_keys("vacance commerciale", Keys.ENTER)
    walk.until_text("rapproché")
    walk.settle()
    after = read_progress(store)
    main = walk.main_text()
    if after is not None and after.running:  # running before and after: it ran while the page searched
        assert NOTICE_START in main and "fichiers) : ces résultats ne portent que sur les documents déjà " \
                                        "indexés et peuvent changer." in main
        assert main.index(NOTICE_START) < main.index("rapproché")
    walk.shot("premiere-recherche-pendant-l-indexation")
    api = _api_json(f"{up['api']}/search?q=vacance+commerciale&k=5")
    assert set(api) >= {"total_documents", "total_passages", "indexing"}

    # 3. follow the search, within the first minute (the ingest may still run): no key asked, the local
    #    administrator key is used
    during = {"follow": read_progress(store).running}
    walk.open("/recherche?q=" + quote_plus("vacance commerciale"))
    walk.until_text("rapproché")
    walk.settle()
    follow = driver.find_element(By.XPATH, "//summary[.//*[contains(text(), 'Suivre cette recherche')]]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", follow)
    follow.click()
    walk.until_text("Clé d'administration locale utilisée automatiquement.")
    assert not driver.find_elements(By.CSS_SELECTOR, "input[aria-label=\"Clé d'API\"]")
    button = driver.find_element(By.XPATH, "//button[.//*[contains(text(), 'Enregistrer et obtenir le flux')]]")
    button.click()
    walk.until_text("Recherche « vacance commerciale » enregistrée")
    walk.settle()
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});",
                          driver.find_element(By.XPATH, "//*[contains(text(), 'enregistrée')]"))
    time.sleep(0.5)
    path = ARTIFACTS / f"{len(walk.shots) + 1:02d}-suivre-la-recherche.png"
    driver.save_screenshot(str(path))
    walk.shots.append(path)
    saved = json.loads(_get(f"{up['api']}/saved-searches")[1])
    assert [s["query"] for s in saved] == ["vacance commerciale"]

    # wait for the ingest to end (the upload and the shared links below need the whole corpus: an upload waits for the first ingest's writes)
    print(f"during the first ingest: {during}")
    deadline = time.monotonic() + 240
    while f"Indexation terminée : {up['files']} fichiers" not in up["out"].read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, up["out"].read_text(encoding="utf-8")
        time.sleep(1)

    # 4. add a file: no key asked either
    upload = up["data_dir"].parent / "communique-morlaix-boutique.md"
    upload.write_text(UPLOAD, encoding="utf-8")
    walk.open("/ajouter")
    walk.until_text("Clé d'administration locale utilisée automatiquement.")
    walk.settle()
    walk.shot("ajouter-un-document")
    driver.find_element(By.CSS_SELECTOR, "input[type='file']").send_keys(str(upload))
    walk.until_text(f"{len(UPLOAD.encode())}.0 o")  # the chosen file's size, in French units
    driver.find_element(By.XPATH, "//button[.//*[contains(text(), 'Ajouter le document')]]").click()
    walk.until_text("Métadonnées extraites")
    walk.settle()
    assert "Morlaix ouvre une boutique à l'essai rue d'Aiguillon" in walk.main_text()
    walk.shot("document-ajoute")

    # 5. shared links, opened cold in a new window: a search with its filters, a document at a page, a town
    agen = _api_json(f"{up['api']}/search?q=vacance+commerciale&city=47001&k=1")["results"][0]
    driver.switch_to.new_window("window")
    walk.open("/recherche?q=" + quote_plus("vacance commerciale") + "&city=47001&doc_type=convention")
    walk.until_text("rapproché")
    walk.settle()
    main = walk.main_text()
    assert "Agen" in main and "Convention" in main
    sidebar = driver.find_element(By.CSS_SELECTOR, "[data-testid='stSidebar']").text
    assert "Agen" in sidebar and "Convention" in sidebar  # the filters of the link are chosen
    walk.shot("lien-partage-recherche")

    hits = _api_json(f"{up['api']}/search?q=vacance+commerciale&type=convention&k=20")["results"]
    page_hit = next(r for r in hits if (r["page"] or 0) > 1)  # a page other than the first, open by default
    driver.switch_to.new_window("window")
    walk.open(f"/document?doc={page_hit['doc_id']}&page={page_hit['page']}")
    walk.until_text("Texte du document")
    walk.settle()
    opened = [e.text.splitlines()[-1] for e in driver.find_elements(By.CSS_SELECTOR, "details[open] summary")]
    assert opened == [f"Page {page_hit['page']}"], opened
    walk.shot("lien-partage-document")

    driver.switch_to.new_window("window")
    walk.open("/ville?insee=47001")
    walk.until_text("Documents par axe")
    walk.settle()
    assert walk.main_text().startswith("Agen") or "\nAgen\n" in walk.main_text()
    walk.shot("lien-partage-ville")

    walk.open("/carte")
    walk.until_text("Carte des villes Action cœur de ville")
    walk.settle()
    walk.shot("carte")

    driver.switch_to.new_window("window")
    walk.open("/page-inconnue")
    walk.until_text("Page introuvable", "body")
    walk.settle()
    walk.shot("page-introuvable")
    assert agen["cities"][0]["insee"] == "47001"
    assert len(walk.shots) == 10

"""End to end: `streamlit run ui/app.py` driven in Debian's headless Chromium with Selenium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_first_run import _ports
from tests.test_ui import AGEN, EPINAL, QUIMPER, ingest_fixtures

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT_COPY = ROOT / "tests" / "artifacts" / "acv-ui.png"  # git-ignored; CI keeps tests/artifacts/

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return ("Chromium absent : installez les paquets Debian « chromium » et « chromium-driver » "
                "(apt-get install -y chromium chromium-driver).")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "Selenium n'est pas installé dans l'environnement (pip install selenium)."
    return None


@pytest.fixture
def streamlit_app(tmp_path: Path):
    """The UI served by a real Streamlit process on a temporary knowledge base."""
    data_dir = tmp_path / "var"
    ingest_fixtures(data_dir)
    (port,) = _ports(1)
    env = {**os.environ, "ACV_DATA_DIR": str(data_dir), "ACV_EMBEDDER": "fake", "ACV_EMBEDDER_MODEL": "64",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("ACV_API_URL", None)
    log = (tmp_path / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Streamlit did not start:\n" + (tmp_path / "streamlit.log").read_text())
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def browser(tmp_path: Path):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,1100", "--lang=fr-FR"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def test_search_filter_and_screenshot_in_chromium(streamlit_app: str, browser, tmp_path: Path) -> None:
    try:
        _search_and_filter(streamlit_app, browser, tmp_path)
    except Exception:
        browser.save_screenshot(str(tmp_path / "failure.png"))
        SCREENSHOT_COPY.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "failure.png", SCREENSHOT_COPY.with_name("acv-ui-failure.png"))
        raise


def _search_and_filter(streamlit_app: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 60)
    browser.get(streamlit_app)
    box = wait.until(ec.element_to_be_clickable(
        (By.CSS_SELECTOR, "input[aria-label='Rechercher dans les documents du programme']")))
    box.send_keys("vacance commerciale", Keys.ENTER)
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid='stMain']"),
                                                "documents rapprochés de la recherche"))
    for title in (AGEN, QUIMPER, EPINAL):  # the cards arrive after the count: wait for each one to be painted
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid='stMain']"), title))

    # Filter on the town of Agen in the sidebar.
    def town_filter(driver):
        for m in driver.find_elements(By.CSS_SELECTOR, "[data-testid='stSidebar'] [data-testid='stMultiSelect']"):
            if (m.get_attribute("innerText") or "").startswith("Ville"):
                return m
        return False

    town = wait.until(town_filter)
    field = town.find_element(By.TAG_NAME, "input")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", field)
    field.click()
    field.send_keys("Agen")
    wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[role='option']")))
    listed = browser.find_element(By.CSS_SELECTOR, "[role='listbox']").text
    assert "Agen (1)" in listed and "Select" not in listed  # no « Select all » / « Select N matches »
    field.send_keys(Keys.ENTER)  # choose the highlighted option, "Agen (1)"
    field.send_keys(Keys.ESCAPE)  # close the drop-down
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid='stMain']"),
                                                "1 document rapproché de la recherche"))
    time.sleep(1.0)  # let the last delta paint before the screenshot
    main = browser.find_element(By.CSS_SELECTOR, "[data-testid='stMain']").text
    assert AGEN in main
    assert QUIMPER not in main and EPINAL not in main
    assert "Agen · 12/03/2019 · Communiqué" in main
    assert "Projets comparables" in main and "Exporter en CSV" in main
    assert "city=47001" in browser.current_url and "q=vacance+commerciale" in browser.current_url

    shot = tmp_path / "acv-ui.png"
    assert browser.save_screenshot(str(shot))
    SCREENSHOT_COPY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, SCREENSHOT_COPY)
    assert shot.stat().st_size > 10_000

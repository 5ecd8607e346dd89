"""The meetings list in a real browser: Debian's headless Chromium driven by Selenium.

Skipped (with the reason) where chromium or chromedriver is missing; `.ci/run` installs
both, so CI always runs it.
"""

import shutil
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    # An explicit driver path: Selenium Manager never tries to download one.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def facet_counts(driver, name):
    from selenium.webdriver.common.by import By

    counts = {}
    for link in driver.find_elements(By.CSS_SELECTOR, f'[data-facet="{name}"] a'):
        counts[link.get_attribute("data-value")] = int(
            link.find_element(By.CSS_SELECTOR, ".count").text
        )
    return counts


def click_facet(driver, name, value):
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, f'[data-facet="{name}"] a[data-value="{value}"]').click()


def test_filter_open_and_export(browser, live_server, small_corpus):
    from selenium.webdriver.common.by import By

    browser.get(f"{live_server.url}/meetings/")
    assert browser.find_element(By.ID, "result-count").text == "5"
    assert facet_counts(browser, "year") == {"1929": 3, "1930": 1, "1935": 1}

    click_facet(browser, "campaign", "purge-1929")
    assert "campaign=purge-1929" in browser.current_url
    assert browser.find_element(By.ID, "result-count").text == "4"
    assert facet_counts(browser, "cell") == {"forge": 1, "tractor": 3}

    click_facet(browser, "cell", "tractor")
    assert browser.find_element(By.ID, "result-count").text == "3"
    # The year facet now shows where the purge meetings of the tractor shop fall.
    assert facet_counts(browser, "year") == {"1929": 2, "1930": 1}
    rows = browser.find_elements(By.CSS_SELECTOR, "table.meetings tbody tr")
    assert len(rows) == 3

    # Open a meeting from the filtered list.
    rows[0].find_element(By.CSS_SELECTOR, "a").click()
    assert "/meetings/" in browser.current_url
    citation = browser.find_element(By.ID, "citation-1").text
    assert citation.startswith("TsGAIPD, f. 1012, op. 1, d. 268")

    # Back to the list and download its CSV by clicking the link, as a historian would.
    browser.back()
    link = browser.find_element(By.ID, "export-csv")
    assert "campaign=purge-1929" in link.get_attribute("href")
    downloads = tempfile.mkdtemp(prefix="downloads-")
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads}
    )
    link.click()
    target = Path(downloads) / "meetings.csv"
    for _ in range(100):
        if target.exists() and target.stat().st_size:
            break
        time.sleep(0.1)
    body = target.read_text(encoding="utf-8-sig")
    shutil.rmtree(downloads, ignore_errors=True)
    lines = body.strip().splitlines()
    assert lines[0].startswith("id,url,date")
    assert len(lines) == 1 + 3  # header and the three meetings the list showed

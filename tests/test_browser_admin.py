"""The admin under the site's Content-Security-Policy, in headless Chromium: its scripts,
the autocomplete (select2 asking the server) and the import page work, and the browser
reports no policy violation. Skipped like tests/test_browser.py without Chromium."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests import factories as f
from tests.test_browser import browser  # noqa: F401 - the shared headless Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script: records every violation the browser reports.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def violations(driver) -> list[str]:
    return driver.execute_script("return window.__violations || ['(recorder missing)'];")


def test_admin_works_under_the_policy(browser, live_server):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    get_user_model().objects.create_superuser("archivist", "a@example.org", "right-one-9")
    f.CellFactory(name="tractor shop", slug="tractor")
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    browser.get(f"{live_server.url}/admin/login/?next=/admin/meetings/meeting/add/")
    browser.find_element(By.NAME, "username").send_keys("archivist")
    browser.find_element(By.NAME, "password").send_keys("right-one-9", Keys.ENTER)
    WebDriverWait(browser, 10).until(ec.url_contains("/meeting/add/"))
    assert violations(browser) == []

    # The cell autocomplete: select2 (a script file) asks the admin for choices (XHR).
    browser.find_element(By.CSS_SELECTOR, "#id_cell + .select2 .select2-selection").click()
    search = browser.find_element(By.CSS_SELECTOR, ".select2-search__field")
    search.send_keys("tract")
    WebDriverWait(browser, 10).until(
        lambda d: any(
            "tractor" in o.text
            for o in d.find_elements(By.CSS_SELECTOR, ".select2-results__option")
        )
    )
    # Inline formsets' "add another" links are drawn by the admin's script.
    assert browser.find_elements(By.CSS_SELECTOR, ".add-row a")
    assert violations(browser) == []

    browser.get(f"{live_server.url}/admin/meetings/meeting/import/")
    assert browser.find_element(By.NAME, "files")
    assert violations(browser) == []

    browser.get(f"{live_server.url}/meetings/")
    assert violations(browser) == []

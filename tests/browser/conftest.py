"""Debian's Chromium, driven through Playwright's sync API, for every app's browser tests.

`playwright install` cannot download browsers here, so the system Chromium is used. Without it
the browser tests are skipped on a developer's machine but fail in CI (CI=true), where a
missing browser would otherwise hide every browser test.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Milliseconds Playwright waits for an element or a navigation before failing the test.
TIMEOUT_MS = 10_000
PHONE = {"width": 375, "height": 740}


def open_page(browser, url, *, viewport=PHONE, javascript=True, scheme="light", **options):
    """`url` in a context of its own: a phone by default, light scheme, scripting on."""
    context = browser.new_context(
        viewport=viewport,
        locale="de-DE",
        color_scheme=scheme,
        java_script_enabled=javascript,
        **options,
    )
    page = context.new_page()
    page.goto(url)
    return page


def serious_violations(page) -> list:
    """axe's serious and critical findings on the page, as a readable report (empty: none)."""
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    return serious and results.generate_report()


@pytest.fixture
def human_speed_is_fine(settings):
    """The browser fills the form faster than a person; the robot checks have their own tests."""
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture
def page(browser):
    """A fresh page in its own browser context (no cookies or storage from other tests)."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()

"""What only a browser shows of the article page: scrolling, highlighting, layout, accessibility."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from reports.models import Report, Section
from reports.seed import import_report, read_seed_file
from tests.conftest import SEED_PATH

pytestmark = pytest.mark.browser

TOC = "nav.toc"
TOC_LINKS = "nav.toc a[href^='#']"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def report_url(transactional_db, live_server) -> str:
    import_report(read_seed_file(SEED_PATH))
    return live_server.url + Report.objects.get().get_absolute_url()


def test_contents_take_the_reader_to_each_section(page, report_url):
    page.goto(report_url)
    links = page.locator(TOC_LINKS)
    assert links.count() == 18  # 17 headings and the discussion
    for index in range(links.count()):
        link = links.nth(index)
        anchor = link.get_attribute("href")[1:]
        link.click()
        expect(page).to_have_url(f"{report_url}#{anchor}")
        expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()


def test_current_section_is_highlighted_after_scrolling(page, report_url):
    page.goto(report_url)
    current = page.locator(f"{TOC_LINKS}[aria-current='true']")
    for anchor in ("s-agent-safety", "s-looking-ahead-to-2027", "s-successes"):
        page.locator(f"[id='{anchor}']").evaluate("heading => heading.scrollIntoView()")
        expect(current).to_have_count(1)
        expect(current).to_have_attribute("href", f"#{anchor}")
    page.evaluate("window.scrollTo(0, 0)")
    expect(current).to_have_attribute("href", "#s-the-state-of-alignment-research")


def test_every_heading_shows_its_permalink_on_hover_and_focus(page, report_url):
    page.goto(report_url)
    permalinks = page.locator("article :is(h2, h3)[id] > a[href^='#']")
    assert permalinks.count() == 17
    for index in range(permalinks.count()):
        permalink = permalinks.nth(index)
        expect(permalink).to_have_css("opacity", "0")
        permalink.locator("xpath=..").hover()
        expect(permalink).to_have_css("opacity", "1")
        page.mouse.move(0, 0)
        expect(permalink).to_have_css("opacity", "0")
        permalink.focus()
        expect(permalink).to_have_css("opacity", "1")


def test_no_sideways_scrolling_on_a_phone(browser, report_url):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(report_url)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= PHONE["width"]
        # On a phone the contents come before the text, not beside it.
        toc = page.locator(TOC).bounding_box()
        first_heading = page.locator("article h2[id]").nth(1).bounding_box()
        assert toc["y"] + toc["height"] <= first_heading["y"]
    finally:
        context.close()


def test_contents_stay_beside_the_text_on_wide_screens(page, report_url):
    page.goto(report_url)
    toc = page.locator(TOC).bounding_box()
    text = page.locator("article section p").first.bounding_box()
    assert toc["x"] + toc["width"] <= text["x"] or text["x"] + text["width"] <= toc["x"]
    page.locator("[id='s-conclusion']").scroll_into_view_if_needed()
    expect(page.locator(TOC_LINKS).first).to_be_in_viewport()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["wide", "phone"])
def test_no_serious_accessibility_violations(browser, report_url, viewport):
    context = browser.new_context(viewport=viewport, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(report_url)
        results = Axe().run(page)
    finally:
        context.close()
    serious = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, results.generate_report()


def test_page_works_without_javascript(browser, report_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(report_url)
        link = page.locator(f"{TOC_LINKS}[href='#s-international-coordination']")
        link.click()
        expect(page).to_have_url(f"{report_url}#s-international-coordination")
        expect(page.locator("[id='s-international-coordination']")).to_be_in_viewport()
        assert page.locator("[aria-current]").count() == 0  # the script did not run
        # "Link kopieren" needs the script: without it only the "#" link shows.
        heading = page.locator("[id='s-international-coordination']")
        heading.hover()
        expect(heading.locator(".permalink")).to_be_visible()
        expect(heading.locator(".copy-link")).to_be_hidden()
    finally:
        context.close()


def test_no_request_leaves_the_site(page, report_url, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(report_url, wait_until="networkidle")
    page.keyboard.press("End")
    page.wait_for_load_state("networkidle")

    site = urlsplit(live_server.url).netloc
    assert any(url.endswith(".css") for url in requested)
    assert any(url.endswith(".js") for url in requested)
    elsewhere = [
        url
        for url in requested
        if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != site
    ]
    assert elsewhere == []


def test_a_link_shared_before_the_s_prefix_still_reaches_its_section(page, report_url):
    Section.objects.filter(anchor="agent-safety").update(legacy_anchor="agent-safety")
    page.goto(f"{report_url}#agent-safety")
    expect(page.locator("[id='s-agent-safety']")).to_be_in_viewport()

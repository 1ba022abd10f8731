"""The article as readers see it on every screen: one centred grid, contents that follow the
reader, quick links on phones, copyable section links, dark mode, and a discussion in pages.

Screenshots at 375, 768, 1440 and 1920 px (light and dark) are kept as test artefacts in
var/screenshots/ (git-ignored), to look at after a run.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment
from reports.models import Report
from reports.seed import import_report, read_seed_file
from tests.browser.conftest import PHONE, open_page, serious_violations
from tests.comments.conftest import CommentFactory
from tests.conftest import SEED_PATH

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = (320, 375, 768, 1024, 1440, 1920, 2560)
TOP_LEVEL = "nav.toc .toc-section > a"


@pytest.fixture
def report(transactional_db):
    import_report(read_seed_file(SEED_PATH))
    report = Report.objects.get()
    start = timezone.now() - datetime.timedelta(days=2)
    comments = []
    for number in range(31):
        parent = comments[number // 3] if number >= 3 and number % 2 else None
        comments.append(
            CommentFactory(
                report=report,
                parent=parent,
                created_at=start + datetime.timedelta(minutes=number),
                author_name=f"Leserin {number}",
                text=f"Kommentar {number}: ein Gedanke zum Bericht, so lang wie ein echter.",
            )
        )
    return report


@pytest.fixture
def report_url(live_server, report) -> str:
    return live_server.url + report.get_absolute_url()


@pytest.fixture
def ten_threads_per_page(settings):
    """The 31 comments' 17 threads make two pages: page 2 is a real page, not "not found"."""
    settings.COMMENTS_PER_PAGE = 10


@pytest.mark.parametrize("width", [375, 768, 1440, 1920])
def test_screenshots_for_review(browser, report_url, width, ten_threads_per_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page = open_page(
            browser, report_url, viewport={"width": width, "height": 900}, scheme=scheme
        )
        try:
            page.screenshot(path=SCREENSHOTS / f"article-{width}-{scheme}.png")
            page.locator("#kommentare").scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOTS / f"comments-{width}-{scheme}.png")
            assert page.goto(report_url + "kommentare/seite-2/#kommentare").status == 200
            page.screenshot(path=SCREENSHOTS / f"comments-page-2-{width}-{scheme}.png")
        finally:
            page.context.close()
    assert (SCREENSHOTS / f"comments-{width}-dark.png").stat().st_size > 0
    assert (SCREENSHOTS / f"comments-page-2-{width}-dark.png").stat().st_size > 0


@pytest.mark.parametrize("width", [1440, 1920])
def test_header_content_and_footer_share_one_centred_grid(browser, report_url, width):
    page = open_page(browser, report_url, viewport={"width": width, "height": 900})
    try:
        boxes = [
            page.locator(selector).bounding_box()
            for selector in (".site-header .page-grid", "main", ".site-footer .page-grid")
        ]
        site_name = page.locator(".site-name").bounding_box()
        toc = page.locator("nav.toc").bounding_box()
        text = page.locator("article .report-lead").bounding_box()
    finally:
        page.context.close()
    for box in boxes:
        assert box["x"] == pytest.approx(boxes[0]["x"], abs=1)
        assert box["width"] == pytest.approx(boxes[0]["width"], abs=1)
        right_gap = width - (box["x"] + box["width"])
        assert box["x"] == pytest.approx(right_gap, abs=3)  # centred
    # What is inside lines up with the grid: the site name over the contents, the text
    # ending at the grid's right edge.
    assert site_name["x"] == pytest.approx(boxes[0]["x"], abs=1)
    assert toc["x"] == pytest.approx(boxes[0]["x"], abs=1)
    assert text["x"] + text["width"] == pytest.approx(boxes[0]["x"] + boxes[0]["width"], abs=2)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scrolling_at_any_width(browser, report_url, width, ten_threads_per_page):
    page = open_page(browser, report_url, viewport={"width": width, "height": 800})
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.goto(report_url + "kommentare/seite-2/").status == 200
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.context.close()


def test_h2_outranks_h3(page, report_url):
    page.goto(report_url)
    h2 = page.locator("article h2#s-emerging-safety-challenges")
    h3 = page.locator("article h3#s-agent-safety")

    def style(locator, name):
        return locator.evaluate(f"e => getComputedStyle(e).{name}")

    assert float(style(h2, "fontSize")[:-2]) >= 1.3 * float(style(h3, "fontSize")[:-2])
    assert int(style(h2, "fontWeight")) > int(style(h3, "fontWeight"))
    # A rule between the parts of the report.
    section = page.locator("section.report-section:has(> h2#s-emerging-safety-challenges)")
    assert section.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"


def test_the_clicked_contents_entry_is_the_one_highlighted(page, report_url):
    """Clicking a part's entry used to highlight its first subsection instead."""
    page.goto(report_url)
    current = page.locator("nav.toc a[aria-current='true']")
    entries = page.locator(TOP_LEVEL)
    assert entries.count() == 7  # six parts and "Kommentare (31)"
    for index in range(entries.count()):
        entry = entries.nth(index)
        entry.click()
        expect(current).to_have_count(1)
        expect(current).to_have_attribute("href", entry.get_attribute("href"))


def test_a_subsection_marks_its_part_too(page, report_url):
    page.goto(report_url)
    page.locator("nav.toc a[href='#s-agent-safety']").click()
    expect(page.locator("nav.toc a[aria-current='true']")).to_have_attribute(
        "href", "#s-agent-safety"
    )
    expect(page.locator("nav.toc a.is-current-parent")).to_have_attribute(
        "href", "#s-emerging-safety-challenges"
    )
    # Sections and subsections look different.
    part = page.locator("nav.toc a[href='#s-regulatory-progress']")
    sub = page.locator("nav.toc a[href='#s-eu-ai-act-implementation']")
    assert part.evaluate("e => getComputedStyle(e).fontWeight") != sub.evaluate(
        "e => getComputedStyle(e).fontWeight"
    )


def test_header_and_contents_lead_to_the_discussion(page, report_url):
    page.goto(report_url)
    expect(page.locator("nav.toc .toc-section").last).to_have_text("Kommentare (31)")
    page.locator(".report-meta a", has_text="31 Kommentare").click()
    expect(page).to_have_url(report_url + "#kommentare")
    expect(page.locator(".comments-title")).to_be_in_viewport()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_contents_collapsed_on_phones_open_on_desktop(browser, report_url, javascript):
    page = open_page(browser, report_url, javascript=javascript)
    try:
        entry = page.locator("nav.toc a[href='#s-agent-safety']")
        expect(entry).to_be_hidden()
        lead = page.locator(".report-lead").bounding_box()
        assert lead["y"] < PHONE["height"]  # the lead starts on the first screen
        page.locator("summary", has_text="Inhalt").click()
        expect(entry).to_be_visible()
        entry.click()
        expect(page.locator("[id='s-agent-safety']")).to_be_in_viewport()

        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(report_url)
        expect(page.locator("nav.toc a[href='#s-agent-safety']")).to_be_visible()
        expect(page.locator(".toc-summary")).to_be_hidden()
    finally:
        page.context.close()


def test_quick_links_on_phones(browser, report_url):
    page = open_page(browser, report_url, is_mobile=True, has_touch=True)
    try:
        quick = page.locator("nav.float-nav")
        expect(quick).to_be_hidden()
        page.mouse.wheel(0, 2500)  # reading on: out of the way
        page.wait_for_timeout(200)
        expect(quick).to_be_hidden()
        page.mouse.wheel(0, -300)  # scrolling back up: the way back appears
        expect(quick).to_be_visible()
        page.screenshot(path=SCREENSHOTS / "quick-links-375.png")

        page.locator("#kommentarformular").scroll_into_view_if_needed()
        page.mouse.wheel(0, -50)
        page.wait_for_timeout(200)
        expect(quick).to_be_hidden()  # never over the comment form

        page.mouse.wheel(0, -1500)
        expect(quick).to_be_visible()
        quick.get_by_role("link", name="Inhalt").click()
        expect(page.locator("nav.toc a[href='#s-agent-safety']")).to_be_in_viewport()
        expect(quick).to_be_hidden()  # never over the contents

        page.mouse.wheel(0, 3000)
        page.mouse.wheel(0, -300)
        quick.get_by_role("link", name="Nach oben").click()
        page.wait_for_function("window.scrollY === 0")
    finally:
        page.context.close()


def test_quick_links_never_cover_the_last_line_or_the_text_being_read(browser, report_url):
    page = open_page(browser, report_url, is_mobile=True, has_touch=True)
    try:
        quick = page.locator("nav.float-nav")
        page.mouse.wheel(0, 2500)
        page.wait_for_timeout(200)
        page.mouse.wheel(0, -300)
        expect(quick).to_be_visible()
        links = quick.bounding_box()
        # The reader stops scrolling to read: the links step aside after a few seconds.
        expect(quick).to_be_hidden(timeout=5_000)
        # At the end of the page the last line keeps clear of the links' corner.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(200)
        last_line = page.locator(".site-footer .page-grid > :last-child").bounding_box()
        assert last_line["y"] + last_line["height"] <= links["y"]
        page.screenshot(path=SCREENSHOTS / "page-end-375.png")
    finally:
        page.context.close()


def test_copy_link_copies_the_section_address_and_says_so(browser, report_url):
    page = open_page(browser, report_url, viewport={"width": 1280, "height": 800})
    try:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        heading = page.locator("h3#s-agent-safety")
        heading.scroll_into_view_if_needed()
        heading.hover()
        button = heading.locator("button.copy-link")
        expect(button).to_have_text("Link kopieren")
        expect(button).to_have_css("opacity", "1")
        button.click()
        expect(page.get_by_role("status")).to_have_text("Link kopiert")
        expect(button).to_have_text("Link kopiert")
        assert page.evaluate("navigator.clipboard.readText()") == report_url + "#s-agent-safety"
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["wide", "phone"])
def test_both_colour_schemes_pass_axe(browser, report_url, scheme, viewport, ten_threads_per_page):
    page = open_page(browser, report_url, viewport=viewport, scheme=scheme)
    try:
        background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert (background == "rgb(255, 255, 255)") == (scheme == "light")
        if viewport is PHONE:
            page.locator(".toc-summary").click()  # the open contents are checked too
        assert not serious_violations(page)
        assert page.goto(report_url + "kommentare/seite-2/").status == 200
        assert not serious_violations(page)
    finally:
        page.context.close()


def test_english_text_is_hyphenated(page, report_url):
    page.goto(report_url)
    paragraph = page.locator("article .report-lead p").first
    assert paragraph.evaluate("e => e.closest('[lang]').lang") == "en"
    assert paragraph.evaluate("e => getComputedStyle(e).hyphens") == "auto"


def test_permalinks_land_on_the_page_holding_the_comment(page, live_server, report, settings):
    settings.COMMENTS_PER_PAGE = 10
    late = Comment.objects.approved().filter(parent=None).order_by("created_at").last()
    page.goto(live_server.url + late.get_absolute_url())
    expect(page).to_have_url(
        f"{live_server.url}{report.get_absolute_url()}kommentare/seite-2/#c{late.pk}"
    )
    expect(page.locator(f"#c{late.pk}")).to_be_in_viewport()

    page.get_by_role("link", name="Ältere Kommentare").first.click()
    expect(page).to_have_url(f"{live_server.url}{report.get_absolute_url()}#kommentare")
    first = Comment.objects.order_by("created_at").first()
    expect(page.locator(f"#c{first.pk}")).to_be_visible()
    page.get_by_role("link", name="Neuere Kommentare").first.click()
    expect(page.locator(f"#c{late.pk}")).to_be_visible()


def test_reloading_a_form_with_errors_is_no_dead_end(page, report_url):
    page.goto(report_url)
    page.get_by_label("Kommentar *", exact=True).fill("Ohne Namen.")
    page.get_by_role("button", name="Kommentar abschicken").click()
    expect(page.locator(".form-errors")).to_be_visible()
    address = page.url
    assert address.endswith("/kommentieren/#kommentarformular")

    shared = page.context.new_page()  # the address opened anew, as a shared link does (was 405)
    response = shared.goto(address)
    assert response.status == 200
    expect(shared).to_have_url(report_url + "#kommentarformular")
    expect(shared.locator("#kommentarformular")).to_be_in_viewport()


def test_a_form_with_errors_from_page_two_comes_back_on_page_two(
    page, live_server, report, settings
):
    settings.COMMENTS_PER_PAGE = 10
    page_two = f"{live_server.url}{report.get_absolute_url()}kommentare/seite-2/"
    page.goto(page_two)
    page.get_by_label("Kommentar *", exact=True).fill("Ohne Namen, von Seite 2.")
    page.get_by_role("button", name="Kommentar abschicken").click()
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.locator(".page-current").first).to_have_text("2")
    expect(page.get_by_label("Kommentar *", exact=True)).to_have_value("Ohne Namen, von Seite 2.")
    assert page.url.endswith("/kommentieren/?seite=2#kommentarformular")

    shared = page.context.new_page()  # the address opened anew: back to page 2's form
    shared.goto(page.url)
    expect(shared).to_have_url(page_two + "#kommentarformular")
    expect(shared.locator(".page-current").first).to_have_text("2")


def test_cancel_reply_returns_to_the_reply_link_without_jumping(page, report_url):
    page.goto(report_url)
    reply = page.locator(".comment-reply-link").nth(3)
    reply.scroll_into_view_if_needed()
    reply.click()
    expect(page.get_by_label("Kommentar *", exact=True)).to_be_focused()
    before = page.evaluate("window.scrollY")
    page.get_by_role("link", name="Antwort abbrechen").click()
    expect(reply).to_be_focused()
    expect(reply).to_be_in_viewport()
    assert abs(page.evaluate("window.scrollY") - before) < 200


def test_plain_text_hint_under_the_text_field(page, report_url):
    page.goto(report_url)
    hint = page.locator("#comment-hint")
    expect(hint).to_contain_text("reiner Text")
    expect(hint).to_contain_text("Webadressen werden automatisch verlinkt")
    expect(page.get_by_label("Kommentar *", exact=True)).to_have_attribute(
        "aria-describedby", "comment-hint"
    )


def test_newer_domain_endings_are_linked(page, report, report_url):
    """Needs the linkifier's current list of top-level domains (aireport/sanitizer.py)."""
    comment = CommentFactory(report=report, text="Lesenswert: distill.pub und web.dev")
    page.goto(report_url)
    content = page.locator(f"#c{comment.pk} .comment-content")
    expect(content.locator("a[href*='//distill.pub']")).to_have_text("distill.pub")
    expect(content.locator("a[href*='//web.dev']")).to_have_text("web.dev")

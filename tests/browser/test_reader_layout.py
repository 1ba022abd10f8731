"""What readers noticed on the article (issue 19): the contents beside a long discussion on wide
screens, "Zitieren" that never hides the text it quotes nor the line after it, "Melden" where
"Antworten" is missing, and page titles that look like titles."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import Report
from reports.seed import import_report, read_seed_file
from tests.browser.conftest import open_page
from tests.comments.conftest import CommentFactory
from tests.conftest import SEED_PATH

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 740}
#: A paragraph of the seed report, in "Agent Safety", long enough for several lines.
AGENT_SAFETY = "#s-agent-safety ~ p:not(.section-talk)"


@pytest.fixture
def report(transactional_db):
    import_report(read_seed_file(SEED_PATH))
    report = Report.objects.get()
    start = timezone.now() - datetime.timedelta(days=2)
    for number in range(40):
        CommentFactory(
            report=report,
            created_at=start + datetime.timedelta(minutes=number),
            author_name=f"Leserin {number}",
            text=f"Kommentar {number}: ein Gedanke zum Bericht, so lang wie ein echter. " * 3,
        )
    return report


@pytest.fixture
def report_url(live_server, report) -> str:
    return live_server.url + report.get_absolute_url()


def box(locator) -> dict:
    return locator.bounding_box()


def overlaps(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_contents_stay_beside_the_discussion_to_its_end(browser, report_url, scheme):
    page = open_page(browser, report_url, viewport=DESKTOP, scheme=scheme)
    try:
        contents = page.locator("nav.toc")
        discussion = page.locator("#kommentare")
        # Halfway down the discussion, the contents are in view, left of the comments.
        middle = page.locator(".comment-body").nth(20)
        middle.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, 200)")
        expect(contents).to_be_in_viewport()
        toc, comment = box(contents), box(middle)
        assert toc["x"] + toc["width"] <= comment["x"]
        assert 0 <= toc["y"] < DESKTOP["height"] / 2
        expect(contents.get_by_role("link", name="Kommentare (40)")).to_be_visible()
        # At the very end the contents stop with the discussion, above the footer.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        toc, end = box(contents), box(discussion)
        assert toc["y"] + toc["height"] <= end["y"] + end["height"] + 1
        footer = box(page.locator("footer.site-footer, body > footer").first)
        assert toc["y"] + toc["height"] <= footer["y"]
    finally:
        page.context.close()


def test_on_a_phone_the_discussion_follows_the_article(browser, report_url):
    page = open_page(browser, report_url, viewport=PHONE)
    try:
        article_text = box(page.locator(".report-section").last)
        discussion = box(page.locator("#kommentare"))
        assert discussion["y"] >= article_text["y"] + article_text["height"]
        assert discussion["width"] <= PHONE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        page.context.close()


def select_words(page, selector: str, first_word: int, words: int) -> dict:
    """Select `words` words of the element's text with the mouse, starting at word
    `first_word`; returns the selection's last line's box and the next line's top."""
    page.locator(selector).first.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -150)")
    points = page.evaluate(
        """([selector, firstWord, words]) => {
          const node = [...document.querySelector(selector).childNodes].find(n => n.nodeType === 3);
          const spans = [...node.data.matchAll(/\\S+/g)];
          const range = document.createRange();
          range.setStart(node, spans[firstWord].index);
          range.setEnd(node, spans[firstWord].index + 1);
          const first = range.getBoundingClientRect();
          const last = spans[firstWord + words - 1];
          range.setStart(node, last.index + last[0].length - 1);
          range.setEnd(node, last.index + last[0].length);
          const end = range.getBoundingClientRect();
          const lineHeight = parseFloat(getComputedStyle(node.parentElement).lineHeight);
          return {x1: first.left + 1, y1: first.top + first.height / 2,
                  x2: end.right, y2: end.top + end.height / 2, lineHeight};
        }""",
        [selector, first_word, words],
    )
    page.mouse.move(points["x1"], points["y1"])
    page.mouse.down()
    page.mouse.move(points["x2"], points["y2"], steps=8)
    page.mouse.up()
    return points


SELECTION_RECTS = """() => [...getSelection().getRangeAt(0).getClientRects()]
  .filter(r => r.width > 0).map(r => ({x: r.x, y: r.y, width: r.width, height: r.height}))"""


def assert_clear_of_the_selection(page, button_box, viewport) -> dict:
    """The button covers no selected word and not the line after the selection, and is in
    view; returns that next line's box."""
    selected = page.evaluate(SELECTION_RECTS)
    assert selected
    for rect in selected:
        assert not overlaps(button_box, rect), (button_box, rect)
    # The line after the selection's last one, across the whole paragraph.
    paragraph = box(page.locator(AGENT_SAFETY).first)
    last = max(selected, key=lambda r: r["y"])
    line_height = page.locator(AGENT_SAFETY).first.evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight)"
    )
    next_line = {
        "x": paragraph["x"],
        "y": last["y"] + last["height"],
        "width": paragraph["width"],
        "height": line_height,
    }
    assert not overlaps(button_box, next_line), (button_box, next_line)
    # Fully in view and reachable: the reader can press it.
    assert button_box["y"] >= 0 and button_box["y"] + button_box["height"] <= viewport["height"]
    assert button_box["x"] >= 0 and button_box["x"] + button_box["width"] <= viewport["width"]
    return next_line


@pytest.mark.usefixtures("human_speed_is_fine")
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1440"])
@pytest.mark.parametrize(("first_word", "words"), [(2, 3), (1, 12)], ids=["words", "lines"])
def test_zitieren_covers_neither_the_selection_nor_the_next_line(
    browser, report_url, viewport, first_word, words
):
    page = open_page(browser, report_url, viewport=viewport)
    try:
        select_words(page, AGENT_SAFETY, first_word, words)
        button = page.get_by_role("button", name="Zitieren")
        expect(button).to_be_visible()
        assert_clear_of_the_selection(page, box(button), viewport)
        button.click()
        expect(page.locator("#id_text")).to_have_value(re.compile(r"^> \S"))
    finally:
        page.context.close()


def test_on_a_touch_screen_zitieren_sits_below_the_next_line(browser, report_url):
    """Above a selection a phone shows its own menu (copy, share): there the button goes under
    the line after the selection."""
    page = open_page(browser, report_url, has_touch=True, is_mobile=True)
    try:
        page.locator(AGENT_SAFETY).first.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -150)")
        page.evaluate(
            """selector => {
              const node = [...document.querySelector(selector).childNodes]
                .find(n => n.nodeType === 3);
              getSelection().setBaseAndExtent(node, 3, node, 40);
            }""",
            AGENT_SAFETY,
        )
        button = page.get_by_role("button", name="Zitieren")
        expect(button).to_be_visible()
        next_line = assert_clear_of_the_selection(page, box(button), PHONE)
        assert box(button)["y"] >= next_line["y"] + next_line["height"]
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1440"])
def test_melden_starts_the_line_where_replies_are_closed(browser, live_server, report, viewport):
    Report.objects.filter(pk=report.pk).update(comments_open=False)
    Report.objects.filter(pk=report.pk).mark_page_changed()
    page = open_page(browser, live_server.url + report.get_absolute_url(), viewport=viewport)
    try:
        comment = page.locator(".comment-body").first
        comment.scroll_into_view_if_needed()
        expect(comment.locator(".comment-reply-link")).to_have_count(0)
        report_link = comment.get_by_role("link", name="Melden")
        text = comment.locator(".comment-content p").first
        expect(report_link).to_be_visible()
        assert abs(box(report_link)["x"] - box(text)["x"]) <= 1
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1440"])
def test_a_subscription_pages_title_looks_like_a_title(
    browser, live_server, transactional_db, viewport, scheme
):
    url = live_server.url + reverse("comments:confirm", args=["kaputt"])
    page = open_page(browser, url, viewport=viewport, scheme=scheme)
    try:
        title = page.get_by_role("heading", level=1)
        expect(title).to_have_text("Dieser Link ist ungültig oder abgelaufen")
        body_size = page.locator("p").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        title_size = title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert title_size >= 1.35 * body_size
        assert title.evaluate("e => getComputedStyle(e).display") == "block"
        assert int(title.evaluate("e => getComputedStyle(e).fontWeight")) >= 600
    finally:
        page.context.close()

"""A long discussion's page folds its threads behind "3 Antworten anzeigen": with scripting
the replies open in place, without it the link opens the thread's own page.

Screenshots (375 and 1440 px, light and dark) go to var/screenshots/ (git-ignored)."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from comments.paging import Discussion
from tests.browser.conftest import PHONE, open_page, serious_violations

from .test_reading import SCREENSHOTS, report, report_url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def folded(settings):
    """The 31 comments' 17 threads: ten a page, folded above ten comments."""
    settings.COMMENTS_PER_PAGE = 10
    settings.COMMENTS_FOLD_ABOVE = 10


def first_folded_thread():
    """The oldest thread with replies, and how many replies it holds at every depth."""
    root = Comment.objects.approved().filter(parent=None).order_by("created_at").first()
    discussion = Discussion.for_reader(root.report)
    for root_id in discussion.roots:
        if discussion.thread_sizes[root_id] > 1:
            return Comment.objects.get(pk=root_id), discussion.thread_sizes[root_id] - 1
    raise AssertionError("no thread with replies")


def test_the_replies_open_in_place_with_scripting(browser, report_url):  # noqa: F811
    root, count = first_folded_thread()
    page = open_page(browser, report_url + "#kommentare")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        thread = page.locator(f"#c{root.pk}")
        expect(thread.locator("li.comment")).to_have_count(0)
        thread.get_by_role("link", name=f"{count} Antworten anzeigen").click()

        expect(thread.locator("li.comment")).to_have_count(count)
        expect(thread.locator(".comment-replies-folded")).to_have_count(0)
        assert page.url == report_url + "#kommentare"
        # The first reply takes the focus: the link the reader clicked is gone.
        first_reply = thread.locator("li.comment .comment-body").first
        expect(first_reply).to_be_focused()
        # The opened replies can be answered like any other comment.
        thread.locator("li.comment").first.locator(
            ":scope > .comment-body > .comment-reply-link"
        ).click()
        answered = Comment.objects.filter(parent=root).order_by("created_at").first()
        expect(page.locator(".reply-title-text")).to_have_text(
            f"Antworte auf den Kommentar von {answered.author_name}"
        )
        expect(thread.locator("#kommentarformular")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert errors == []
    finally:
        page.context.close()


def test_without_scripting_the_link_opens_the_threads_page(browser, report_url, report):  # noqa: F811
    root, count = first_folded_thread()
    page = open_page(browser, report_url + "#kommentare", javascript=False)
    try:
        page.locator(f"#c{root.pk}").get_by_role("link", name=f"{count} Antworten anzeigen").click()
        expect(page).to_have_url(f"{report_url}kommentare/antworten/{root.pk}/#c{root.pk}")
        expect(page.locator("h1")).to_have_text(
            f"Kommentar von {root.author_name} mit allen Antworten"
        )
        expect(page.locator(f"#c{root.pk} li.comment")).to_have_count(count)
        page.get_by_role("link", name="Zur ganzen Diskussion").click()
        expect(page).to_have_url(f"{report_url}#c{root.pk}")
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1440])
def test_folded_page_and_thread_page_look_right_and_pass_axe(
    browser,
    report_url,  # noqa: F811
    scheme,
    width,
):
    root, _ = first_folded_thread()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    viewport = {"width": width, "height": 900}
    page = open_page(browser, report_url, viewport=viewport, scheme=scheme)
    try:
        page.locator(f"#c{root.pk}").scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / f"folded-{width}-{scheme}.png")
        assert not serious_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        link = page.locator(f"#c{root.pk} .comment-replies-folded a")
        assert link.bounding_box()["height"] >= 24

        page.goto(f"{report_url}kommentare/antworten/{root.pk}/")
        page.screenshot(path=SCREENSHOTS / f"thread-page-{width}-{scheme}.png")
        assert not serious_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.context.close()

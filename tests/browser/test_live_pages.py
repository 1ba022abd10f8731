"""New comments without reloading on a discussion in pages (issue 22): a new thread lands on
another page than the reader's (the last one, oldest first; the first, newest first), and
"Einen neuen Kommentar anzeigen" shows it in place, once, under "Neu, von Seite 3".

Screenshots (375 and 1440 px, light and dark) go to the folder in SHOTS_DIR, if set."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments import actions
from comments.audit import Via
from comments.models import Comment
from tests.browser.conftest import TIMEOUT_MS, serious_violations
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory

pytestmark = pytest.mark.browser
WIDTHS = (375, 1440)
SHOTS = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else None


@pytest.fixture
def report(transactional_db, settings):
    """Five threads a day ago, two a page: pages 1, 2 and 3 (one thread on the last)."""
    settings.COMMENTS_PER_PAGE = 2
    report = ReportFactory(title="AI Safety Progress", slug="ai-safety")
    start = timezone.now() - datetime.timedelta(days=1)
    for number in range(5):
        CommentFactory(
            report=report,
            author_name=f"Leserin {number}",
            text=f"Alter Faden {number}.",
            created_at=start + datetime.timedelta(hours=number),
        )
    return report


def approve_new(report, text, **fields):
    """Someone else's comment, approved by a moderator elsewhere: through the one path."""
    comment = CommentFactory(
        report=report, status=Comment.Status.PENDING, text=text, author_name="Neue Stimme", **fields
    )
    actions.change_status(
        Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED, user=None, via=Via.IMPORT
    )
    return comment


def open_reader(browser, url, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="de-DE")
    context.set_default_timeout(TIMEOUT_MS)
    reader = context.new_page()
    reader.clock.install()
    errors = []
    reader.on("pageerror", lambda error: errors.append(str(error)))
    reader.goto(url)
    reader.clock.run_for(6000)  # the page loaded, the browser idle: live.js comes
    expect(reader.locator("script[src*='live']")).to_have_count(1)
    return reader, errors


def wait_for_offer(reader, button):
    """Runs the page's clock to the next question to the counter, again while the answer is
    not in yet (on a busy machine live.js may run a moment after its tag is there)."""
    offer = reader.get_by_role("button", name=button)
    for _ in range(20):
        reader.clock.run_for(31000)
        if offer.is_visible():
            break
        reader.wait_for_timeout(250)
    return offer


def load_new(reader, button):
    wait_for_offer(reader, button).click()
    expect(reader.locator(".discussion-live")).to_have_text("Neue Kommentare geladen.")


def shots(reader, name, width):
    if not SHOTS:
        return
    reader.locator(".comments-new-from").first.scroll_into_view_if_needed()
    reader.screenshot(path=SHOTS / f"{name}-{width}-light.png")
    reader.emulate_media(color_scheme="dark")
    reader.screenshot(path=SHOTS / f"{name}-{width}-dark.png")
    reader.emulate_media(color_scheme="light")


@pytest.mark.parametrize("width", WIDTHS)
def test_oldest_first_new_threads_from_the_last_page_appear_on_page_one(
    browser, live_server, report, width, settings
):
    settings.COMMENTS_ORDER = "oldest"
    reader, errors = open_reader(browser, live_server.url + report.get_absolute_url(), width)
    discussion = reader.locator("#kommentare")
    first_thread = Comment.objects.get(text="Alter Faden 0.")

    new = approve_new(report, "Ganz neu auf Seite 3.")
    load_new(reader, "Einen neuen Kommentar anzeigen")
    block = discussion.locator(".comments-new")
    expect(block).to_have_count(1)
    expect(block.get_by_role("heading", level=3)).to_have_text("Neu, von Seite 3")
    expect(block.get_by_role("heading", level=3)).to_be_focused()
    expect(block.get_by_role("link", name="Seite 3")).to_have_attribute(
        "href", re.compile(r"/kommentare/seite-3/#kommentare$")
    )
    expect(reader.locator(f"#c{new.pk}")).to_have_count(1)
    # At the end of page 1's list; the older thread that page 3 already had is not news.
    expect(discussion.locator(":scope > .comment-list + .comments-new")).to_have_count(1)
    expect(discussion).not_to_contain_text("Alter Faden 4.")
    expect(discussion.locator(".comments-title")).to_have_text(
        "6 Kommentare zu „AI Safety Progress“"
    )
    expect(reader.locator(".toc-comments a")).to_have_text("Kommentare (6)")
    expect(reader.locator(".report-meta .comment-count")).to_have_text("6 Kommentare")
    shots(reader, "live-paged-oldest", width)

    # Again: a reply in a thread on page 1 and a thread that opens page 4.
    reply = approve_new(report, "Antwort hier.", parent=first_thread)
    newer = approve_new(report, "Noch neuer, auf Seite 4.")
    load_new(reader, "2 neue Kommentare anzeigen")
    expect(reader.locator(f"#c{first_thread.pk} #c{reply.pk}")).to_have_count(1)
    expect(reader.locator(f"#c{newer.pk}")).to_have_count(1)
    expect(reader.locator(f"#c{new.pk}")).to_have_count(1)
    expect(discussion.locator(".comments-new-from")).to_have_text(
        ["Neu, von Seite 3", "Neu, von Seite 4"]
    )
    expect(discussion.locator(".comments-new").nth(1)).to_contain_text("Noch neuer")
    expect(discussion.locator(".comments-title")).to_have_text(
        "8 Kommentare zu „AI Safety Progress“"
    )
    # The navigation knows page 4 now, above and below the comments.
    expect(discussion.locator(".comments-pagination").get_by_role("link", name="4")).to_have_count(
        2
    )
    assert reader.evaluate("document.documentElement.scrollWidth") <= width
    assert not serious_violations(reader)
    assert not errors
    reader.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_newest_first_new_threads_from_page_one_appear_on_page_two(
    browser, live_server, report, width, settings
):
    settings.COMMENTS_ORDER = "newest"
    url = live_server.url + "/berichte/ai-safety/kommentare/seite-2/#kommentare"
    reader, errors = open_reader(browser, url, width)
    discussion = reader.locator("#kommentare")
    expect(discussion.locator(".comment-list > li")).to_have_count(2)

    new = approve_new(report, "Ganz neu auf Seite 1.")
    load_new(reader, "Einen neuen Kommentar anzeigen")
    # Above page 2's list, which the new thread pushed one thread further (from page 1).
    block = discussion.locator(".comments-new:has(+ .comment-list)")
    expect(block.get_by_role("heading", level=3)).to_have_text("Neu, von Seite 1")
    expect(block.get_by_role("heading", level=3)).to_be_focused()
    expect(block.locator(":scope > .comment-list > li")).to_have_count(1)
    expect(reader.locator(f"#c{new.pk}")).to_have_count(1)
    expect(discussion.locator(":scope > .comment-list > li .comment-content")).to_have_text(
        ["Alter Faden 3.", "Alter Faden 2."]
    )
    expect(discussion).not_to_contain_text("Alter Faden 4.")
    shots(reader, "live-paged-newest", width)

    # Two more push that thread to page 2, which this page now shows itself: it is shown
    # once, in the list, no longer under "Neu".
    for number in range(2):
        approve_new(report, f"Noch neuer {number}.")
    load_new(reader, "2 neue Kommentare anzeigen")
    expect(reader.locator(f"#c{new.pk}")).to_have_count(1)
    expect(discussion.locator(f":scope > .comment-list > #c{new.pk}")).to_have_count(1)
    expect(discussion.locator(".comments-new-from")).to_have_text(["Neu, von Seite 1"])
    expect(discussion.locator(".comments-new .comment-content")).to_have_text(
        ["Noch neuer 1.", "Noch neuer 0."]
    )
    assert not errors
    reader.context.close()


def test_a_discussion_that_only_now_has_pages_gets_its_navigation(
    browser, live_server, report, settings
):
    settings.COMMENTS_PER_PAGE = 5
    reader, errors = open_reader(browser, live_server.url + report.get_absolute_url(), 375)
    discussion = reader.locator("#kommentare")
    expect(discussion.locator(".comments-pagination")).to_have_count(0)

    new = approve_new(report, "Der sechste Faden.")
    load_new(reader, "Einen neuen Kommentar anzeigen")
    expect(reader.locator(f"#c{new.pk}")).to_have_count(1)
    expect(discussion.locator(".comments-new-from")).to_have_text("Neu, von Seite 2")
    # Above the comments, and below them after the new thread.
    navigation = discussion.locator(".comments-pagination")
    expect(navigation).to_have_count(2)
    expect(discussion.locator(".comments-title + .comments-pagination")).to_have_count(1)
    expect(discussion.locator(".comments-new + .comments-pagination")).to_have_count(1)
    expect(navigation.get_by_role("link", name="Neuere Kommentare")).to_have_count(2)
    assert not errors
    reader.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reply_being_written_survives_the_new_comments(
    browser, live_server, report, width, settings
):
    """The reader has opened "Antworten" and typed; loading the new comments keeps the form, its
    text and its place under the comment (the fetched page's copy of the form goes)."""
    settings.COMMENTS_ORDER = "oldest"
    reader, errors = open_reader(browser, live_server.url + report.get_absolute_url(), width)
    first_thread = Comment.objects.get(text="Alter Faden 0.")
    reader.locator(f"#c{first_thread.pk} .comment-reply-link").first.click()
    box = reader.locator("#kommentarformular textarea")
    box.fill("Meine halbe Antwort,\nnoch nicht fertig.")

    approve_new(report, "Eine Antwort von jemand anderem.", parent=first_thread)
    load_new(reader, "Einen neuen Kommentar anzeigen")

    expect(reader.locator("#kommentarformular")).to_have_count(1)
    expect(box).to_have_value("Meine halbe Antwort,\nnoch nicht fertig.")
    expect(reader.locator(f"#c{first_thread.pk} > #kommentarformular")).to_have_count(1)
    expect(reader.locator(f"#c{first_thread.pk}")).to_contain_text(
        "Eine Antwort von jemand anderem."
    )
    assert not errors
    reader.context.close()


def test_a_failed_load_keeps_the_page_and_offers_the_button_again(
    browser, live_server, report, settings
):
    """No reload when the page cannot be fetched: the reader's typing stays."""
    settings.COMMENTS_ORDER = "oldest"
    reader, errors = open_reader(browser, live_server.url + report.get_absolute_url(), 375)
    box = reader.locator("#kommentarformular textarea")
    box.fill("Nicht verlieren.")
    approve_new(report, "Neu.")
    reader.route(re.compile(r"/berichte/ai-safety/(\?|#|$)"), lambda route: route.abort())
    wait_for_offer(reader, "Einen neuen Kommentar anzeigen").click()
    expect(reader.locator(".discussion-live")).to_contain_text("konnten nicht geladen werden")
    expect(reader.get_by_role("button", name="Einen neuen Kommentar anzeigen")).to_be_enabled()
    expect(box).to_have_value("Nicht verlieren.")
    assert not errors
    reader.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_reply_in_a_thread_on_another_page_appears_with_whom_it_answers(
    browser, live_server, report, width, settings
):
    """Oldest first, the reader on page 1: a reply to the thread on page 3 shows under "Neu,
    von Seite 3" alone, with "Antwort auf Leserin 4" linking to that thread, not the thread."""
    settings.COMMENTS_ORDER = "oldest"
    reader, errors = open_reader(browser, live_server.url + report.get_absolute_url(), width)
    last_thread = Comment.objects.get(text="Alter Faden 4.")
    reply = approve_new(report, "Späte Antwort.", parent=last_thread)

    load_new(reader, "Einen neuen Kommentar anzeigen")

    block = reader.locator("#kommentare .comments-new")
    expect(block.locator(f"#c{reply.pk}")).to_contain_text("Späte Antwort.")
    answers = block.locator(f"#c{reply.pk} .comment-reply-to")
    expect(answers).to_have_text("Antwort auf Leserin 4")
    expect(answers.get_by_role("link")).to_have_attribute(
        "href", re.compile(rf"/kommentare/seite-3/#c{last_thread.pk}$")
    )
    expect(reader.locator("#kommentare")).not_to_contain_text("Alter Faden 4.")
    shots(reader, "live-paged-reply", width)
    assert not errors
    reader.context.close()

"""Posting from the page every reader shares (no token in it), with JavaScript and without."""

import pytest
from django.utils.timezone import now
from playwright.sync_api import expect

from comments.models import Comment, Subscription
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory

from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

WAITING = "Dein Kommentar wartet auf Freischaltung."


@pytest.fixture
def report_url(live_server, transactional_db, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    report = ReportFactory(title="AI Safety Progress", slug="ai-safety")
    # A known author: approved at once when the form could be timed, held without a timestamp.
    # Her address is confirmed by double opt-in, the proof beyond name and email (a new
    # browser has no cookie from her earlier comment).
    CommentFactory(report=report, author_name="Erika Mustermann", author_email="erika@example.org")
    Subscription.objects.create(email="erika@example.org", report=report, confirmed_at=now())
    return live_server.url + report.get_absolute_url()


def open_shared_page(browser, report_url, *, javascript):
    browser.new_context().new_page().goto(report_url)  # another reader fills the cache
    context = browser.new_context(locale="de-DE", java_script_enabled=javascript)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    response = page.goto(report_url)
    assert "public" in response.headers["cache-control"]
    assert "set-cookie" not in response.headers
    return page


def send(page, text):
    page.get_by_label("Kommentar *", exact=True).fill(text)
    page.get_by_label("Name *", exact=True).fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse *", exact=True).fill("erika@example.org")
    page.get_by_role("button", name="Kommentar abschicken").click()


def test_with_javascript_the_form_is_timed_and_the_comment_appears(browser, report_url):
    page = open_shared_page(browser, report_url, javascript=True)
    page.get_by_label("Kommentar *", exact=True).focus()
    expect(page.locator("input[name=timestamp]")).not_to_have_value("")
    send(page, "Mit JavaScript geschrieben.")
    comment = Comment.objects.get(text="Mit JavaScript geschrieben.")
    assert comment.status == Comment.Status.APPROVED
    expect(page.locator(f"#c{comment.pk}")).to_contain_text("Mit JavaScript geschrieben.")
    page.context.close()


def test_without_javascript_the_comment_waits_for_a_moderator(browser, report_url):
    page = open_shared_page(browser, report_url, javascript=False)
    send(page, "Ohne JavaScript geschrieben.")
    comment = Comment.objects.get(text="Ohne JavaScript geschrieben.")
    assert comment.status == Comment.Status.PENDING
    mine = page.locator(f"#c{comment.pk}")
    expect(mine).to_contain_text("Ohne JavaScript geschrieben.")
    expect(mine.locator(".comment-awaiting-moderation")).to_have_text(WAITING)
    page.context.close()


def test_a_double_click_sends_the_comment_once(browser, report_url):
    page = open_shared_page(browser, report_url, javascript=True)
    posts = []
    page.on("request", lambda request: posts.append(1) if request.method == "POST" else None)
    page.get_by_label("Kommentar *", exact=True).fill("Nur einmal, bitte.")
    page.get_by_label("Name *", exact=True).fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse *", exact=True).fill("erika@example.org")
    page.get_by_role("button", name="Kommentar abschicken").dblclick()
    comment_link = page.locator(".comment-content", has_text="Nur einmal, bitte.")
    expect(comment_link).to_have_count(1)
    assert len(posts) == 1
    assert Comment.objects.filter(text="Nur einmal, bitte.").count() == 1
    page.context.close()

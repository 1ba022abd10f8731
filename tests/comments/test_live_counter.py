"""The discussion's counter for new comments without reloading (comments/live.py): tiny,
the same for every reader, cacheable by nginx like the page."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.live import MOST_RECENT
from comments.models import Comment
from reports.models import Report
from tests.factories import ReportFactory

from .conftest import CommentFactory
from .status import set_status

pytestmark = pytest.mark.django_db
COUNTER = "/berichte/ai-safety/kommentare/stand/"


def test_body_is_the_version_and_the_approved_count(client, report):
    CommentFactory.create_batch(2, report=report)
    CommentFactory(report=report, status=Comment.Status.PENDING)
    response = client.get(COUNTER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["count"] == 2
    report.refresh_from_db()
    assert data["version"] == report.discussion_changed_at.isoformat()
    assert len(response.content) < 100


def test_shared_headers_like_the_page(client, report, settings):
    settings.PAGE_CACHE_MAX_AGE = 5
    settings.PAGE_CACHE_STALE_SECONDS = 30
    response = client.get(COUNTER)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "s-maxage=5", "stale-while-revalidate=30"}
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    assert client.get(COUNTER, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_same_answer_for_a_reader_with_own_cookies(report):
    CommentFactory(report=report)
    plain = Client().get(COUNTER)
    with_cookies = Client()
    with_cookies.cookies["comments_own"] = "whatever"
    with_cookies.cookies["comment_author"] = "whatever"
    answer = with_cookies.get(COUNTER)
    assert answer.content == plain.content and answer["ETag"] == plain["ETag"]
    assert answer["Cache-Control"] == plain["Cache-Control"]
    assert not answer.cookies


def test_approval_changes_the_answer(client, report):
    waiting = CommentFactory(report=report, status=Comment.Status.PENDING)
    before = json.loads(client.get(COUNTER).content)
    set_status(Comment.objects.filter(pk=waiting.pk), Comment.Status.APPROVED)
    after = json.loads(client.get(COUNTER).content)
    assert (before["count"], after["count"]) == (0, 1)
    assert after["version"] != before["version"]


def test_unpublished_report_has_no_counter(client):
    ReportFactory(slug="entwurf", status=Report.Status.DRAFT)
    assert client.get("/berichte/entwurf/kommentare/stand/").status_code == 404


def test_page_names_the_counter_and_its_count(client, report):
    CommentFactory(report=report)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'data-live="{COUNTER}"' in page and 'data-count="1"' in page
    assert '<div class="discussion-live" aria-live="polite"></div>' in page


def test_a_sections_discussion_does_not_ask_the_reports_counter(client, seeded_report):
    """The counter counts the whole report: a section's page would see other sections'
    comments as new."""
    section = seeded_report.sections.get(anchor="agent-safety")
    comment = CommentFactory(report=seeded_report)
    comment.set_section(section)
    comment.save()
    page = client.get(reverse("comments:section", args=[seeded_report.slug, section.anchor]))
    assert page.status_code == 200
    assert "data-live" not in page.content.decode()
    assert "discussion-live" not in page.content.decode()


# "3 neue Kommentare anzeigen": which comments were approved last, and on which page.


def recent(client, count):
    response = client.get(f"/berichte/ai-safety/kommentare/neu/{count}/")
    assert response.status_code == 200
    return json.loads(response.content)["comments"]


def five_threads(report):
    """Five top-level comments an hour apart, the third with a reply: with two threads a
    page, three pages."""
    start = timezone.now() - datetime.timedelta(days=1)
    roots = [
        CommentFactory(report=report, created_at=start + datetime.timedelta(hours=n))
        for n in range(5)
    ]
    CommentFactory(report=report, parent=roots[2], created_at=start + datetime.timedelta(hours=3))
    return roots


def approve_new(report, **fields):
    comment = CommentFactory(report=report, status=Comment.Status.PENDING, **fields)
    set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED)
    return comment


def test_without_pages_the_new_comment_is_on_the_article(client, report):
    CommentFactory.create_batch(3, report=report)
    new = approve_new(report)
    assert recent(client, 1) == [{"id": new.pk, "page": 1, "url": "/berichte/ai-safety/"}]


@pytest.mark.parametrize(
    "order, thread_page, reply_page",
    [("oldest", 3, 1), ("newest", 1, 3)],
    ids=["oldest first: a new thread on the last page", "newest first: on the first"],
)
def test_a_new_thread_and_a_reply_are_on_their_pages(
    client, report, settings, order, thread_page, reply_page
):
    settings.COMMENTS_PER_PAGE = 2
    settings.COMMENTS_ORDER = order
    roots = five_threads(report)
    new = approve_new(report)
    reply = approve_new(report, parent=roots[0])

    def page(number):
        return "/berichte/ai-safety/" + (f"kommentare/seite-{number}/" if number > 1 else "")

    assert recent(client, 2) == [
        {"id": reply.pk, "page": reply_page, "url": page(reply_page)},
        {"id": new.pk, "page": thread_page, "url": page(thread_page)},
    ]


def test_the_order_is_the_order_of_approval_not_of_writing(client, report, settings):
    """A comment written long ago and approved now is new to every reader; the comment
    written after it but approved before is not."""
    settings.COMMENTS_PER_PAGE = 2
    early = CommentFactory(
        report=report,
        status=Comment.Status.PENDING,
        created_at=timezone.now() - datetime.timedelta(days=2),
    )
    five_threads(report)
    CommentFactory(report=report, status=Comment.Status.PENDING)
    set_status(Comment.objects.filter(pk=early.pk), Comment.Status.APPROVED)
    assert recent(client, 1) == [{"id": early.pk, "page": 1, "url": "/berichte/ai-safety/"}]
    assert len(recent(client, MOST_RECENT)) == 7  # the approved ones only
    # One cached answer per number: only 1 to MOST_RECENT exist (live.js asks no more).
    for count in (0, MOST_RECENT + 1, 99999):
        assert client.get(f"/berichte/ai-safety/kommentare/neu/{count}/").status_code == 404


def test_the_recent_answer_is_shared_like_the_counter(report, settings):
    settings.PAGE_CACHE_MAX_AGE = 5
    settings.PAGE_CACHE_STALE_SECONDS = 30
    CommentFactory(report=report)
    plain = Client().get("/berichte/ai-safety/kommentare/neu/3/")
    with_cookies = Client()
    with_cookies.cookies["comments_own"] = "whatever"
    answer = with_cookies.get("/berichte/ai-safety/kommentare/neu/3/")
    assert answer.content == plain.content and answer["ETag"] == plain["ETag"]
    directives = {d.strip() for d in answer["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "s-maxage=5", "stale-while-revalidate=30"}
    assert not answer.cookies
    assert Client().get("/berichte/entwurf/kommentare/neu/3/").status_code == 404

"""The author's own waiting comment says how long moderation usually takes now
(comments/waiting.py): the median of the last 14 days at this hour of the week, or nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import caches

from comments import actions, readers, waiting
from comments.audit import Via
from comments.models import Comment
from tests.factories import UserFactory

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db
Status = Comment.Status
BERLIN = ZoneInfo("Europe/Berlin")
#: A Tuesday afternoon.
NOW = datetime(2026, 12, 1, 14, 30, tzinfo=BERLIN)


def decided(report, *, posted, minutes, status=Status.APPROVED):
    """A comment posted at `posted` that a moderator decided `minutes` later."""
    comment = CommentFactory(report=report, status=Status.PENDING, created_at=posted)
    actions.change_status(
        Comment.objects.filter(pk=comment.pk), status, user=UserFactory(), via=Via.ROW
    )
    LogEntry.objects.filter(object_id=str(comment.pk)).update(
        action_time=posted + timedelta(minutes=minutes)
    )
    return comment


def test_median_of_decisions_at_this_hour_of_the_week(report):
    last_week = NOW - timedelta(days=7)
    for minutes in (10, 20, 38, 50, 300):
        decided(report, posted=last_week - timedelta(minutes=20), minutes=minutes)
    assert waiting.compute_usual_wait(NOW) == timedelta(minutes=38)
    assert waiting.describe_wait(waiting.compute_usual_wait(NOW)) == (
        "Meist innerhalb von 40 Minuten."
    )


def test_other_hours_older_decisions_and_rule_decisions_do_not_count(report):
    last_week = NOW - timedelta(days=7)
    for minutes in (10, 20, 30, 40):
        decided(report, posted=last_week, minutes=minutes)
    decided(report, posted=last_week + timedelta(hours=3), minutes=5)  # another hour
    decided(report, posted=NOW - timedelta(days=21), minutes=5)  # three weeks ago
    # Approved by the rules when posted: it never waited, and has no log entry.
    CommentFactory(report=report, status=Status.APPROVED, created_at=last_week)
    assert waiting.compute_usual_wait(NOW) is None  # four decisions are too few


def test_an_hour_either_side_counts(report):
    last_week = NOW - timedelta(days=7)
    for minutes, shift in ((60, -1), (120, 0), (180, 1), (240, 1), (300, -1)):
        decided(report, posted=last_week + timedelta(hours=shift), minutes=minutes)
    assert waiting.compute_usual_wait(NOW) == timedelta(hours=3)
    assert waiting.describe_wait(timedelta(hours=3)) == "Meist innerhalb von 3 Stunden."


@pytest.mark.parametrize(
    ("wait", "text"),
    [
        (timedelta(seconds=30), "Meist innerhalb von einer Minute."),
        (timedelta(minutes=7, seconds=10), "Meist innerhalb von 8 Minuten."),
        (timedelta(minutes=41), "Meist innerhalb von 45 Minuten."),
        (timedelta(minutes=61), "Meist innerhalb von 2 Stunden."),
        (timedelta(days=2, hours=5), "Meist innerhalb von 3 Tagen."),
    ],
)
def test_wording(wait, text):
    assert waiting.describe_wait(wait) == text


def test_computed_once_per_hour(report, django_assert_num_queries):
    last_week = NOW - timedelta(days=7)
    for minutes in (10, 20, 38, 50, 300):
        decided(report, posted=last_week, minutes=minutes)
    caches["shared"].clear()
    assert waiting.usual_wait(NOW) == timedelta(minutes=38)
    decided(report, posted=last_week, minutes=1)  # would change the median
    with django_assert_num_queries(0):
        assert waiting.usual_wait(NOW + timedelta(minutes=20)) == timedelta(minutes=38)
    # The next hour is worked out afresh: six decisions now.
    assert waiting.usual_wait(NOW + timedelta(hours=1)) == timedelta(minutes=29)


def test_own_waiting_comment_says_how_long_and_links_own_page(client, report, monkeypatch):
    monkeypatch.setattr(waiting, "usual_wait", lambda: timedelta(minutes=38))
    comment = CommentFactory(report=report, status=Status.PENDING, text="Mein Einwand.")
    page = client.get(readers.own_comment_url(comment)).content.decode()
    assert '<span class="comment-usual-wait">Meist innerhalb von 40 Minuten.</span>' in page
    assert 'Status und Antworten: <a href="/kommentare/meine/">Meine Kommentare</a>' in page


def test_nothing_said_with_too_little_data(client, report):
    comment = CommentFactory(report=report, status=Status.PENDING, text="Mein Einwand.")
    page = client.get(readers.own_comment_url(comment)).content.decode()
    assert "Dein Kommentar wartet auf Freischaltung." in page
    assert "Meist innerhalb" not in page

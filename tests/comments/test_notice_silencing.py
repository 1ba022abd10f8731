"""No silencing: "nach N Meldungen zurückhalten" counts distinct readers (network and email
both new), ignores repeats, and counts only reports made since a moderator last approved the
comment. Over HTTP, from several source addresses."""

import pytest
from django.urls import reverse

from comments.models import Comment

from .conftest import CommentFactory
from .test_notices import send_report

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.fixture
def comment(report, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_HOLD_AFTER_NOTICES = 2
    return CommentFactory(report=report, text="Unbequem, aber erlaubt.")


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


def test_one_reader_repeating_a_report_cannot_hold_a_comment(client, comment):
    for _ in range(4):
        assert send_report(client, comment, ip="198.51.100.4").status_code == 302
    assert comment.notices.count() == 4
    assert status_of(comment) == Status.APPROVED


def test_switching_network_or_address_alone_is_still_one_reader(client, comment):
    send_report(client, comment, ip="198.51.100.4", reporter_email="a@example.org")
    send_report(client, comment, ip="192.0.2.9", reporter_email="a@example.org")  # same email
    send_report(client, comment, ip="198.51.100.4", reporter_email="b@example.org")  # same net
    send_report(client, comment, ip="2001:db8:1:2::5", reporter_email="")  # same /48 …
    send_report(client, comment, ip="2001:db8:1:2::6", reporter_email="")  # … as this one
    # a@ from .4 counts once; the first IPv6 report is a second reader.
    assert status_of(comment) == Status.PENDING


def test_two_distinct_readers_hold_it(client, comment):
    send_report(client, comment, ip="198.51.100.4", reporter_email="a@example.org")
    assert status_of(comment) == Status.APPROVED
    send_report(client, comment, ip="192.0.2.9", reporter_email="b@example.org")
    assert status_of(comment) == Status.PENDING


def test_reports_from_before_the_last_approval_do_not_count(client, moderator_client, comment):
    send_report(client, comment, ip="198.51.100.4", reporter_email="a@example.org")
    send_report(client, comment, ip="192.0.2.9", reporter_email="b@example.org")
    assert status_of(comment) == Status.PENDING
    # A moderator looks and approves it again.
    moderator_client.post(
        reverse("admin:comments_comment_status", args=[comment.pk]), {"status": Status.APPROVED}
    )
    assert status_of(comment) == Status.APPROVED
    send_report(client, comment, ip="203.0.113.50", reporter_email="c@example.org")
    assert status_of(comment) == Status.APPROVED  # one new reader: not enough
    send_report(client, comment, ip="203.0.113.50", reporter_email="c@example.org")
    assert status_of(comment) == Status.APPROVED  # the same again: ignored
    send_report(client, comment, ip="2001:db8:9::1", reporter_email="d@example.org")
    assert status_of(comment) == Status.PENDING


def test_the_network_is_stored_as_a_keyed_hash_only(client, comment):
    send_report(client, comment, ip="198.51.100.4")
    network = comment.notices.get().reporter_network
    assert network and "198.51" not in network

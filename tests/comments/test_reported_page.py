"""The thank-you page after "Melden" confirms nothing about comments readers cannot see."""

import pytest
from django.urls import reverse

from comments.models import Comment

from .conftest import CommentFactory
from .test_notices import send_report

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM, Status.TRASH])
def test_the_page_is_404_for_a_comment_that_is_not_public(client, report, status):
    hidden = CommentFactory(report=report, status=status)

    assert client.get(reverse("comments:reported", args=[hidden.pk])).status_code == 404


def test_the_page_shows_for_a_public_comment(client, report):
    public = CommentFactory(report=report)

    response = client.get(reverse("comments:reported", args=[public.pk]))

    assert response.status_code == 200
    assert "Danke für deine Meldung" in response.content.decode()


def test_the_reporter_whose_report_held_the_comment_still_gets_their_thanks(
    client, report, settings
):
    settings.COMMENTS_HOLD_AFTER_NOTICES = 1
    comment = CommentFactory(report=report)

    sent = send_report(client, comment)

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert sent.status_code == 302
    thanks = client.get(sent["Location"])
    assert thanks.status_code == 200
    assert "Danke für deine Meldung" in thanks.content.decode()
    assert client.get(reverse("comments:reported", args=[comment.pk])).status_code == 404


def test_a_reporters_link_opens_no_other_hidden_comment(client, report, settings):
    settings.COMMENTS_HOLD_AFTER_NOTICES = 1
    reported = CommentFactory(report=report)
    hidden = CommentFactory(report=report, status=Status.SPAM)
    token = send_report(client, reported)["Location"].split("?", 1)[1]

    response = client.get(f"{reverse('comments:reported', args=[hidden.pk])}?{token}")

    assert response.status_code == 404

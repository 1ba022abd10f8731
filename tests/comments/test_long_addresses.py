"""An address the form accepts fits every column that stores it normalised.

A valid internationalised address of 96 characters full of `ß` casefolds to 179 (`ß` → `ss`).
PostgreSQL refuses a value longer than its column, so this runs there too (.ci/run repeats
the suite with DATABASE_URL set to a local PostgreSQL)."""

import pytest
from django.urls import reverse

from comments.models import BannedSender, Comment, Notice, Subscription
from comments.text import MAX_EMAIL_LENGTH, NORMALISED_EMAIL_LENGTH, normalise_email

from .conftest import CommentFactory, form_data
from .test_notices import send_report

pytestmark = pytest.mark.django_db

LONG = "leserin@" + "ß" * 31 + "." + "ß" * 31 + "." + "ß" * 21 + ".de"


def test_the_address_is_as_long_as_the_issue_says():
    assert len(LONG) == 96 <= MAX_EMAIL_LENGTH
    assert len(normalise_email(LONG)) == 179


def test_every_normalised_column_has_the_one_size():
    columns = [
        Comment._meta.get_field("author_email_normalised"),
        Subscription._meta.get_field("email_normalised"),
        Notice._meta.get_field("reporter_email_normalised"),
    ]
    assert {column.max_length for column in columns} == {NORMALISED_EMAIL_LENGTH}
    assert NORMALISED_EMAIL_LENGTH >= 3 * MAX_EMAIL_LENGTH  # casefold at most triples


def test_posting_subscribing_reporting_and_banning_with_it(client, post_url, report, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    response = client.post(
        post_url,
        form_data(author_email=LONG, notify_replies="on", notify_report="on"),
        REMOTE_ADDR="198.51.100.8",
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author_email_normalised == normalise_email(LONG)
    assert Subscription.objects.by_email(LONG).count() == 2

    approved = CommentFactory(report=report, status=Comment.Status.APPROVED)
    assert send_report(client, approved, reporter_email=LONG).status_code == 302
    assert Notice.objects.get().reporter_email_normalised == normalise_email(LONG)

    BannedSender.objects.ban(email=LONG)
    assert BannedSender.is_banned(email=LONG.upper(), ip_address=None)
    assert reverse("comments:post", kwargs={"slug": report.slug}) == post_url

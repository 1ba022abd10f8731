"""After erasure, nothing in the database names the person: not the comments, not the
admin's log ("Neueste Aktionen"), not a backup made from the database afterwards."""

import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Subscription
from tests.factories import staff_in_group

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db

NAME = "Petra Privat"
EMAIL = "petra.privat@example.org"
IP = "198.51.100.77"
STORED_IP = "198.51.100.0"


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


@pytest.fixture
def moderator_client():
    client = Client()
    client.force_login(staff_in_group("Moderators"))
    return client


def test_str_of_a_comment_names_no_one(report):
    comment = CommentFactory(report=report, author_name=NAME, text="Ruft mich an: 0171-5550123")
    assert str(comment) == f"Kommentar #{comment.pk} zu „AI Safety Progress“"


def test_erasure_leaves_no_name_email_or_ip_anywhere_in_the_database(report, moderator_client):
    comment = CommentFactory(
        report=report,
        author_name=NAME,
        author_email=EMAIL,
        author_url="https://petra.example.org",
        ip_address=IP,
        user_agent="Firefox",
        text="Ruft mich an: 0171-5550123",
        status=Comment.Status.PENDING,
    )
    CommentFactory(report=report, author_name=NAME, author_email=EMAIL.upper(), ip_address=IP)
    # A moderator edits the comment in the admin: Django logs it ("Neueste Aktionen").
    change_url = reverse("admin:comments_comment_change", args=[comment.pk])
    response = moderator_client.post(
        change_url,
        {
            "status": "approved",
            "author_name": NAME,
            "author_email": EMAIL,
            "author_url": "https://petra.example.org",
            "text": comment.text,
        },
    )
    assert response.status_code == 302
    # An entry written by an earlier version, which logged str(comment) with name and text.
    LogEntry.objects.create(
        user=response.wsgi_request.user,
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=str(comment.pk),
        object_repr=f"{NAME}: Ruft mich an: 0171-5550123",
        action_flag=CHANGE,
        change_message="[]",
    )
    # A confirmed notification wish of the same reader, and the admin's note of looking at it.
    subscription = Subscription.objects.create(
        email=EMAIL, report=report, comment=comment, request_ip=IP, confirmed_at=timezone.now()
    )
    LogEntry.objects.create(
        user=response.wsgi_request.user,
        content_type=ContentType.objects.get_for_model(Subscription),
        object_id=str(subscription.pk),
        object_repr=str(subscription),
        action_flag=CHANGE,
        change_message="[]",
    )
    before = dump()
    assert NAME in before and EMAIL in before and STORED_IP in before  # the search can fail

    call_command("erase_personal_data", EMAIL, stdout=io.StringIO())

    after = dump()
    assert (after.count(NAME), after.casefold().count(EMAIL), after.count(STORED_IP)) == (0, 0, 0)
    assert "petra.example.org" not in after
    reprs = set(LogEntry.objects.values_list("object_repr", flat=True))
    assert reprs == {f"Kommentar #{comment.pk} zu „AI Safety Progress“"}
    admin_home = moderator_client.get(reverse("admin:index")).content.decode()
    assert "Kommentar #" in admin_home and NAME not in admin_home


def test_erasure_also_forgets_what_a_moderator_cut_out_of_the_text(report, moderator_client):
    """The desk logs a text edit with the words before and after; after erasure the phone number
    a moderator removed must not live on in that log."""
    comment = CommentFactory(
        report=report, author_name=NAME, author_email=EMAIL, text="Ruft mich an: 0171-5550123"
    )
    response = moderator_client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        {
            "status": "approved",
            "author_name": NAME,
            "author_email": EMAIL,
            "author_url": "",
            "text": "Ruft mich an.",
        },
    )
    assert response.status_code == 302
    assert "0171-5550123" in dump()  # the edit was logged with the old words

    call_command("erase_personal_data", EMAIL, stdout=io.StringIO())

    assert "0171-5550123" not in dump()

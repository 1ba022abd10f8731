"""No impersonation: name and email, which anyone can type, are not enough for a known
author's auto-approval. The browser that sent the earlier approved comment (its signed
own-comments cookie) or an address confirmed by double opt-in is."""

import pytest
from django.utils import timezone

from comments.models import Comment, Subscription
from tests.clients import BrowserClient

from .conftest import CommentFactory, form_data

pytestmark = pytest.mark.django_db
Status = Comment.Status
ERIKA = {"author_name": "Erika Mustermann", "author_email": "erika@example.org"}


@pytest.fixture(autouse=True)
def no_flood(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def status_of_latest():
    return Comment.objects.latest("id").status


def test_a_stranger_typing_a_regulars_name_and_email_waits(post_url, report):
    CommentFactory(report=report, **ERIKA)
    response = BrowserClient().post(
        post_url, form_data(**ERIKA, text="In ihrem Namen."), REMOTE_ADDR="192.0.2.66"
    )
    assert response.status_code == 302
    assert status_of_latest() == Status.PENDING


def test_the_browser_that_sent_the_approved_comment_is_approved_at_once(post_url, report):
    erika = BrowserClient()
    erika.post(post_url, form_data(**ERIKA, text="Mein erster."), REMOTE_ADDR="203.0.113.7")
    first = Comment.objects.get()
    assert first.status == Status.PENDING
    Comment.objects.filter(pk=first.pk).update(status=Status.APPROVED)  # a moderator approved

    erika.post(post_url, form_data(**ERIKA, text="Mein zweiter."), REMOTE_ADDR="198.51.100.3")
    assert status_of_latest() == Status.APPROVED
    # The same name and address from another browser still waits.
    BrowserClient().post(post_url, form_data(**ERIKA, text="Fremd."), REMOTE_ADDR="203.0.113.7")
    assert status_of_latest() == Status.PENDING


def test_an_address_confirmed_by_double_opt_in_is_proof_enough(post_url, report):
    CommentFactory(report=report, **ERIKA)
    Subscription.objects.create(
        email="Erika@Example.org", report=report, confirmed_at=timezone.now()
    )
    BrowserClient().post(post_url, form_data(**ERIKA, text="Bestätigt."), REMOTE_ADDR="192.0.2.1")
    assert status_of_latest() == Status.APPROVED


def test_an_unconfirmed_subscription_is_not(post_url, report):
    CommentFactory(report=report, **ERIKA)
    Subscription.objects.create(email="erika@example.org", report=report)
    BrowserClient().post(post_url, form_data(**ERIKA, text="Unbestätigt."), REMOTE_ADDR="192.0.2.1")
    assert status_of_latest() == Status.PENDING

"""No mail bombing: a stranger's address gets at most `confirmation_emails_per_day` (3)
confirmation emails a day, counted in the shared store, and never two within the flood
interval."""

import pytest
from django.core import mail

from comments.models import DiscussionSettings, Subscription
from tests.clients import BrowserClient

from .conftest import form_data

pytestmark = pytest.mark.django_db
VICTIM = "opfer@example.org"


def ask_for_notifications(post_url, n, email=VICTIM):
    return BrowserClient().post(
        post_url,
        form_data(author_email=email, text=f"Kommentar Nummer {n}.", notify_replies="on"),
        REMOTE_ADDR=f"198.51.100.{n + 1}",
    )


def confirmations_to(email):
    return [m for m in mail.outbox if m.to == [email]]


def test_at_most_three_confirmation_emails_a_day(post_url, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    for n in range(6):
        assert ask_for_notifications(post_url, n).status_code == 302
    assert len(confirmations_to(VICTIM)) == 3
    # The comments themselves went through; only the emails stopped.
    assert Subscription.objects.by_email(VICTIM).count() == 6
    # Another address has its own count.
    ask_for_notifications(post_url, 50, email="andere@example.org")
    assert len(confirmations_to("andere@example.org")) == 1


def test_the_limit_is_the_administrators_setting(post_url, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    record = DiscussionSettings.from_environment()
    record.confirmation_emails_per_day = 1
    record.save()
    for n in range(3):
        ask_for_notifications(post_url, n)
    assert len(confirmations_to(VICTIM)) == 1


def test_the_flood_interval_applies_too(post_url, settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    for n in range(2):
        ask_for_notifications(post_url, n)
    assert len(confirmations_to(VICTIM)) == 1

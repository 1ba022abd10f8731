"""Moderation links in the moderators' email: signed, 7 days, confirmed in the admin."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from comments import email_links, tasks
from comments.models import Comment
from tests.factories import UserFactory

from .conftest import CommentFactory
from .desk import log_messages

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.fixture
def pending(report):
    return CommentFactory(report=report, status=Status.PENDING, text="Bitte prüfen.")


def links_in_email(settings, comment):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    tasks.email_moderators.enqueue(comment.pk)
    body = mail.outbox[-1].body
    return dict(re.findall(r"^(Freigeben|Spam|Papierkorb): (\S+)$", body, re.MULTILINE))


def test_email_is_german_plain_text_with_three_links(settings, pending):
    links = links_in_email(settings, pending)
    message = mail.outbox[-1]
    assert message.subject == f"Neuer Kommentar wartet auf Freischaltung: „{pending.report.title}“"
    assert "Bitte prüfen." in message.body and "gilt 7 Tage" in message.body
    assert set(links) == {"Freigeben", "Spam", "Papierkorb"}
    assert "&amp;" not in message.body and "&#x27;" not in message.body


def test_get_only_shows_a_confirmation_post_acts_and_logs(settings, moderator_client, pending):
    url = links_in_email(settings, pending)["Freigeben"]
    page = moderator_client.get(url)
    assert page.status_code == 200
    assert "Freigeben: bestätigen" in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING  # a mail scanner opening the link changes nothing
    response = moderator_client.post(url)
    assert response["Location"] == reverse("admin:comments_comment_change", args=[pending.pk])
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED
    assert log_messages(pending) == ["Status: Ausstehend → Freigegeben (E-Mail-Link)"]


def test_link_refuses_when_expired(settings, moderator_client, pending):
    url = links_in_email(settings, pending)["Spam"]
    later = signing.time.time() + email_links.EMAIL_LINK_MAX_AGE + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = moderator_client.post(url)
    assert response.status_code == 400
    assert "abgelaufen oder ungültig" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_link_refuses_when_tampered_with(settings, moderator_client, pending):
    url = links_in_email(settings, pending)["Papierkorb"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = url.replace(token, token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB"))
    assert moderator_client.post(forged).status_code == 400
    spam_token = links_in_email(settings, pending)["Spam"].rstrip("/").rsplit("/", 1)[1]
    mixed = url.replace(token, token.split(":")[0] + ":" + spam_token.split(":", 1)[1])
    assert moderator_client.post(mixed).status_code == 400
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_link_needs_login(settings, client, pending):
    url = links_in_email(settings, pending)["Freigeben"]
    response = client.post(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_link_needs_the_permission(settings, client, pending):
    client.force_login(UserFactory(is_staff=True))
    url = links_in_email(settings, pending)["Freigeben"]
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_link_is_signed_for_one_comment_and_action(pending):
    url = email_links.moderation_link(pending, "spam")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert email_links.read_moderation_link(token) == (pending.pk, "spam", "pending")
    payload, rest = token.split(":", 1)
    approve = signing.b64_encode(f'{{"comment":{pending.pk},"action":"approve"}}'.encode()).decode()
    assert email_links.read_moderation_link(f"{approve}:{rest}") is None
    assert timedelta(seconds=email_links.EMAIL_LINK_MAX_AGE) == timedelta(days=7)


def test_an_old_link_says_what_happened_since_and_asks_again(settings, client, pending):
    """Moritz trashed the comment after the email went out; its week-old "Freigeben" link
    does not quietly undo that."""
    url = links_in_email(settings, pending)["Freigeben"]
    moritz = UserFactory(is_staff=True, is_superuser=True, username="moritz", first_name="Moritz")
    client.force_login(moritz)
    client.post(reverse("admin:comments_comment_trash", args=[pending.pk]), {"ground": "rule-5"})
    client.force_login(UserFactory(is_staff=True, is_superuser=True, username="mara"))

    page = client.get(url).content.decode()
    day = date_format(timezone.localtime(), "j. F Y")
    assert f"Moritz hat diesen Kommentar am {day} um" in page
    assert "in den Papierkorb gelegt." in page
    assert "Trotzdem „Freigeben“ ausführen" in page

    client.post(url)  # the form of a page opened before the change: not enough
    pending.refresh_from_db()
    assert pending.status == Status.TRASH

    client.post(url, {"trotzdem": "1"})
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED
    assert log_messages(pending)[-1] == "Status: Papierkorb → Freigegeben (E-Mail-Link)"


def test_a_link_whose_comment_is_unchanged_needs_no_second_confirmation(
    settings, moderator_client, pending
):
    url = links_in_email(settings, pending)["Spam"]
    page = moderator_client.get(url).content.decode()
    assert "Seit dieser E-Mail hat sich etwas geändert." not in page
    moderator_client.post(url)
    pending.refresh_from_db()
    assert pending.status == Status.SPAM

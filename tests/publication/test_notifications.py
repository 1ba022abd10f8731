"""Reply notifications with double opt-in, through the comment form and Django's outbox.

The tests' task backend runs each task at once, so queued emails land in the outbox when the
transaction commits (test_task_queue.py shows the real queue and its worker).
"""

import json
import re
import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client

from comments.forms import NOTIFY_REPLIES_LABEL, NOTIFY_REPORT_LABEL
from comments.models import Comment, Subscription
from comments.notifications import CONFIRM_MAX_AGE, request_subscriptions
from tests.comments.conftest import CommentFactory, form_data, remember_as_own
from tests.comments.status import set_status

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/benachrichtigungen/\S+/)")


@pytest.fixture
def send(client, post_url, django_capture_on_commit_callbacks, settings):
    """Post the comment form as a browser would, running what waits for the commit.
    (Flood control is off: these tests post several comments a second.)"""
    settings.COMMENTS_FLOOD_SECONDS = 0

    def post(ip="203.0.113.7", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(post_url, form_data(**fields), REMOTE_ADDR=ip)
        assert response.status_code == 302
        return Comment.objects.latest("id")

    return post


@pytest.fixture
def approve(django_capture_on_commit_callbacks):
    """A moderator approves comments with the admin's bulk action."""

    def approve_(*comments):
        with django_capture_on_commit_callbacks(execute=True):
            set_status(
                Comment.objects.filter(pk__in=[c.pk for c in comments]), Comment.Status.APPROVED
            )

    return approve_


def link_in(mail) -> str:
    match = LINK.search(mail.body)
    assert match, mail.body
    return match[1]


def confirm(mail, client=None) -> str:
    """Open the confirmation link and press the button; returns the page's text."""
    client = client or Client()
    url = link_in(mail)
    page = client.get(url)
    assert page.status_code == 200
    assert "Ja, benachrichtige mich" in page.content.decode()
    response = client.post(url, {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert response.status_code == 200
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text().split())


def test_the_form_offers_both_boxes_unticked_with_the_exact_wording(client, report):
    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")

    for name, label in [
        ("notify_replies", NOTIFY_REPLIES_LABEL),
        ("notify_report", NOTIFY_REPORT_LABEL),
    ]:
        box = page.select_one(f"input[name={name}]")
        assert box["type"] == "checkbox" and not box.has_attr("checked")
        assert page.select_one(f"label[for={box['id']}]").get_text() == label
    assert NOTIFY_REPLIES_LABEL == (
        "Benachrichtige mich über Antworten auf meinen Kommentar per E-Mail."
    )
    assert NOTIFY_REPORT_LABEL == (
        "Benachrichtige mich über neue Kommentare zu diesem Bericht per E-Mail."
    )


def test_ticking_a_box_sends_only_a_confirmation_and_stores_the_consent_request(send, mailoutbox):
    comment = send(notify_replies="on", ip="203.0.113.77")

    (mail,) = mailoutbox
    assert mail.to == ["erika@example.org"]
    assert mail.from_email == "aireport <noreply@localhost>"
    assert mail.subject == "Bitte bestätige deine Benachrichtigungen von aireport"
    assert "Antworten auf deinen Kommentar zu „AI Safety Progress“" in mail.body
    assert "gültig 7 Tage" in mail.body
    subscription = Subscription.objects.get()
    assert subscription.comment == comment
    assert subscription.request_ip == "203.0.113.0"  # shortened
    assert subscription.requested_at is not None
    assert subscription.confirmed_at is None


def test_no_box_no_email(send, mailoutbox):
    send()

    assert mailoutbox == []
    assert not Subscription.objects.exists()


def test_the_whole_cycle_request_confirm_reply_notify_unsubscribe(
    send, approve, mailoutbox, report, client
):
    known = CommentFactory(
        report=report, author_name="Erika Mustermann", author_email="erika@example.org"
    )
    remember_as_own(client, known)  # her own browser: a known author is approved at once
    first = send(notify_replies="on", text="Meine Frage zum Bericht.")  # auto-approved author
    assert first.is_approved

    page = confirm(mailoutbox.pop())
    assert "Danke, das ist bestätigt" in page
    assert "Antworten auf deinen Kommentar zu „AI Safety Progress“" in page
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.confirm_ip == "127.0.0.0"

    reply = send(
        parent=str(first.pk),
        author_name="Max",
        author_email="max@example.org",
        text="Hier ist meine ausführliche Antwort auf deine Frage.",
        ip="198.51.100.4",
    )
    assert reply.status == Comment.Status.PENDING
    assert mailoutbox == []  # nothing while the reply waits for a moderator

    approve(reply)

    (mail,) = mailoutbox
    assert mail.to == ["erika@example.org"]
    assert mail.subject == "Neue Antwort auf deinen Kommentar zu „AI Safety Progress“"
    assert "Max hat auf deinen Kommentar geantwortet" in mail.body
    assert "„Hier ist meine ausführliche Antwort auf deine Frage.“" in mail.body
    assert f"http://testserver/kommentar/{reply.pk}/#c{reply.pk}" in mail.body  # permalink
    unsubscribe = link_in(mail)
    assert mail.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail provider POSTs to the link, with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Abbestellt" in response.content.decode()
    assert not Subscription.objects.exists()

    mailoutbox.clear()
    second = send(
        parent=str(first.pk),
        author_name="Max",
        author_email="max@example.org",
        text="Noch eine Antwort.",
        ip="198.51.100.5",
    )
    approve(second)
    assert mailoutbox == []


def test_report_subscribers_hear_of_new_comments_but_not_of_their_own(
    send, approve, mailoutbox, report
):
    send(notify_report="on", author_email="anna@example.org", author_name="Anna")
    confirm(mailoutbox.pop())

    own = send(
        author_email="ANNA@example.org",
        author_name="Anna",
        text="Nachtrag von mir.",
        ip="198.51.100.1",
    )
    approve(own)
    assert mailoutbox == []  # never notified of one's own comment

    other = send(
        author_email="ben@example.org", author_name="Ben", text="Neuer Gedanke.", ip="198.51.100.2"
    )
    approve(other)
    (mail,) = mailoutbox
    assert mail.to == ["anna@example.org"]
    assert mail.subject == "Neuer Kommentar zu „AI Safety Progress“"
    assert "Ben hat einen neuen Kommentar geschrieben" in mail.body


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH]
)
def test_comments_that_are_not_approved_notify_no_one(
    send, approve, mailoutbox, report, status, django_capture_on_commit_callbacks
):
    send(notify_report="on", author_email="anna@example.org", author_name="Anna")
    confirm(mailoutbox.pop())

    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(report=report, status=status)
        comment = CommentFactory(report=report, status=Comment.Status.PENDING)
        set_status(Comment.objects.filter(pk=comment.pk), status)

    assert mailoutbox == []


def test_an_unconfirmed_address_never_gets_a_notification(send, approve, mailoutbox, report):
    send(notify_report="on", author_email="anna@example.org", author_name="Anna")
    mailoutbox.clear()  # the confirmation is never clicked

    approve(send(author_email="ben@example.org", author_name="Ben", ip="198.51.100.2"))

    assert mailoutbox == []


def test_a_spam_comment_asks_no_one_for_confirmation(send, mailoutbox):
    send(notify_replies="on", honeypot="http://spam.example")

    assert mailoutbox == []
    assert not Subscription.objects.exists()


def test_asking_again_within_the_flood_interval_sends_no_second_confirmation(
    mailoutbox, report, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_FLOOD_SECONDS = 60
    first, second = CommentFactory.create_batch(2, report=report, author_email="erika@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        request_subscriptions(comment=first, replies=True, new_comments=True, ip_address=None)
        request_subscriptions(comment=second, replies=True, new_comments=True, ip_address=None)

    assert len(mailoutbox) == 1
    assert Subscription.objects.count() == 3  # both wishes stored, one email sent


@pytest.mark.parametrize("kind", ["expired", "tampered"])
def test_expired_or_tampered_confirmation_links_are_refused(send, mailoutbox, kind):
    send(notify_replies="on")
    url = link_in(mailoutbox.pop())
    if kind == "tampered":
        url = url.replace("/bestaetigen/", "/bestaetigen/x")
    client = Client()
    later = time.time() + CONFIRM_MAX_AGE.total_seconds() + 60

    with mock.patch("time.time", return_value=later if kind == "expired" else time.time()):
        page = client.get(url)
        response = client.post(url, {"csrfmiddlewaretoken": "x" * 64})

    assert page.status_code == 400
    assert "Dieser Link ist ungültig oder abgelaufen" in page.content.decode()
    assert response.status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_a_forged_unsubscribe_link_deletes_nothing(send, mailoutbox):
    send(notify_replies="on")

    response = Client().post("/benachrichtigungen/abbestellen/1:forged/")

    assert response.status_code == 400
    assert Subscription.objects.count() == 1


def test_consent_is_in_the_export_and_gone_after_erasure(send, mailoutbox, capsys):
    send(notify_replies="on", notify_report="on", ip="203.0.113.77")
    confirm(mailoutbox.pop())

    call_command("export_personal_data", "erika@example.org")
    exported = json.loads(capsys.readouterr().out)
    assert len(exported["subscriptions"]) == 2
    entry = exported["subscriptions"][0]
    assert entry["request_ip"] == "203.0.113.0"
    assert entry["requested_at"] and entry["confirmed_at"]
    assert entry["confirm_ip"] == "127.0.0.0"

    call_command("erase_personal_data", "Erika@Example.org")
    assert "2 Benachrichtigung(en) gelöscht" in capsys.readouterr().out
    assert not Subscription.objects.exists()


def test_unconfirmed_requests_are_purged_once_their_link_has_expired(send, mailoutbox, capsys):
    from datetime import timedelta

    from django.utils import timezone

    send(notify_replies="on")
    Subscription.objects.update(requested_at=timezone.now() - CONFIRM_MAX_AGE - timedelta(hours=1))

    call_command("purge_comment_metadata")

    assert "1 unbestätigte Benachrichtigung(en) gelöscht" in capsys.readouterr().out
    assert not Subscription.objects.exists()


def test_administrators_see_subscriptions_with_their_consent_but_cannot_add_or_edit(
    client, send, mailoutbox
):
    from django.conf import settings

    from tests.factories import UserFactory

    send(notify_report="on")
    subscription = Subscription.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(f"/{settings.ADMIN_URL}comments/subscription/")
    detail = client.get(f"/{settings.ADMIN_URL}comments/subscription/{subscription.pk}/change/")

    assert "erika@example.org" in listing.content.decode()
    assert "Neue Kommentare" in listing.content.decode()
    assert "203.0.113.0" in detail.content.decode()
    assert client.get(f"/{settings.ADMIN_URL}comments/subscription/add/").status_code == 403

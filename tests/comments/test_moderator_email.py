"""Moderators hear of each pending comment by email after the commit; mail trouble loses nothing."""

import logging
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse

from comments.models import Comment

from .conftest import CommentFactory, remember_as_own


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture(autouse=True)
def moderators(settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["mod1@example.org", "mod2@example.org"]


@pytest.mark.django_db
def test_email_goes_out_only_when_the_transaction_commits(
    post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    # A client that leaves the commit to the test (the usual one commits each request).
    plain = Client(headers={"Sec-Fetch-Site": "same-origin"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert post_comment(text="Bitte prüfen.", client_=plain).status_code == 302
    assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_email_has_the_text_and_the_admin_link(post_comment, mailoutbox, report):
    post_comment(text="Bitte prüfen.\nZweite Zeile.", author_name="Erika")
    comment = Comment.objects.get()
    (mail,) = mailoutbox
    assert mail.to == ["mod1@example.org", "mod2@example.org"]
    assert mail.subject == "Neuer Kommentar wartet auf Freischaltung: „AI Safety Progress“"
    assert "Bitte prüfen.\nZweite Zeile." in mail.body
    assert "Name: Erika" in mail.body
    admin_path = reverse("admin:comments_comment_change", args=[comment.pk])
    assert f"http://testserver{admin_path}" in mail.body


@pytest.mark.django_db(transaction=True)
def test_approved_comment_sends_no_email(post_comment, mailoutbox, report, client):
    known = CommentFactory(
        report=report, author_name="Erika Mustermann", author_email="erika@example.org"
    )
    remember_as_own(client, known)  # her own browser: a known author is approved at once
    post_comment()
    assert Comment.objects.latest("id").status == Comment.Status.APPROVED
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_no_moderators_configured_sends_nothing(post_comment, mailoutbox, settings):
    settings.COMMENTS_MODERATOR_EMAILS = []
    assert post_comment().status_code == 302
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_broken_mail_server_neither_loses_nor_blocks_the_comment(
    post_comment, settings, caplog, report
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    with caplog.at_level(logging.ERROR, logger="aireport.mail"):
        response = post_comment(text="Geht trotzdem durch.")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.text == "Geht trotzdem durch."
    assert response["Location"].endswith(f"#c{comment.pk}")
    # The tests' task backend runs tasks at once and cannot defer a retry; the queue's own
    # retry with backoff is shown in tests/publication/test_task_queue.py.
    assert any(
        "Could not send the email of email_moderators" in r.getMessage() for r in caplog.records
    )

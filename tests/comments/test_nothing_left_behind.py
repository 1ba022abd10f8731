"""No data left behind: after erasing a person's data, a full dump of the database and the
logs of the whole run hold neither their name nor their email address, although the mail
server refused their address (whose error names it) and they were banned."""

import io
import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from comments.models import BannedSender, Comment, StatementOfReasons
from tests.clients import BrowserClient
from tests.factories import UserFactory
from tests.publication.test_task_queue import run_worker

from .conftest import form_data

NAME = "Zweifelsfreia Unverwechselbar"
EMAIL = "zweifelsfreia.unverwechselbar@example.org"
NEEDLES = ("Zweifelsfreia", "Unverwechselbar", "zweifelsfreia", "unverwechselbar")


class RefusingMailServer(BaseEmailBackend):
    """Refuses every recipient, naming it, as smtplib does."""

    def send_messages(self, email_messages):
        recipients = [to for message in email_messages for to in message.to]
        raise smtplib.SMTPRecipientsRefused(
            {to: (550, f"5.1.1 <{to}>: Recipient address rejected".encode()) for to in recipients}
        )


def holds_the_person(text: str) -> list[str]:
    return [needle for needle in NEEDLES if needle in text]


@pytest.mark.django_db(transaction=True)
def test_after_erasure_the_dump_and_the_logs_hold_neither_name_nor_email(report, settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    settings.COMMENTS_FLOOD_SECONDS = 0
    caplog.set_level(logging.DEBUG)
    post_url = reverse("comments:post", kwargs={"slug": report.slug})

    # The person comments, asks for notifications; the mail server refuses their address.
    response = BrowserClient().post(
        post_url,
        form_data(author_name=NAME, author_email=EMAIL, notify_replies="on"),
        REMOTE_ADDR="198.51.100.23",
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    run_worker()
    refused = DBTaskResult.objects.get(
        task_path="comments.tasks.email_confirmation", status="FAILED"
    )
    assert refused.exception_class_path == "aireport.mail.RecipientRefused"
    assert not holds_the_person(str(refused.traceback))
    assert not holds_the_person(caplog.text)

    # A moderator trashes the comment (its statement to the author is refused too) and bans.
    moderator = UserFactory(is_staff=True, is_superuser=True, username="chefin")
    desk = BrowserClient()
    desk.force_login(moderator)
    desk.post(reverse("admin:comments_comment_trash", args=[comment.pk]), {"ground": "rule-4"})
    desk.post(
        reverse("admin:comments_comment_ban", args=[comment.pk]),
        {"scope": "email", "reason": "Werbung"},
    )
    run_worker()
    assert StatementOfReasons.objects.filter(sent_at=None).count() == 1
    assert BannedSender.is_banned(email=EMAIL, ip_address=None)
    assert mail.outbox == []

    exported = io.StringIO()
    call_command("export_personal_data", EMAIL, stdout=exported)
    assert '"banned": true' in exported.getvalue()

    call_command("erase_personal_data", EMAIL, stdout=io.StringIO())

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert holds_the_person(dump.getvalue()) == []
    assert holds_the_person(caplog.text) == []
    # The ban stays, as a keyed hash only: a new comment from the address still goes to spam.
    assert BannedSender.is_banned(email=EMAIL.upper(), ip_address=None)
    # The person's task rows are gone.
    assert not DBTaskResult.objects.filter(task_path="comments.tasks.email_confirmation").exists()
    assert not DBTaskResult.objects.filter(task_path="comments.tasks.email_statement").exists()

"""Emails go out from the task queue (django-tasks' database backend), run by `db_worker`.

These tests switch from the tests' immediate backend to the real one and run the worker in
this process, so they show both halves: what a request leaves queued, and the delivery.
"""

import smtplib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, Subscription
from tests.comments.conftest import CommentFactory
from tests.factories import UserFactory

# The worker opens its own transactions and closes connections, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """`manage.py db_worker --batch`: run every task that is due, then stop."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def waiting(task_name: str):
    return DBTaskResult.objects.filter(
        task_path=f"comments.tasks.{task_name}", status=TaskResultStatus.READY
    )


def test_approving_200_comments_at_once_queues_their_notifications_and_sends_nothing_inline(
    client, mailoutbox, report
):
    question = CommentFactory(report=report, author_email="erika@example.org")
    Subscription.objects.create(
        email="erika@example.org", report=report, comment=question, confirmed_at=timezone.now()
    )
    DBTaskResult.objects.all().delete()  # the question's own (empty) notification run
    pending = [
        Comment(
            report=report,
            parent=question if number < 2 else None,
            author_name=f"L{number}",
            author_email=f"l{number}@example.org",
            text=f"Antwort {number}",
        )
        for number in range(200)
    ]
    Comment.objects.bulk_create(pending)
    # (A transactional test cannot rely on the groups the migrations made: they are flushed.)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        f"/{settings.ADMIN_URL}comments/comment/",
        {"action": "approve", "_selected_action": [c.pk for c in Comment.objects.pending()]},
    )

    assert response.status_code == 302
    assert Comment.objects.approved().count() == 201
    assert waiting("notify_subscribers").count() == 200
    assert mailoutbox == []  # nothing was sent while the moderator waited

    run_worker()

    assert waiting("notify_subscribers").count() == 0
    assert (
        sorted(mail.subject for mail in mailoutbox)
        == ["Neue Antwort auf deinen Kommentar zu „AI Safety Progress“"] * 2
    )
    assert {mail.to[0] for mail in mailoutbox} == {"erika@example.org"}


def test_a_failing_mail_server_is_tried_again_later_and_the_comment_stays(
    post_comment, settings, mailoutbox, report
):
    settings.COMMENTS_MODERATOR_EMAILS = ["mod@example.org"]
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"

    response = post_comment(text="Bitte prüfen.")

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert waiting("email_moderators").count() == 1

    run_worker()  # the mail server fails

    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.exception_class_path == "smtplib.SMTPServerDisconnected"
    retry = waiting("email_moderators").get()
    assert retry.args_kwargs == {"args": [comment.pk], "kwargs": {"attempt": 2}}
    assert timedelta(seconds=50) < retry.run_after - timezone.now() <= timedelta(minutes=1)
    assert Comment.objects.get() == comment  # nothing lost, nothing blocked

    run_worker()  # not due yet: the backoff holds it back
    assert waiting("email_moderators").count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()

    (mail,) = mailoutbox
    assert mail.to == ["mod@example.org"]
    assert mail.from_email == f"{settings.SITE_NAME} <noreply@localhost>"
    assert "Bitte prüfen." in mail.body
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL


def test_the_next_retry_waits_four_times_as_long(post_comment, settings, report):
    settings.COMMENTS_MODERATOR_EMAILS = ["mod@example.org"]
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    post_comment(text="Bitte prüfen.")
    run_worker()
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())

    run_worker()  # attempt 2 fails too

    retry = waiting("email_moderators").get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 3}
    assert timedelta(minutes=3) < retry.run_after - timezone.now() <= timedelta(minutes=4)


def test_the_last_attempt_gives_up_without_another_retry(settings, report):
    from comments.tasks import email_moderators

    settings.COMMENTS_MODERATOR_EMAILS = ["mod@example.org"]
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    comment = CommentFactory(report=report, status=Comment.Status.PENDING)
    email_moderators.enqueue(comment.pk, attempt=settings.EMAIL_MAX_ATTEMPTS)

    run_worker()

    assert waiting("email_moderators").count() == 0
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1


def test_health_reports_the_oldest_waiting_task(client, report):
    from comments.tasks import notify_subscribers

    notify_subscribers.enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    notify_subscribers.enqueue(2)

    tasks = client.get("/health/").json()["tasks"]

    assert tasks["waiting"] == 2
    assert 600 <= tasks["oldest_waiting_seconds"] < 660

    run_worker()
    assert client.get("/health/").json()["tasks"] == {
        "waiting": 0,
        "running": 0,
        "stuck": 0,
        "failed_last_hour": 0,
        "oldest_waiting_seconds": 0,
    }

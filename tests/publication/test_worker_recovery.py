"""No email is lost: readers' reports go through the queue like every other email, a failing
mail server only delays them, and a task left RUNNING by a dead worker is taken back by the
next one (aireport/worker.py, docs/reliability.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aireport.models import WorkerHeartbeat
from aireport.worker import HeartbeatWorker, requeue_stuck_tasks
from comments.models import Comment, Notice
from comments.notices import decide_notice
from comments.tasks import email_moderators
from tests.comments.conftest import CommentFactory
from tests.comments.test_notices import send_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]


def run_worker(worker_id="next-worker") -> None:
    """`manage.py task_worker --batch`: take back what dead workers left, run what is due."""
    HeartbeatWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


def make_due() -> None:
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_report_mails_wait_for_a_failing_mail_server_and_go_out_when_it_is_back(
    client, settings, mailoutbox, report
):
    comment = CommentFactory(report=report, status=Comment.Status.APPROVED)
    settings.EMAIL_BACKEND = "tests.publication.test_task_queue.BrokenMailServer"

    response = send_report(client, comment)  # a hanging mail server would not hold it either
    assert response.status_code == 302
    assert mailoutbox == []
    run_worker()  # the mail server is down
    decide_notice(
        notice=Notice.objects.get(),
        decision=Notice.Decision.REMOVED,
        reason="Beleidigend.",
        user=UserFactory(is_staff=True),
    )
    make_due()
    run_worker()  # still down: the moderators' email is tried again, the decision and the
    # statement of reasons to the comment's author (DSA Art. 17) once
    assert mailoutbox == []
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 4

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due()
    run_worker()

    assert sorted((mail.to[0], mail.subject) for mail in mailoutbox) == sorted(
        [
            ("melderin@example.org", "Entscheidung zu deiner Meldung: Kommentar entfernt"),
            ("moderation@example.org", f"Kommentar gemeldet: „{report.title}“"),
            (comment.author_email, f"Dein Kommentar zu „{report.title}“: entfernt"),
        ]
    )
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def left_running_by(worker_id: str, *, minutes_ago: float) -> DBTaskResult:
    """A moderators' email whose worker stopped in the middle, `minutes_ago`."""
    comment = CommentFactory(status=Comment.Status.PENDING, text="Wartet auf die Redaktion.")
    task = DBTaskResult.objects.get(pk=email_moderators.enqueue(comment.pk).id)
    started = timezone.now() - timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=[worker_id]
    )
    assert comment.status == Comment.Status.PENDING
    return task


def test_health_shows_a_task_of_a_dead_worker_as_stuck_and_the_next_worker_sends_it_once(
    client, mailoutbox, settings
):
    settings.TASKS_STUCK_AFTER_SECONDS = 300
    WorkerHeartbeat.objects.create(worker_id="dead", beat_at=timezone.now() - timedelta(minutes=6))
    task = left_running_by("dead", minutes_ago=7)

    health = client.get("/health/").json()
    assert health["status"] == "degraded"
    assert health["tasks"]["running"] == 1 and health["tasks"]["stuck"] == 1

    run_worker()

    (mail,) = mailoutbox
    assert "Wartet auf die Redaktion." in mail.body
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["dead", "next-worker"]
    assert client.get("/health/").json()["status"] == "ok"
    run_worker()
    assert len(mailoutbox) == 1


def test_a_task_of_a_worker_that_still_beats_is_left_alone(client, mailoutbox, settings):
    settings.TASKS_STUCK_AFTER_SECONDS = 300
    WorkerHeartbeat.objects.create(worker_id="busy", beat_at=timezone.now())
    task = left_running_by("busy", minutes_ago=20)  # a long task, but its worker lives

    assert requeue_stuck_tasks() == 0
    assert client.get("/health/").json()["tasks"]["stuck"] == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_without_any_heartbeat_counts_from_its_start(settings):
    """A worker from before the heartbeat (plain db_worker) has no row: its start counts."""
    settings.TASKS_STUCK_AFTER_SECONDS = 300
    left_running_by("old-style", minutes_ago=2)
    assert requeue_stuck_tasks() == 0
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(minutes=6))
    assert requeue_stuck_tasks() == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

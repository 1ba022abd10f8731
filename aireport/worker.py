"""The task queue's worker, with a heartbeat, so that no task is lost (docs/reliability.md).

django-tasks-db's `db_worker` marks a task RUNNING and runs it; a worker killed in the middle
(kill -9, out of memory, a deploy) leaves it RUNNING for good. `manage.py task_worker` is that
worker with two additions, wrapped around it rather than forked:

- a thread of its own writes the worker's heartbeat (WorkerHeartbeat) every
  TASKS_HEARTBEAT_SECONDS, for as long as the process lives;
- at start, and then every minute from that thread, tasks RUNNING under a worker whose last
  beat (or, without one, whose start) is older than TASKS_STUCK_AFTER_SECONDS are put back in
  the queue, where the next free worker takes them.

A task taken back runs again from its start. The emails' tasks send one message each, so a
mail is sent again only if the dead worker had handed it to the mail server and died before
recording that (docs/reliability.md says why that is the better failure).
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from aireport.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: How often a worker looks for tasks left behind by dead workers.
RECLAIM_EVERY_SECONDS = 60


def stuck_limit() -> timedelta:
    return timedelta(seconds=settings.TASKS_STUCK_AFTER_SECONDS)


def stuck_tasks() -> list[DBTaskResult]:
    """RUNNING tasks whose worker has given no sign of life within the limit."""
    cutoff = timezone.now() - stuck_limit()
    running = list(DBTaskResult.objects.running().only("id", "worker_ids", "started_at"))
    if not running:
        return []
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "beat_at"))
    stuck = []
    for task in running:
        worker = task.worker_ids[-1] if task.worker_ids else None
        last_sign = beats.get(worker) or task.started_at
        if last_sign is None or last_sign < cutoff:
            stuck.append(task)
    return stuck


def requeue_stuck_tasks() -> int:
    """Put the tasks of dead workers back in the queue; returns how many."""
    count = 0
    for task in stuck_tasks():
        # Only if still RUNNING: a worker that was merely slow may have finished it meanwhile.
        count += DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning(
            "Task %s (%s) was left running by worker %s; queued again",
            task.pk,
            task.task_path,
            task.worker_ids[-1] if task.worker_ids else "?",
        )
    # Workers that have not beaten for a day are long gone.
    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()
    return count


def queue_status() -> dict:
    """What /health/ reports about the queue (docs/deployment.md)."""
    now = timezone.now()
    waiting = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    oldest = waiting["oldest"]
    return {
        "waiting": waiting["count"],
        "running": DBTaskResult.objects.running().count(),
        "stuck": len(stuck_tasks()),
        "failed_last_hour": DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - timedelta(hours=1))
        .count(),
        "oldest_waiting_seconds": round((now - oldest).total_seconds()) if oldest else 0,
    }


def beat(worker_id: str) -> None:
    """The worker's sign of life."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"beat_at": timezone.now()}
    )


class Heartbeat(threading.Thread):
    """Beats for the worker and takes back the tasks of dead ones, until stopped."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        last_reclaim = timezone.now()
        try:
            while not self.stopped.wait(settings.TASKS_HEARTBEAT_SECONDS):
                try:
                    close_old_connections()
                    beat(self.worker_id)
                    if (timezone.now() - last_reclaim).total_seconds() >= RECLAIM_EVERY_SECONDS:
                        last_reclaim = timezone.now()
                        requeue_stuck_tasks()
                except Exception:
                    # A database hiccup: the next beat tries again.
                    logger.exception("Worker heartbeat failed")
        finally:
            connection.close()


class HeartbeatWorker(Worker):
    """django-tasks-db's worker, beating, and taking back what dead workers left."""

    def run(self) -> None:
        beat(self.worker_id)
        requeue_stuck_tasks()
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

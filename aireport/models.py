"""The site's own bookkeeping: the task workers' heartbeats (aireport/worker.py)."""

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """A running `manage.py task_worker`: it writes `beat_at` every few seconds from a thread
    of its own. A task RUNNING under a worker whose beat stopped is taken back."""

    worker_id = models.CharField("Worker", max_length=64, primary_key=True)
    started_at = models.DateTimeField("Gestartet am", default=timezone.now)
    beat_at = models.DateTimeField("Letztes Lebenszeichen", default=timezone.now)

    class Meta:
        verbose_name = "Task-Worker"
        verbose_name_plural = "Task-Worker"

    def __str__(self):
        return f"Worker {self.worker_id}"

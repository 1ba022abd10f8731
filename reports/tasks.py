"""What the task queue does for reports: scheduled publications go live on time.

`workflow.schedule` queues `publish_due_schedules` to run after the schedule's moment; the
task publishes everything that is due, oldest first, so a worker that was down catches up
in order when it starts again. Nothing publishes on a request.
"""

from django_tasks import task


@task()
def publish_due_schedules() -> int:
    from .workflow import publish_due

    return len(publish_due())

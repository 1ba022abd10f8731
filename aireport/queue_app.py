from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    """django-tasks-db's app under a German name: the admin's start page and breadcrumbs say
    "Aufgabenwarteschlange", not "Tasks Database Backend" (its model names stay the library's)."""

    verbose_name = "Aufgabenwarteschlange"

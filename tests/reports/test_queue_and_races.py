"""Scheduled publications go live by the task queue's worker alone, catch up in order after
an outage, and two publishes at the same moment give one publication and one conflict page.

These tests commit for real (the worker and the threads use their own connections), as
tests/publication/test_task_queue.py does; CI runs them on SQLite and on PostgreSQL.
"""

import datetime
import threading
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aireport.staff_groups import grant_group_permissions
from reports import workflow
from reports.models import Publication, Report, Schedule
from tests.factories import ReportFactory, SectionFactory, staff_in_group
from tests.publication.test_task_queue import run_worker

from .test_admin_editing import change_url, form_index, read_change_form
from .test_publishing import article_html, clock, soon

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def chief(db):
    # The database is flushed between these tests, and with it the groups the migrations
    # create: build the group again from its migration's own list.
    chiefs = import_module("reports.migrations.0007_chefredaktion_group")
    grant_group_permissions(Group, Permission, "Chefredaktion", chiefs.CHIEF_EDITOR_PERMISSIONS)
    return staff_in_group(
        "Chefredaktion", username="chefin", first_name="Erika", last_name="Muster"
    )


def plan(report, chief, body, at):
    state = workflow.preview_state(report, user=chief)
    state.sections[-1].body = body
    return workflow.schedule(
        report, state, user=chief, base_id=workflow.head_id(report), at=at, note=body
    )


def test_a_schedule_goes_live_by_the_worker_with_no_request(chief, seeded_report):
    moment = soon(hours=3)
    with clock(soon()):
        plan(seeded_report, chief, "Published by the worker.", moment)
    queued = DBTaskResult.objects.get(task_path="reports.workflow.publish_due_schedules")
    assert queued.status == TaskResultStatus.READY
    assert queued.run_after == moment

    with clock(moment - datetime.timedelta(minutes=1)):
        run_worker()  # not yet due: the task waits
    assert not Publication.objects.filter(note="Published by the worker.").exists()

    with clock(moment + datetime.timedelta(seconds=5)):
        run_worker()
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert Publication.objects.filter(note="Published by the worker.").exists()
    assert not Schedule.objects.exists()
    assert "Published by the worker." in article_html(report=seeded_report)


def test_after_an_outage_the_worker_catches_up_in_order(chief, seeded_report):
    other = ReportFactory(title="Second report")
    SectionFactory(report=other, title="Only section")
    earlier, later = soon(hours=1), soon(hours=2)
    with clock(soon()):
        plan(seeded_report, chief, "Later schedule.", later)
        plan(other, chief, "Earlier schedule.", earlier)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2

    with clock(later + datetime.timedelta(hours=5)):  # the worker was down until now
        run_worker()
    published = list(
        Publication.objects.filter(note__endswith="schedule.")
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert published == ["Earlier schedule.", "Later schedule."]
    assert not Schedule.objects.exists()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_two_publishes_at_the_same_moment_give_one_publication_and_one_conflict(
    chief, seeded_report
):
    second_chief = staff_in_group("Chefredaktion", username="max", first_name="Max")
    clients = []
    forms = []
    for user, body in ((chief, "Erika's conclusion."), (second_chief, "Max's conclusion.")):
        client = Client()
        client.force_login(user)
        data = read_change_form(client, change_url(seeded_report))
        data[f"sections-{form_index(data, 'Conclusion')}-body"] = body
        data.update(_publish="Veröffentlichen", change_note=body)
        clients.append(client)
        forms.append(data)

    start = threading.Barrier(2)
    statuses = []

    def publish(client, data):
        try:
            start.wait()
            statuses.append(client.post(change_url(seeded_report), data).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=publish, args=pair) for pair in zip(clients, forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [302, 409]
    listed = list(Publication.objects.in_changelog().values_list("note", flat=True))
    assert len(listed) == 1
    article = article_html(report=Report.objects.get(pk=seeded_report.pk))
    assert listed[0] in article

"""“Rückgängig” after the ground page of "Papierkorb" (as WordPress offers it after "In den
Papierkorb"): the list the page leads back to offers it for COMMENTS_UNDO_SECONDS, without
JavaScript too, and the statement of reasons waits as long before it is emailed."""

import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comments.admin.undo import SESSION_KEY
from comments.models import Comment, StatementOfReasons
from tests.factories import UserFactory, staff_in_group
from tests.publication.test_task_queue import run_worker

from .conftest import CommentFactory
from .desk import log_messages

pytestmark = pytest.mark.django_db
Status = Comment.Status


def changelist():
    return reverse("admin:comments_comment_changelist")


def trash(client, comment, ground="rule-2"):
    """The ground page, sent as the browser sends it; the list it leads back to."""
    return client.post(
        reverse("admin:comments_comment_trash", args=[comment.pk]),
        {"ground": ground, "next": changelist() + "?status=approved"},
        follow=True,
    )


def offers(response):
    return BeautifulSoup(response.content, "html.parser").select(".comment-undo-offers form")


def send(client, form, **headers):
    """Press the offer's "Rückgängig" (a plain form: no JavaScript needed)."""
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    return client.post(form["action"], data, follow=True, **headers)


@pytest.fixture
def queue(settings):
    """The real queue, which holds the email (the tests' immediate backend sends at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def bernd(report):
    return CommentFactory(report=report, author_name="Bernd", author_email="bernd@example.org")


def test_the_list_after_the_ground_page_offers_undo(moderator_client, bernd):
    response = trash(moderator_client, bernd)
    assert response.redirect_chain[-1][0] == changelist() + "?status=approved"
    [form] = offers(response)
    assert form.get_text(" ", strip=True) == (
        "Kommentar von Bernd in den Papierkorb gelegt. Rückgängig"
    )
    assert form["action"] == reverse("admin:comments_comment_undo", args=[bernd.pk])
    assert 0 < int(form["data-seconds"]) <= 120
    # It comes back to the view the moderator left.
    assert form.select_one("input[name=next]")["value"] == changelist() + "?status=approved"

    undone = send(moderator_client, form)
    bernd.refresh_from_db()
    assert bernd.status == Status.APPROVED
    assert "Rückgängig gemacht: Der Kommentar ist wieder „Freigegeben“." in undone.text
    assert undone.redirect_chain[-1][0] == changelist() + "?status=approved"
    assert log_messages(bernd)[-1] == "Status: Papierkorb → Freigegeben (Rückgängig)"
    # Used: not offered again.
    assert offers(undone) == []
    assert offers(moderator_client.get(changelist())) == []


def test_a_waiting_comment_goes_back_to_waiting(moderator_client, report):
    waiting = CommentFactory(report=report, status=Status.PENDING, author_name="Lea")
    [form] = offers(trash(moderator_client, waiting))
    send(moderator_client, form)
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


def test_the_offer_expires(moderator_client, bernd):
    trash(moderator_client, bernd)
    session = moderator_client.session
    session[SESSION_KEY] = [{**session[SESSION_KEY][0], "until": time.time() - 1}]
    session.save()
    assert offers(moderator_client.get(changelist())) == []
    assert moderator_client.session[SESSION_KEY] == []


def test_the_offer_is_one_moderators_own(moderator_client, bernd, client):
    trash(moderator_client, bernd)
    other = staff_in_group("Moderators", username="moritz")
    client.force_login(other)
    assert offers(client.get(changelist())) == []


def test_after_a_second_moderators_action_undo_is_refused(moderator_client, bernd, report):
    [form] = offers(trash(moderator_client, bernd))
    # Meanwhile a second moderator restores it from the trash (it waits again).
    Comment.objects.filter(pk=bernd.pk).update(status=Status.PENDING)
    assert offers(moderator_client.get(changelist())) == []  # no longer offered

    refused = send(moderator_client, form)
    assert (
        "Nicht mehr rückgängig zu machen: Der Kommentar hat inzwischen den Status „Ausstehend“."
        in refused.text
    )
    bernd.refresh_from_db()
    assert bernd.status == Status.PENDING


def test_a_row_action_without_javascript_offers_undo_too(moderator_client, report):
    waiting = CommentFactory(report=report, status=Status.PENDING, author_name="Ida")
    response = moderator_client.post(
        reverse("admin:comments_comment_status", args=[waiting.pk]),
        {"status": Status.SPAM, "next": changelist()},
        follow=True,
    )
    [form] = offers(response)
    assert form.get_text(" ", strip=True) == "Kommentar von Ida als Spam markiert. Rückgängig"
    send(moderator_client, form)
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


def test_the_script_gets_the_undo_window_from_the_setting(moderator_client, bernd, settings):
    settings.COMMENTS_UNDO_SECONDS = 45
    page = BeautifulSoup(moderator_client.get(changelist()).content, "html.parser")
    assert page.select_one("#comment-row-actions")["data-undo-seconds"] == "45"
    [form] = offers(trash(moderator_client, bernd))
    assert 40 < int(form["data-seconds"]) <= 45


@pytest.mark.parametrize("group", ["Editors", "Chefredaktion", None])
def test_staff_without_the_change_permission_cannot_undo(client, moderator_client, bernd, group):
    [form] = offers(trash(moderator_client, bernd))
    user = staff_in_group(group, username="gast") if group else UserFactory(is_staff=True)
    client.force_login(user)
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert client.post(form["action"], data).status_code == 403
    bernd.refresh_from_db()
    assert bernd.status == Status.TRASH


def test_an_undone_removal_withdraws_its_unsent_statement(moderator_client, bernd, queue):
    """The statement stays on record, marked as taken back; the comment's page says so."""
    [form] = offers(trash(moderator_client, bernd))
    send(moderator_client, form)
    statement = StatementOfReasons.objects.get(comment=bernd)
    assert statement.sent_at is None and statement.withdrawn_at is not None
    page = BeautifulSoup(
        moderator_client.get(reverse("admin:comments_comment_change", args=[bernd.pk])).content,
        "html.parser",
    )
    text = page.select_one(".comment-statement").get_text(" ", strip=True)
    assert "zurückgenommen am" in text and "nicht verschickt" in text


def test_a_removal_undone_after_the_window_keeps_its_statement(moderator_client, bernd, queue):
    trash(moderator_client, bernd)
    StatementOfReasons.objects.update(created_at=timezone.now() - timedelta(seconds=121))
    # Restored much later: the removal stood, and so does its statement.
    moderator_client.post(
        reverse("admin:comments_comment_status", args=[bernd.pk]), {"status": Status.PENDING}
    )
    assert StatementOfReasons.objects.get(comment=bernd).withdrawn_at is None


@pytest.mark.django_db(transaction=True)
def test_the_statement_waits_for_the_undo_window_and_an_undo_cancels_it(client, report, settings):
    """With the real queue: the email is held while "Rückgängig" is offered; undone in that
    time, the worker sends nothing, even once the email is due."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # (A transactional test cannot rely on the groups the migrations made: they are flushed.)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    comment = CommentFactory(report=report, author_name="Bernd", author_email="bernd@example.org")
    [form] = offers(trash(client, comment))
    run_worker()
    assert mail.outbox == []  # held

    send(client, form)
    DBTaskResult.objects.update(run_after=timezone.now())  # the window has passed
    run_worker()
    assert mail.outbox == []
    statement = StatementOfReasons.objects.get(comment=comment)
    assert statement.sent_at is None and statement.withdrawn_at is not None
    assert not any(m.startswith("Begründung verschickt") for m in log_messages(comment))

"""Statements of reasons (DSA Art. 17): a moderator who rejects or trashes a comment gives a
ground once; the author with an address is emailed what was done, why and how to object; the
objection reaches the desk and its decision reaches the author."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from comments.grounds import RULES
from comments.models import Comment, Notice, Objection, StatementOfReasons
from tests.publication.test_task_queue import run_worker

from .conftest import CommentFactory
from .desk import log_messages

pytestmark = pytest.mark.django_db
Status = Comment.Status
CHANGELIST = "admin:comments_comment_changelist"


@pytest.fixture
def published(report):
    return CommentFactory(
        report=report,
        author_name="Erika",
        author_email="erika@example.org",
        text="Das ist ein Kommentar mit vielen Wörtern, der am Ende gekürzt in der E-Mail steht.",
    )


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """Run what each action queues (the test settings' tasks run at once); the outbox."""

    class Outbox:
        def after(self, action):
            with django_capture_on_commit_callbacks(execute=True):
                result = action()
            return result

        @property
        def sent(self):
            return mail.outbox

    return Outbox()


def trash(client, comment, **data):
    return client.post(reverse("admin:comments_comment_trash", args=[comment.pk]), data)


def objection_link(message) -> str:
    return re.search(r"https?://\S+/kommentare/widerspruch/\S+/", message.body).group(0)


def test_the_rules_are_those_of_the_default_discussion_rules_page():
    from importlib import import_module

    text = import_module("legal.migrations.0004_discussion_rules_text").DISKUSSIONSREGELN
    numbered = re.findall(r"^(\d+)\. \*\*(.+?):\*\*", text, re.MULTILINE)
    assert [(int(n), title) for n, title in numbered] == list(RULES)


def test_the_trash_row_action_asks_for_the_ground(moderator_client, published):
    page = BeautifulSoup(moderator_client.get(reverse(CHANGELIST)).content, "html.parser")
    link = page.select_one("a.row-action-trash")
    assert link["href"] == reverse("admin:comments_comment_trash", args=[published.pk])
    form = BeautifulSoup(moderator_client.get(link["href"]).content, "html.parser")
    choices = [label.get_text() for label in form.select(".comment-ground-choices label")]
    assert choices[0] == "Regel 1: Rechtswidrige Inhalte"
    assert choices[-2:] == ["Rechtswidriger Inhalt (mit rechtlichem Hinweis)", "Anderer Grund"]


def test_without_a_ground_nothing_happens(moderator_client, published):
    response = trash(moderator_client, published)
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Grund." in response.content.decode()
    response = trash(moderator_client, published, ground="illegal", note="  ")
    assert "Bitte nennen Sie das verletzte Gesetz." in response.content.decode()
    published.refresh_from_db()
    assert published.status == Status.APPROVED
    # The old row button without a ground leads to the page that asks for it.
    response = moderator_client.post(
        reverse("admin:comments_comment_status", args=[published.pk]), {"status": Status.TRASH}
    )
    assert response["Location"] == reverse("admin:comments_comment_trash", args=[published.pk])
    published.refresh_from_db()
    assert published.status == Status.APPROVED


def test_trashing_a_published_comment_mails_the_statement(moderator_client, published, mails):
    mails.after(
        lambda: trash(moderator_client, published, ground="illegal", note="Beleidigung, § 185 StGB")
    )
    published.refresh_from_db()
    assert published.status == Status.TRASH
    [message] = mails.sent
    assert message.to == ["erika@example.org"]
    assert message.subject == f"Dein Kommentar zu „{published.report.title}“: entfernt"
    body = message.body
    assert "Hallo Erika," in body
    assert "beginnt mit: „Das ist ein Kommentar mit vielen Wörtern, der am Ende gekürzt" in body
    assert "Der Kommentar war veröffentlicht. Wir haben ihn am" in body
    assert "Rechtswidriger Inhalt: Beleidigung, § 185 StGB" in body
    assert "eine Meldung lag nicht vor" in body
    assert "Entschieden hat ein Mensch aus der Moderation, keine automatische Regel." in body
    assert "/kommentare/widerspruch/" in body
    statement = StatementOfReasons.objects.get()
    assert statement.sent_at is not None and not statement.after_notice
    assert log_messages(published) == [
        "Status: Freigegeben → Papierkorb (Zeilenaktion) – Grund: Rechtswidriger Inhalt: "
        "Beleidigung, § 185 StGB",
        f"Begründung verschickt (Begründung #{statement.pk}): Rechtswidriger Inhalt: "
        "Beleidigung, § 185 StGB",
    ]


def test_rejecting_waiting_comments_in_bulk_asks_once(moderator_client, report, mails):
    first = CommentFactory(report=report, status=Status.PENDING, author_email="a@example.org")
    second = CommentFactory(report=report, status=Status.PENDING, author_email="b@example.org")
    anonymous = CommentFactory(report=report, status=Status.PENDING, author_email="")
    selected = {"action": "move_to_trash", "_selected_action": [first.pk, second.pk, anonymous.pk]}
    page = moderator_client.post(reverse(CHANGELIST), selected)
    assert page.status_code == 200
    assert "3 Kommentare werden in den Papierkorb gelegt" in page.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.PENDING}

    mails.after(
        lambda: moderator_client.post(
            reverse(CHANGELIST), {**selected, "post": "yes", "ground": "rule-5", "note": ""}
        )
    )
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.TRASH}
    assert sorted(m.to[0] for m in mails.sent) == ["a@example.org", "b@example.org"]
    assert all("nicht freigeschaltet" in m.subject for m in mails.sent)
    assert all("Verstoß gegen Regel 5 der Diskussionsregeln" in m.body for m in mails.sent)
    # Everyone's decision is recorded, the one without an address too; only two were sent.
    assert StatementOfReasons.objects.count() == 3
    assert StatementOfReasons.objects.exclude(sent_at=None).count() == 2


def test_spam_gets_no_statement(moderator_client, report, mails):
    """Art. 17(2): not for deceptive high-volume commercial content (docs/moderation.md)."""
    pending = CommentFactory(report=report, status=Status.PENDING)
    mails.after(
        lambda: moderator_client.post(
            reverse("admin:comments_comment_status", args=[pending.pk]), {"status": Status.SPAM}
        )
    )
    assert not StatementOfReasons.objects.exists()
    assert mails.sent == []


def test_a_removal_after_a_report_says_so(client, moderator, report, published, mails):
    from comments.notices import decide_notice

    from .test_notices import send_report

    send_report(client, published, reporter_email="")
    mails.after(
        lambda: decide_notice(
            notice=Notice.objects.get(),
            decision=Notice.Decision.REMOVED,
            reason="Beschimpft eine Leserin.",
            user=moderator,
        )
    )
    [message] = mails.sent
    assert "Eine Leserin oder ein Leser hat den Kommentar gemeldet" in message.body
    assert "Regel 2 der Diskussionsregeln (Angriffe auf Personen): Beschimpft" in message.body


def test_the_change_form_asks_for_the_ground_too(moderator_client, published):
    url = reverse("admin:comments_comment_change", args=[published.pk])
    form = moderator_client.get(url).context["adminform"].form
    data = {**form.initial, "section": "", "author_url": "", "status": Status.TRASH}
    response = moderator_client.post(url, data)
    assert response.status_code == 200
    assert "Bitte wählen Sie einen Grund." in response.content.decode()
    response = moderator_client.post(url, {**data, "removal_ground": "rule-3"})
    assert response.status_code == 302
    assert StatementOfReasons.objects.get().ground == "rule-3"


def test_the_author_objects_and_hears_the_decision(
    client, moderator_client, published, mails, settings
):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    mails.after(lambda: trash(moderator_client, published, ground="rule-2"))
    link = objection_link(mails.sent[0])
    path = link.split("example.org", 1)[-1] if "example.org" in link else link
    path = "/" + path.split("/", 3)[3]

    form = client.get(path)
    assert form.status_code == 200
    assert "Verstoß gegen Regel 2" in form.content.decode()
    assert client.post(path, {"text": ""}).status_code == 400
    words = "Das war keine Beleidigung,\r\nsondern Kritik."
    mails.after(lambda: client.post(path, {"text": words}))
    objection = Objection.objects.get()
    assert objection.text == "Das war keine Beleidigung,\nsondern Kritik."
    assert mails.sent[-1].to == ["moderation@example.org"]
    assert "sondern Kritik." in mails.sent[-1].body

    page = BeautifulSoup(
        moderator_client.get(reverse("admin:comments_comment_change", args=[published.pk])).content,
        "html.parser",
    )
    box = page.select_one(f"#widerspruch-{objection.pk}")
    assert "sondern Kritik." in box.get_text()
    decide = box.select_one("form")["action"]
    mails.after(
        lambda: moderator_client.post(decide, {"decision": "reversed", "reason": "Stimmt."})
    )
    published.refresh_from_db()
    assert published.status == Status.APPROVED
    answer = mails.sent[-1]
    assert answer.to == ["erika@example.org"]
    assert "Wir heben unsere Entscheidung auf." in answer.body and "Stimmt." in answer.body
    assert log_messages(published)[-2:] == [
        "Status: Papierkorb → Freigegeben (Widerspruch)",
        f"Widerspruch #{objection.pk} entschieden: Entscheidung aufgehoben, Kommentar "
        "freigegeben – Stimmt.",
    ]
    # Decided once: a second click changes nothing.
    moderator_client.post(decide, {"decision": "upheld"})
    objection.refresh_from_db()
    assert objection.decision == "reversed"


def test_an_upheld_objection_keeps_the_comment_removed(client, moderator_client, published, mails):
    mails.after(lambda: trash(moderator_client, published, ground="rule-4"))
    path = "/" + objection_link(mails.sent[0]).split("/", 3)[3]
    client.post(path, {"text": "Bitte noch einmal prüfen."})
    objection = Objection.objects.get()
    mails.after(
        lambda: moderator_client.post(
            reverse("admin:comments_comment_objection", args=[published.pk, objection.pk]),
            {"decision": "upheld", "reason": ""},
        )
    )
    published.refresh_from_db()
    assert published.status == Status.TRASH
    assert "Unsere Entscheidung bleibt bestehen." in mails.sent[-1].body


def test_a_forged_objection_link_is_not_found(client):
    assert client.get("/kommentare/widerspruch/abc/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_statement_goes_through_the_queue_and_worker(client, report, settings):
    """The email is a task like every other: queued with the statement's id, held while the
    desk offers "Rückgängig", sent by the worker after that, and only then logged as sent."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from tests.factories import UserFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(UserFactory(is_staff=True, is_superuser=True, username="chefin"))
    comment = CommentFactory(report=report, status=Status.PENDING, author_email="erika@example.org")
    trash(client, comment, ground="rule-6")
    queued = DBTaskResult.objects.get(task_path="comments.tasks.email_statement")
    assert "erika" not in str(queued.args_kwargs)
    held = queued.run_after - timezone.now()
    assert timedelta(seconds=settings.COMMENTS_UNDO_SECONDS - 10) < held
    assert held <= timedelta(seconds=settings.COMMENTS_UNDO_SECONDS)
    run_worker()  # not due yet
    assert mail.outbox == []
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())  # time passes
    run_worker()
    [message] = mail.outbox
    assert message.to == ["erika@example.org"]
    assert "Verstoß gegen Regel 6 der Diskussionsregeln (Täuschung)" in message.body
    assert log_messages(comment)[-1].startswith("Begründung verschickt")

"""The comment list reads like WordPress's: views with counts, badges, row actions."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from comments.models import Comment
from tests.factories import ReportFactory

from .conftest import CommentFactory
from .desk import log_messages

pytestmark = pytest.mark.django_db

Status = Comment.Status


def changelist():
    return reverse("admin:comments_comment_changelist")


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def desk(report):
    """The issue's 37 comments: 4 pending, 30 approved (one of them reported), 2 spam, 1 trash."""
    comments = {
        Status.PENDING: CommentFactory.create_batch(4, report=report, status=Status.PENDING),
        Status.APPROVED: CommentFactory.create_batch(30, report=report, status=Status.APPROVED),
        Status.SPAM: CommentFactory.create_batch(2, report=report, status=Status.SPAM),
        Status.TRASH: CommentFactory.create_batch(1, report=report, status=Status.TRASH),
    }
    return comments


def test_default_view_is_all_without_spam_and_trash_with_counts(moderator_client, desk):
    response = moderator_client.get(changelist(), {"all": ""})
    page = soup(response)
    views = [" ".join(li.get_text().split()) for li in page.select(".comment-views li")]
    assert views == [
        "Alle (34)",
        "Ausstehend (4)",
        "Freigegeben (30)",
        "Spam (2)",
        "Papierkorb (1)",
        "Gemeldet (0)",
    ]
    assert page.select_one(".comment-views [aria-current]").get_text() == "Alle (34)"
    statuses = {c.status for c in response.context["cl"].queryset}
    assert statuses == {Status.PENDING, Status.APPROVED}


@pytest.mark.parametrize("status", [Status.SPAM, Status.TRASH])
def test_spam_and_trash_have_their_own_views(moderator_client, desk, status):
    response = moderator_client.get(changelist(), {"status": status})
    shown = {c.pk for c in response.context["cl"].queryset}
    assert shown == {c.pk for c in desk[status]}
    page = soup(response)
    actions = [b.get_text() for b in page.select(".row-actions .row-action")]
    # "Bearbeiten" leads to the comment's page, where "Absender sperren" is.
    assert actions == ["Wiederherstellen", "Bearbeiten", "Endgültig löschen"] * len(desk[status])


def test_badges_carry_text_and_a_colour_class(moderator_client, desk):
    page = soup(moderator_client.get(changelist(), {"status": "pending"}))
    badges = page.select(".comment-status")
    assert {b.get_text() for b in badges} == {"Ausstehend"}
    assert all("comment-status-pending" in b["class"] for b in badges)


def test_row_actions_are_post_buttons_of_one_form_with_csrf(moderator_client, desk):
    page = soup(moderator_client.get(changelist(), {"status": "pending"}))
    form = page.select_one("form#comment-row-actions")
    assert form["method"] == "post"
    assert form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    row = page.select(".comment-row")[0]
    labels = [a.get_text() for a in row.select(".row-action")]
    assert labels == ["Freigeben", "Antworten", "Bearbeiten", "Spam", "Papierkorb"]
    approve = row.select_one("button.row-action-approve")
    assert approve["form"] == "comment-row-actions"
    assert approve["formaction"].endswith("/status/")


def test_reply_shows_whom_it_answers(moderator_client, report):
    parent = CommentFactory(report=report, author_name="Bernd")
    CommentFactory(report=report, parent=parent)
    page = soup(moderator_client.get(changelist()))
    assert " ".join(page.select_one(".comment-reply-to").get_text().split()) == (
        "Antwort auf Bernd"
    )


def test_report_column_only_with_more_than_one_report(moderator_client, report):
    CommentFactory(report=report)
    headers = [
        th.get_text().strip() for th in soup(moderator_client.get(changelist())).select("th")
    ]
    assert "Datum" in headers and "Datum · Bericht" not in headers
    assert not soup(moderator_client.get(changelist())).select(".comment-report")
    CommentFactory(report=ReportFactory(title="Zweiter Bericht"))
    page = soup(moderator_client.get(changelist()))
    assert "Datum · Bericht" in [th.get_text().strip() for th in page.select("thead th")]
    reports = {span.get_text() for span in page.select(".comment-report")}
    assert reports == {"Zweiter Bericht", report.title}


@pytest.mark.parametrize(
    ("before", "status", "message"),
    [
        (Status.PENDING, Status.APPROVED, "1 Kommentar freigegeben."),
        (Status.APPROVED, Status.PENDING, "1 Kommentar wartet (wieder) auf Freischaltung."),
        (Status.PENDING, Status.SPAM, "1 Kommentar als Spam markiert."),
        # (→ Papierkorb asks for a ground first: tests/comments/test_statements.py)
        (Status.TRASH, Status.PENDING, "1 Kommentar wartet (wieder) auf Freischaltung."),
    ],
)
def test_row_action_without_javascript_changes_logs_and_returns(
    moderator_client, report, before, status, message
):
    comment = CommentFactory(report=report, status=before)
    back = changelist() + "?status=pending"
    response = moderator_client.post(
        reverse("admin:comments_comment_status", args=[comment.pk]),
        {"status": status, "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    comment.refresh_from_db()
    assert comment.status == status
    page = moderator_client.get(back)
    assert message in [str(m) for m in page.context["messages"]]
    assert log_messages(comment) == [
        f"Status: {Status(before).label} → {Status(status).label} (Zeilenaktion)"
    ]


def test_row_action_with_javascript_answers_json(moderator_client, report):
    comment = CommentFactory(report=report, status=Status.PENDING)
    response = moderator_client.post(
        reverse("admin:comments_comment_status", args=[comment.pk]),
        {"status": Status.SPAM, "via": "shortcut"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.json()["message"] == "1 Kommentar als Spam markiert."
    assert log_messages(comment) == ["Status: Ausstehend → Spam (Tastenkürzel)"]


def test_row_action_refuses_get_and_foreign_next(moderator_client, report):
    comment = CommentFactory(report=report, status=Status.PENDING)
    url = reverse("admin:comments_comment_status", args=[comment.pk])
    assert moderator_client.get(url, {"status": Status.APPROVED}).status_code == 405
    response = moderator_client.post(
        url, {"status": Status.APPROVED, "next": "https://evil.example/"}
    )
    assert response["Location"] == changelist()


def test_row_actions_need_the_csrf_token(client, moderator, report):
    from django.test import Client

    comment = CommentFactory(report=report, status=Status.PENDING)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    response = strict.post(
        reverse("admin:comments_comment_status", args=[comment.pk]), {"status": Status.APPROVED}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_delete_forever_row_action_only_from_trash_or_spam(moderator_client, report):
    approved = CommentFactory(report=report, status=Status.APPROVED)
    trashed = CommentFactory(report=report, status=Status.TRASH)
    for comment in (approved, trashed):
        moderator_client.post(reverse("admin:comments_comment_delete_forever", args=[comment.pk]))
    assert list(Comment.objects.all()) == [approved]
    assert log_messages(trashed) == ["Endgültig gelöscht (war Papierkorb; Zeilenaktion)"]


@pytest.mark.parametrize(
    ("status", "label"), [(Status.SPAM, "Spam leeren"), (Status.TRASH, "Papierkorb leeren")]
)
def test_empty_spam_and_trash_after_a_confirmation_page(moderator_client, desk, status, label):
    page = soup(moderator_client.get(changelist(), {"status": status}))
    link = page.find("a", string=label)
    confirm = moderator_client.get(link["href"])
    assert confirm.status_code == 200
    assert Comment.objects.filter(status=status).count() == len(desk[status])  # GET keeps all
    assert f"„{Status(status).label}“" in confirm.content.decode()
    moderator_client.post(link["href"])
    assert not Comment.objects.filter(status=status).exists()
    assert Comment.objects.count() == 37 - len(desk[status])


def test_changelist_queries_do_not_grow_with_rows(
    moderator_client, report, django_assert_num_queries
):
    """20 rows or 200 (list_per_page raised): the same number of queries."""
    from comments.admin.desk import CommentAdmin

    def count_queries(rows):
        parents = CommentFactory.create_batch(rows // 2, report=report, status=Status.PENDING)
        for parent in parents:
            CommentFactory(report=report, parent=parent)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            response = moderator_client.get(changelist())
        assert len(response.context["cl"].result_list) == rows
        Comment.objects.all().delete()
        return len(context)

    original = CommentAdmin.list_per_page
    CommentAdmin.list_per_page = 200
    try:
        assert count_queries(20) == count_queries(200)
    finally:
        CommentAdmin.list_per_page = original

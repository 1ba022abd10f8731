""" "Keine Maßnahme" on a reader's report needs a reason: the reporter gets it with the decision."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from comments.models import Comment, Notice

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db


def decide(client, comment, notice, decision, reason):
    change_url = reverse("admin:comments_comment_change", args=[comment.pk])
    form = client.get(change_url).context["adminform"].form
    return client.post(
        change_url,
        {
            **form.initial,
            "section": "",
            "author_url": "",
            "notices-TOTAL_FORMS": "1",
            "notices-INITIAL_FORMS": "1",
            "notices-0-id": notice.pk,
            "notices-0-comment": comment.pk,
            "notices-0-decision": decision,
            "notices-0-decision_reason": reason,
        },
    )


@pytest.fixture
def reported(report):
    comment = CommentFactory(report=report)
    notice = Notice.objects.create(
        comment=comment,
        reason="insult",
        explanation="Beleidigend.",
        reporter_email="melderin@example.org",
    )
    return comment, notice


def test_no_action_without_a_reason_is_refused_at_the_field(
    moderator_client, reported, django_capture_on_commit_callbacks
):
    comment, notice = reported
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(moderator_client, comment, notice, "no_action", "  ")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    cell = page.select_one("td.field-decision_reason")
    assert "Bitte begründen Sie „Keine Maßnahme“ kurz" in cell.get_text()
    notice.refresh_from_db()
    assert notice.decision == "" and not mail.outbox


def test_no_action_with_a_reason_is_decided_and_sent(
    moderator_client, reported, django_capture_on_commit_callbacks
):
    comment, notice = reported
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(moderator_client, comment, notice, "no_action", "Zulässige Kritik.")
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.decision == "no_action"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Begründung: Zulässige Kritik." in mail.outbox[-1].body


def test_removal_needs_no_reason(moderator_client, reported):
    comment, notice = reported
    assert decide(moderator_client, comment, notice, "removed", "").status_code == 302
    notice.refresh_from_db()
    assert notice.decision == "removed"

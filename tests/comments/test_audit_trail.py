"""Every moderation step leaves a LogEntry: the comment's "Geschichte" and the
"Moderationsprotokoll" answer who did what."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from comments.models import Comment

from .conftest import CommentFactory
from .desk import log_messages

pytestmark = pytest.mark.django_db
Status = Comment.Status


def test_bulk_action_logs_each_comment_with_old_and_new_status(moderator_client, moderator, report):
    pending = CommentFactory(report=report, status=Status.PENDING)
    spam = CommentFactory(report=report, status=Status.SPAM)
    already = CommentFactory(report=report, status=Status.APPROVED)
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [pending.pk, spam.pk, already.pk]},
    )
    assert log_messages(pending) == ["Status: Ausstehend → Freigegeben (Sammelaktion)"]
    assert log_messages(spam) == ["Status: Spam → Freigegeben (Sammelaktion)"]
    assert log_messages(already) == []  # nothing changed, nothing logged
    entry = LogEntry.objects.get(object_id=str(pending.pk))
    assert entry.user == moderator
    # The report, for "Neueste Aktionen"; no name, no text.
    assert entry.object_repr == f"Kommentar #{pending.pk} zu „{report.title}“"


def test_text_edit_logs_a_readable_before_and_after(moderator_client, report):
    comment = CommentFactory(report=report, text="Tippfehlr", status=Status.APPROVED)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    form = moderator_client.get(url).context["adminform"].form
    moderator_client.post(
        url,
        {
            **form.initial,
            "section": "",  # the whole report (None cannot be posted)
            "text": "Tippfehler",
            "status": Status.PENDING,
            "notices-TOTAL_FORMS": "0",
            "notices-INITIAL_FORMS": "0",
        },
    )
    assert log_messages(comment) == [
        "Status: Freigegeben → Ausstehend (Kommentarseite)",
        "Text bearbeitet.\nVorher: „Tippfehlr“\nNachher: „Tippfehler“",
    ]


def test_history_page_lists_the_entries(moderator_client, report):
    comment = CommentFactory(report=report, status=Status.PENDING)
    moderator_client.post(
        reverse("admin:comments_comment_status", args=[comment.pk]), {"status": Status.APPROVED}
    )
    page = moderator_client.get(reverse("admin:comments_comment_history", args=[comment.pk]))
    text = " ".join(BeautifulSoup(page.content, "html.parser").get_text().split())
    assert "Status: Ausstehend → Freigegeben (Zeilenaktion)" in text
    assert "moderatorin" in text
    assert "keine Änderungsgeschichte" not in text


def test_moderation_log_filters_by_moderator_and_action(moderator_client, moderator, report):
    from tests.factories import staff_in_group

    other = staff_in_group("Moderators", username="zweiter")
    first = CommentFactory(report=report, status=Status.PENDING)
    second = CommentFactory(report=report, status=Status.APPROVED, text="alt")
    moderator_client.post(
        reverse("admin:comments_comment_status", args=[first.pk]), {"status": Status.SPAM}
    )
    from comments import audit

    audit.log_text_edit(user=other, comment=second, before="alt", after="neu")
    log = reverse("admin:comments_moderationlogentry_changelist")

    def rows(**params):
        page = BeautifulSoup(moderator_client.get(log, params).content, "html.parser")
        return [" ".join(tr.get_text(" ").split()) for tr in page.select("#result_list tbody tr")]

    assert len(rows()) == 2
    by_moderator = rows(moderator=moderator.pk)
    assert len(by_moderator) == 1 and "Ausstehend → Spam" in by_moderator[0]
    texts = rows(aktion="text")
    assert len(texts) == 1 and "zweiter" in texts[0] and f"Kommentar #{second.pk}" in texts[0]
    assert rows(aktion="status", moderator=other.pk) == []

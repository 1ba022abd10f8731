"""Every status change takes one path: comments.actions.change_status.

The first tests drive each way a status changes (row action, keyboard shortcut, bulk action,
the change form, an email link, a reply from the desk, a reader's report decided or holding a
comment, banning the sender, a script) with that function watched, and see it called with the
right status and `via`. The last test reads the source: no other code writes the column.
"""

import ast
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from comments import actions
from comments.audit import Via
from comments.email_links import moderation_link
from comments.models import Comment, Notice
from comments.notices import decide_notice

from .conftest import CommentFactory
from .status import set_status
from .test_notices import send_report

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.fixture
def watched():
    """change_status, still doing its work, with its calls recorded."""
    with mock.patch.object(actions, "change_status", wraps=actions.change_status) as spy:
        yield spy


def called_with(spy) -> list[tuple[str, str]]:
    return [(call.args[1], call.kwargs["via"]) for call in spy.call_args_list]


@pytest.fixture
def pending(report):
    return CommentFactory(report=report, status=Status.PENDING, text="Wartet noch.")


def test_a_row_action_and_a_shortcut(moderator_client, pending, watched):
    url = reverse("admin:comments_comment_status", args=[pending.pk])
    moderator_client.post(url, {"status": Status.APPROVED})
    moderator_client.post(url, {"status": Status.SPAM, "via": "shortcut"})
    assert called_with(watched) == [(Status.APPROVED, Via.ROW), (Status.SPAM, Via.SHORTCUT)]
    pending.refresh_from_db()
    assert pending.status == Status.SPAM


def test_a_bulk_action(moderator_client, pending, watched):
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "move_to_trash", "_selected_action": [pending.pk]},
    )
    assert called_with(watched) == []  # the page asking for the ground
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "move_to_trash", "_selected_action": [pending.pk], "post": "yes"}
        | {"ground": "rule-4"},
    )
    assert called_with(watched) == [(Status.TRASH, Via.BULK)]


def test_the_change_form_does_not_save_the_status_itself(moderator_client, pending, watched):
    url = reverse("admin:comments_comment_change", args=[pending.pk])
    form = moderator_client.get(url).context["adminform"].form
    data = {**form.initial, "section": "", "author_url": "", "status": Status.APPROVED}
    data["text"] = "Wartet noch, nun geprüft."
    response = moderator_client.post(url, data)
    assert response.status_code == 302
    assert called_with(watched) == [(Status.APPROVED, Via.FORM)]
    pending.refresh_from_db()
    assert (pending.status, pending.text) == (Status.APPROVED, "Wartet noch, nun geprüft.")
    assert pending.status_changed_at is not None


def test_an_email_link(moderator_client, pending, watched):
    moderator_client.post(moderation_link(pending, "trash"), {"ground": "rule-2"})
    assert called_with(watched) == [(Status.TRASH, Via.EMAIL)]


def test_a_reply_from_the_desk_to_a_pending_comment(moderator_client, pending, watched):
    moderator_client.post(
        reverse("admin:comments_comment_reply", args=[pending.pk]), {"text": "Danke!"}
    )
    assert called_with(watched) == [(Status.APPROVED, Via.REPLY)]


def test_readers_reports_decided_and_holding(client, report, moderator, watched, settings):
    approved = CommentFactory(report=report, status=Status.APPROVED)
    settings.COMMENTS_HOLD_AFTER_NOTICES = 1
    send_report(client, approved, reporter_email="")
    decide_notice(
        notice=Notice.objects.get(), decision=Notice.Decision.REMOVED, reason="", user=moderator
    )
    assert called_with(watched) == [(Status.PENDING, Via.NOTICE_HOLD), (Status.TRASH, Via.NOTICE)]


def test_banning_the_sender(moderator_client, pending, watched):
    moderator_client.post(
        reverse("admin:comments_comment_ban", args=[pending.pk]), {"scope": "email", "reason": ""}
    )
    assert called_with(watched) == [(Status.SPAM, Via.ROW)]


def test_a_script_that_imports_or_fixes_comments(pending, watched):
    set_status(Comment.objects.filter(pk=pending.pk), Status.APPROVED)
    assert called_with(watched) == [(Status.APPROVED, Via.IMPORT)]


#: Where the column may be written besides the one path, and why.
ALLOWED = {
    # A new comment gets its first status before it is ever saved: not a change.
    ("comments/posting.py", "comment.status"),
    # The change form puts the stored status back, so that saving the form leaves the status
    # to change_status (comments/admin/desk.py, save_model).
    ("comments/admin/desk.py", "obj.status"),
    # Not a comment: the worker puts a dead worker's task back in the queue.
    (
        "aireport/worker.py",
        "DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(status=…)",
    ),
}


def status_writes(path: Path):
    """Assignments to `….status`, and update()/save()/bulk_update() naming the status column."""
    for node in ast.walk(ast.parse(path.read_text())):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                yield ast.unparse(target)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            names = {keyword.arg for keyword in node.keywords}
            if node.func.attr in ("update", "bulk_create") and "status" in names:
                yield f"{ast.unparse(node.func)}(status=…)"
            listed = [ast.unparse(k.value) for k in node.keywords if k.arg == "update_fields"]
            listed += [ast.unparse(a) for a in node.args] if node.func.attr == "bulk_update" else []
            if any("'status'" in text or '"status"' in text for text in listed):
                yield f"{ast.unparse(node.func)}(… 'status' …)"


def test_no_other_code_writes_a_comments_status():
    base = Path(settings.BASE_DIR)
    found = set()
    for app in ("comments", "aireport", "scripts"):
        for path in (base / app).rglob("*.py"):
            relative = path.relative_to(base).as_posix()
            if "/migrations/" in relative or relative == "comments/actions.py":
                continue
            found |= {(relative, write) for write in status_writes(path)}
    # scripts/benchmark.py builds new comments with a status, which is not a change.
    assert found <= ALLOWED, sorted(found - ALLOWED)
    # And the test would see one: the one path itself writes the column.
    assert list(status_writes(base / "comments/actions.py"))

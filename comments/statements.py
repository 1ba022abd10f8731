"""Statements of reasons (DSA Art. 17): written when a moderator removes a comment, emailed
to its author when they left an address.

What counts: a waiting comment rejected or a published one moved to the trash (→ "Papierkorb")
by a moderator, with the ground they gave (comments/grounds.py). Not counted: "Spam", which
Art. 17(2) exempts as deceptive high-volume commercial content (docs/moderation.md says why
and what moderators must do instead), and the automatic rules, which only hold a comment for a
human or file it under spam. comments.actions.change_status calls `record_removals`; the
email is a task (comments/tasks.py, `email_statement`).

The email waits as long as the desk offers "Rückgängig" (COMMENTS_UNDO_SECONDS): a removal
undone within that time was a slip, so its statement is withdrawn (`withdraw_undone`) and the
author gets nothing. The stored statement stays, marked "Zurückgenommen".
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comments import tasks
from comments.models import Comment, StatementOfReasons

#: Statuses from which a move to the trash is a restriction the author hears about.
REMOVED_FROM = (Comment.Status.PENDING, Comment.Status.APPROVED)


def record_removals(*, rows, status, ground, user) -> list[StatementOfReasons]:
    """rows: [(pk, report id, old status)] that just took `status`. One statement per removed
    comment; the email to each author with an address is queued after the commit."""
    if status != Comment.Status.TRASH or ground is None:
        return []
    removed = {pk: old for pk, _, old in rows if old in REMOVED_FROM}
    if not removed:
        return []
    reported = set(
        Comment.objects.filter(pk__in=removed, notices__isnull=False).values_list("pk", flat=True)
    )
    statements = StatementOfReasons.objects.bulk_create(
        StatementOfReasons(
            comment_id=pk,
            old_status=old,
            new_status=status,
            ground=ground.choice,
            note=ground.note,
            after_notice=pk in reported,
            decided_by=user,
        )
        for pk, old in sorted(removed.items())
    )
    with_address = set(
        Comment.objects.filter(pk__in=removed).exclude(author_email="").values_list("pk", flat=True)
    )
    for statement in statements:
        if statement.comment_id in with_address:
            transaction.on_commit(lambda pk=statement.pk: _enqueue_email(pk), robust=True)
    return statements


def _undo_window() -> timedelta:
    return timedelta(seconds=settings.COMMENTS_UNDO_SECONDS)


def _enqueue_email(statement_id: int) -> None:
    """After the undo window where the queue can wait (the tests' immediate backend cannot:
    there the email goes at once)."""
    task = tasks.email_statement
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + _undo_window())
    task.enqueue(statement_id)


def withdraw_undone(*, rows, status) -> int:
    """rows: [(pk, report id, old status)] that just took `status`. A comment taken out of the
    trash within the undo window, its statement not sent yet: the removal was undone, the
    statement is withdrawn and never sent. Returns how many were withdrawn."""
    left_trash = [pk for pk, _, old in rows if old == Comment.Status.TRASH]
    if status == Comment.Status.TRASH or not left_trash:
        return 0
    now = timezone.now()
    return StatementOfReasons.objects.filter(
        comment_id__in=left_trash,
        new_status=Comment.Status.TRASH,
        sent_at=None,
        withdrawn_at=None,
        created_at__gte=now - _undo_window(),
    ).update(withdrawn_at=now)

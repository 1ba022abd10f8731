"""Statements of reasons (DSA Art. 17): written when a moderator removes a comment, emailed
to its author when they left an address.

What counts: a waiting comment rejected or a published one moved to the trash (→ "Papierkorb")
by a moderator, with the ground they gave (comments/grounds.py). Not counted: "Spam", which
Art. 17(2) exempts as deceptive high-volume commercial content (docs/moderation.md says why
and what moderators must do instead), and the automatic rules, which only hold a comment for a
human or file it under spam. comments.actions.change_status calls `record_removals`; the
email is a task (comments/tasks.py, `email_statement`).
"""

from django.db import transaction

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
            transaction.on_commit(
                lambda pk=statement.pk: tasks.email_statement.enqueue(pk), robust=True
            )
    return statements

"""What moderators do to comments, and the one path of every status change.

`change_status` is the only code that writes a comment's status (tests/comments/
test_one_path.py checks the source for others): the desk's row actions, bulk actions and
keyboard shortcuts, the comment's change form, the links in the moderators' email, a reply
from the desk to a pending comment, a reader's report that holds a comment again, and scripts
that import or fix comments all call it. It sets `status_changed_at`, writes the audit entry
(comments/audit.py) and, after the commit, sends `comment_status_changed`
(comments/signals.py), to which the page version and the subscribers' notifications answer
(comments/receivers.py).
"""

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from comments import audit, statements
from comments.models import BannedSender, Comment
from comments.posting import announce_posted
from comments.signals import StatusChange, comment_status_changed


def _without_trashed_twins(comments, status):
    """A comment taken out of the trash while the same words from the same address are on
    the report again stays in the trash (the database allows each only once)."""
    if status == Comment.Status.TRASH:
        return comments
    twin = (
        Comment.objects.filter(
            report=models.OuterRef("report"), duplicate_key=models.OuterRef("duplicate_key")
        )
        .exclude(status=Comment.Status.TRASH)
        .exclude(pk=models.OuterRef("pk"))
    )
    return comments.exclude(models.Q(status=Comment.Status.TRASH) & models.Exists(twin))


def _write_status(rows, status) -> list:
    """Store `status` on the rows [(pk, report id, old status)]; returns those that took it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            Comment.objects.filter(pk__in=[pk for pk, *_ in rows]).update(
                status=status, status_changed_at=now
            )
        return rows
    except IntegrityError:
        # Twins restored together from the trash: one by one, the first of them wins.
        written = []
        for row in sorted(rows):
            try:
                with transaction.atomic():
                    Comment.objects.filter(pk=row[0]).update(status=status, status_changed_at=now)
                written.append(row)
            except IntegrityError:
                continue
        return written


def change_status(comments, status, *, user, via, ground=None) -> int:
    """Give `comments` (a queryset) the new status; returns how many changed.

    Each change is logged with `user` and `via` (no entry without a user: a comment held again
    by readers' reports has its reports as the trace) and announced after the commit. A
    `ground` (comments.grounds.Ground) given for a move to the trash is logged and, for each
    waiting or published comment, stored as a statement of reasons that is emailed to its
    author (comments/statements.py) unless the removal is undone within the undo window."""
    ids = list(comments.values_list("pk", flat=True))
    with transaction.atomic():
        candidates = _without_trashed_twins(
            Comment.objects.filter(pk__in=ids).exclude(status=status), status
        )
        # Locked, so that two moderators at once log and announce each change once.
        rows = list(candidates.select_for_update().values_list("pk", "report_id", "status"))
        rows = _write_status(rows, status)
        if user is not None:
            audit.log_status_changes(
                user=user,
                changes=[(pk, old) for pk, _, old in rows],
                status=status,
                via=via,
                ground=ground,
            )
        statements.record_removals(rows=rows, status=status, ground=ground, user=user)
        statements.withdraw_undone(rows=rows, status=status)
        changes = [StatusChange(pk, report_id, old, status) for pk, report_id, old in rows]
        if changes:
            transaction.on_commit(
                lambda: comment_status_changed.send(
                    sender=Comment, changes=changes, user=user, via=via
                ),
                robust=True,
            )
    return len(rows)


def delete_trashed(comments, *, user, via) -> int:
    """Delete for good those of `comments` that are in the trash or spam; log each."""
    with transaction.atomic():
        doomed = comments.filter(status__in=[Comment.Status.TRASH, Comment.Status.SPAM])
        changes = list(doomed.values_list("pk", "status"))
        for comment in doomed:
            comment.delete()
        audit.log_deletions(user=user, changes=changes, via=via)
    return len(changes)


def reply_as_moderator(*, parent: Comment, user, text: str) -> tuple[Comment, bool]:
    """Publish a moderator's reply under `parent` at once; returns (reply, parent approved now).

    A pending parent is approved first (WordPress does the same). At the deepest level the
    reply joins the parent's own thread instead of nesting deeper.
    """
    with transaction.atomic():
        approved_now = False
        if parent.status == Comment.Status.PENDING:
            change_status(
                Comment.objects.filter(pk=parent.pk),
                Comment.Status.APPROVED,
                user=user,
                via=audit.Via.REPLY,
            )
            parent.refresh_from_db()
            approved_now = True
        thread_parent = parent
        while thread_parent.parent_id and not thread_parent.can_have_replies:
            thread_parent = thread_parent.parent
        reply = Comment(
            report=parent.report,
            parent=thread_parent if thread_parent.can_have_replies else None,
            author_name=user.get_full_name() or user.get_username(),
            author_email=user.email,
            text=text.replace("\r\n", "\n"),
            status=Comment.Status.APPROVED,
            moderator=user,
        )
        reply.full_clean()
        reply.save()
        audit.log_reply(user=user, parent=parent, reply=reply)
        announce_posted(reply)
    return reply, approved_now


def ban_sender(*, comment: Comment, user, reason: str, include_network: bool) -> BannedSender:
    """Add the comment's email (and, if asked, its shortened IP: a whole network) to the ban
    list, as keyed hashes, and move the comment to spam."""
    with transaction.atomic():
        ban = BannedSender.objects.ban(
            email=comment.author_email,
            ip_address=comment.ip_address if include_network else None,
            reason=reason,
            created_by=user,
        )
        audit.log_ban(user=user, comment=comment, include_network=include_network)
        change_status(
            Comment.objects.filter(pk=comment.pk), Comment.Status.SPAM, user=user, via=audit.Via.ROW
        )
    return ban

"""Readers' reports of an approved comment (notice and action, DSA Art. 16): stored, the
comment held again after enough of them, the moderators told, the reporter told the decision.
Both emails go through the task queue (comments/tasks.py)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comments import actions, audit, tasks
from comments.models import Comment, Notice
from comments.rules import discussion_rules


def submit_notice(*, comment: Comment, reason: str, explanation: str, reporter_email: str):
    """Save a reader's report, hold the comment again after enough reports, tell moderators."""
    with transaction.atomic():
        notice = Notice(
            comment=comment,
            reason=reason,
            explanation=explanation,
            reporter_email=reporter_email,
        )
        notice.full_clean()
        notice.save()
        threshold = discussion_rules().hold_after_notices
        open_notices = comment.notices.filter(decision="").count()
        if threshold and open_notices >= threshold and comment.is_approved:
            # No moderator acted, so there is no LogEntry; the notices themselves are the trace.
            actions.change_status(
                Comment.objects.filter(pk=comment.pk),
                Comment.Status.PENDING,
                user=None,
                via=audit.Via.NOTICE_HOLD,
            )
        if settings.COMMENTS_MODERATOR_EMAILS:
            transaction.on_commit(
                lambda: tasks.email_moderators_about_notice.enqueue(notice.pk), robust=True
            )
    return notice


def decide_notice(*, notice: Notice, decision: str, reason: str, user) -> None:
    """Record the decision, remove the comment if so decided, and tell the reporter."""
    with transaction.atomic():
        notice.decision = decision
        notice.decision_reason = reason
        notice.decided_by = user
        notice.decided_at = timezone.now()
        notice.save()
        if decision == Notice.Decision.REMOVED:
            actions.change_status(
                Comment.objects.filter(pk=notice.comment_id),
                Comment.Status.TRASH,
                user=user,
                via=audit.Via.NOTICE,
            )
        audit.log_notice_decision(user=user, notice=notice)
        if notice.reporter_email:
            transaction.on_commit(
                lambda: tasks.email_notice_decision.enqueue(notice.pk), robust=True
            )

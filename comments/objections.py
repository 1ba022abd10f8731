"""Authors' objections to a statement of reasons (DSA Art. 17(3)(f), Art. 20): received through
the signed link in the statement, shown on the comment's page in the desk, decided by a human.
A reversed decision gives the comment back its status through the one path."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comments import actions, audit, tasks
from comments.models import Comment, Objection

logger = logging.getLogger(__name__)


def submit_objection(*, statement, text: str) -> Objection:
    with transaction.atomic():
        objection = Objection(statement=statement, text=text.replace("\r\n", "\n"))
        objection.full_clean()
        objection.save()
        if settings.COMMENTS_MODERATOR_EMAILS:
            transaction.on_commit(
                lambda: tasks.email_moderators_about_objection.enqueue(objection.pk), robust=True
            )
    logger.info(
        "Objection #%s received against statement #%s (comment #%s)",
        objection.pk,
        statement.pk,
        statement.comment_id,
    )
    return objection


def decide_objection(*, objection: Objection, decision: str, reason: str, user) -> None:
    """Uphold, or reverse (the comment is approved: the moderator found it within the rules);
    either way the author hears it."""
    statement = objection.statement
    with transaction.atomic():
        objection.decision = decision
        objection.decision_reason = reason
        objection.decided_by = user
        objection.decided_at = timezone.now()
        objection.save()
        if decision == Objection.Decision.REVERSED:
            actions.change_status(
                Comment.objects.filter(pk=statement.comment_id, status=statement.new_status),
                Comment.Status.APPROVED,
                user=user,
                via=audit.Via.OBJECTION,
            )
        audit.log_objection_decision(user=user, objection=objection)
        transaction.on_commit(
            lambda: tasks.email_objection_decision.enqueue(objection.pk), robust=True
        )

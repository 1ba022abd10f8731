"""Readers' reports of an approved comment (notice and action, DSA Art. 16): stored, the
comment held again after enough of them, the moderators told, the reporter told the decision.
Both emails go through the task queue (comments/tasks.py)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from aireport.proxies import shorten_ip
from comments import actions, audit, grounds, tasks
from comments.models import Comment, Notice
from comments.rules import discussion_rules


def network_key(ip_address: str | None) -> str:
    """A keyed hash of the reporter's network: enough to tell two reporters apart."""
    network = shorten_ip(ip_address)
    return salted_hmac("comments.notice-network", network).hexdigest()[:32] if network else ""


def distinct_reporters(comment: Comment) -> int:
    """How many different readers reported `comment` since a moderator last approved it.

    A report counts only when both its network and its email (if given) are new among the
    counted ones: one reader repeating a report, or switching address or network, is one
    reader. Reports from before the last approval (a moderator looked and kept the comment)
    and decided ones do not count."""
    notices = comment.notices.filter(decision="")
    if comment.is_approved and comment.status_changed_at is not None:
        notices = notices.filter(created_at__gt=comment.status_changed_at)
    networks, emails, count = set(), set(), 0
    for network, email in notices.values_list("reporter_network", "reporter_email_normalised"):
        if (network and network in networks) or (email and email in emails):
            continue
        networks.add(network)
        emails.add(email)
        count += 1
    return count


def submit_notice(
    *, comment: Comment, reason: str, explanation: str, reporter_email: str, ip_address=None
):
    """Save a reader's report, hold the comment again after enough distinct reporters (since
    its last approval), tell moderators."""
    with transaction.atomic():
        notice = Notice(
            comment=comment,
            reason=reason,
            explanation=explanation,
            reporter_email=reporter_email,
            reporter_network=network_key(ip_address),
        )
        notice.full_clean()
        notice.save()
        threshold = discussion_rules().hold_after_notices
        if threshold and comment.is_approved and distinct_reporters(comment) >= threshold:
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


#: The rule of the Diskussionsregeln a reader's reason points to, for the statement of reasons.
RULE_OF_REASON = {
    Notice.Reason.INSULT: 2,
    Notice.Reason.SPAM: 4,
    Notice.Reason.MISINFORMATION: 6,
    Notice.Reason.PERSONAL_DATA: 3,
}


def ground_of(notice: Notice, reason: str) -> grounds.Ground:
    """The ground of a removal decided on a reader's report: the rule the report's reason
    names, with the moderator's short reason as the note."""
    if notice.reason in RULE_OF_REASON:
        return grounds.Ground(grounds.rule_choice(RULE_OF_REASON[notice.reason]), reason)
    if notice.reason == Notice.Reason.ILLEGAL:
        return grounds.Ground(grounds.ILLEGAL, reason or "gemeldet und von der Moderation geprüft")
    return grounds.Ground(grounds.OTHER, reason or "nach einer Meldung von der Moderation geprüft")


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
                ground=ground_of(notice, reason),
            )
        audit.log_notice_decision(user=user, notice=notice)
        if notice.reporter_email:
            transaction.on_commit(
                lambda: tasks.email_notice_decision.enqueue(notice.pk), robust=True
            )

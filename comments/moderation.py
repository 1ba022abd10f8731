"""What happens to a new comment: its status, flood control, saving, and the moderators' email.

All moderation rules live here, in WordPress's order of precedence:

1. spam: a word from COMMENTS_BLOCKLIST_WORDS, a filled honeypot, or a form sent back sooner
   than COMMENTS_MIN_SECONDS after it was served (or with a forged timestamp);
   A sender on the ban list ("Absender sperren") goes to spam as well;
2. pending: COMMENTS_MAX_LINKS links or more, a word from COMMENTS_MODERATION_WORDS, or a form
   sent without a timestamp (no JavaScript), whose timing cannot be judged;
3. approved: the same name and email already have an approved comment (switch off with
   COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS);
4. pending otherwise.

The word lists, limits and switches come from the admin's "Diskussion" record
(comments/rules.py); the environment variables are its defaults.

Status changes by moderators go through `change_status`, which logs each one (comments/audit.py).
"""

import hashlib
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from aireport.sanitizer import count_comment_links

from . import audit
from .models import (
    MAX_USER_AGENT_LENGTH,
    BannedSender,
    Comment,
    Notice,
    normalise_email,
    shorten_ip,
)
from .rules import discussion_rules
from .tasks import email_moderators

logger = logging.getLogger(__name__)


class DuplicateComment(Exception):
    """The same words from the same address are already on this report."""


@dataclass(frozen=True)
class SpamSignals:
    """What the security layer of the form noticed. A filled honeypot or a form sent back too
    fast makes the comment spam; a form that could not be timed (sent without JavaScript, so
    without a timestamp) is held for moderation."""

    honeypot_filled: bool = False
    too_fast: bool = False
    timing_unknown: bool = False

    def __bool__(self):
        return self.honeypot_filled or self.too_fast


def _contains_word(words, *fields: str) -> bool:
    haystack = "\n".join(fields).casefold()
    return any(word.strip() and word.strip().casefold() in haystack for word in words)


def initial_status(comment: Comment, signals: SpamSignals = SpamSignals()) -> str:
    rules = discussion_rules()
    fields = (comment.author_name, comment.author_email, comment.author_url, comment.text)
    if signals or _contains_word(rules.blocklist_words, *fields):
        return Comment.Status.SPAM
    if BannedSender.is_banned(email=comment.author_email, ip_address=comment.ip_address):
        return Comment.Status.SPAM
    if (
        signals.timing_unknown
        or count_comment_links(comment.text) >= rules.max_links
        or _contains_word(rules.moderation_words, *fields)
    ):
        return Comment.Status.PENDING
    if rules.auto_approve_known_authors and Comment.objects.has_approved_from(
        author_name=comment.author_name, author_email=comment.author_email
    ):
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def _flood_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"comments:flood:{kind}:{digest}"


def flood_network(ip_address: str) -> str:
    """Whom flood control counts as one sender: an IPv4 address, or an IPv6 /64.

    One IPv6 connection usually gets a whole /64, so a client could rotate within it."""
    try:
        address = ipaddress.ip_address(ip_address.strip())
    except ValueError:
        return ip_address.strip()
    if address.version == 6 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def claim_posting_slot(*, ip_address: str | None, email: str, scope: str = "comment") -> bool:
    """False when the same IP address or email posted within COMMENTS_FLOOD_SECONDS.

    `add` is atomic, so two requests at the same moment cannot both get through. The store is
    shared by all workers (settings.COMMENTS_FLOOD_CACHE: the database, or Redis when
    configured). Only hashes go into it, and only for those few seconds. `scope` keeps
    comments and readers' reports apart.
    """
    seconds = discussion_rules().flood_seconds
    if seconds <= 0:
        return True
    keys = [_flood_key(f"{scope}:email", normalise_email(email))] if email.strip() else []
    if ip_address:
        keys.append(_flood_key(f"{scope}:ip", flood_network(ip_address)))
    try:
        flood_store = caches[settings.COMMENTS_FLOOD_CACHE]
        claimed = [flood_store.add(key, 1, timeout=seconds) for key in keys]
    except Exception as error:
        # A cache outage must not cost a reader their comment: let it through (the duplicate
        # check runs in the database anyway) and tell the operator.
        logger.warning("Flood control unavailable, comment let through: %s", error)
        return True
    return all(claimed)


def submit_comment(
    *,
    report,
    author_name: str,
    author_email: str,
    author_url: str,
    text: str,
    parent: Comment | None,
    section=None,
    ip_address: str | None,
    user_agent: str,
    signals: SpamSignals = SpamSignals(),
) -> Comment:
    """Save a reader's comment with the status the rules give it; tell moderators after commit.

    Raises DuplicateComment when the same words from the same address are already on the
    report: the database refuses the second row even when both arrive at the same moment."""
    comment = Comment(
        report=report,
        parent=parent,
        author_name=author_name,
        author_email=author_email,
        author_url=author_url,
        text=text,
        # Shortened and cut here already, so full_clean() below accepts any address and agent.
        ip_address=shorten_ip(ip_address),
        user_agent=user_agent[:MAX_USER_AGENT_LENGTH],
    )
    comment.set_section(section)
    try:
        with transaction.atomic():
            comment.status = initial_status(comment, signals)
            # The database itself refuses a duplicate, even one arriving at the same moment.
            comment.full_clean(validate_constraints=False)
            comment.save()
            if comment.status == Comment.Status.PENDING:
                # robust: a queue that cannot be written to costs the email, not the comment.
                transaction.on_commit(lambda: notify_moderators(comment), robust=True)
    except IntegrityError:
        if Comment.objects.is_duplicate(report=report, author_email=author_email, text=text):
            raise DuplicateComment from None
        raise
    return comment


def notify_moderators(comment: Comment) -> None:
    """Queue the moderators' email about a pending comment (comments.tasks). The comment is
    saved already; a mail server that fails delays the email, never the comment."""
    if settings.COMMENTS_MODERATOR_EMAILS:
        email_moderators.enqueue(comment.pk)


def moderation_links(comment: Comment) -> list[tuple[str, str]]:
    """(label, signed URL) for each action of the moderators' email."""
    return [(label, moderation_link(comment, action)) for action, label in EMAIL_ACTIONS.items()]


def _mail_moderators(template: str, context: dict, *, comment_id) -> None:
    recipients = settings.COMMENTS_MODERATOR_EMAILS
    if not recipients:
        return
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("Could not email the moderators about comment %s", comment_id)


# --- Moderation by moderators ---------------------------------------------------------


def change_status(comments, status, *, user, via) -> int:
    """Give `comments` (a queryset) the new status and log each change; returns how many."""
    with transaction.atomic():
        changes = list(comments.exclude(status=status).values_list("pk", "status"))
        count = Comment.objects.filter(pk__in=[pk for pk, _ in changes]).set_status(status)
        audit.log_status_changes(user=user, changes=changes, status=status, via=via)
    return count


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
    return reply, approved_now


def ban_sender(*, comment: Comment, user, reason: str) -> BannedSender:
    """Add the comment's email and shortened IP to the ban list and move the comment to spam."""
    with transaction.atomic():
        ban = BannedSender.objects.create(
            email=comment.author_email,
            ip_address=comment.ip_address,
            reason=reason,
            created_by=user,
        )
        audit.log_ban(user=user, comment=comment)
        change_status(
            Comment.objects.filter(pk=comment.pk), Comment.Status.SPAM, user=user, via=audit.Via.ROW
        )
    return ban


# --- Links in the moderators' email ---------------------------------------------------

EMAIL_ACTIONS = {
    "approve": "Freigeben",
    "spam": "Spam",
    "trash": "Papierkorb",
}
EMAIL_ACTION_STATUS = {
    "approve": Comment.Status.APPROVED,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
}
EMAIL_LINK_SALT = "comments.email-action"
EMAIL_LINK_MAX_AGE = 60 * 60 * 24 * 7


def moderation_link(comment: Comment, action: str) -> str:
    """An admin URL that asks to confirm `action` on `comment`; signed, valid for 7 days."""
    token = signing.TimestampSigner(salt=EMAIL_LINK_SALT).sign_object(
        {"comment": comment.pk, "action": action}
    )
    path = reverse("admin:comments_comment_email_action", args=[token])
    return settings.SITE_URL.rstrip("/") + path


def read_moderation_link(token: str) -> tuple[int, str] | None:
    """(comment id, action) of a valid link; None when expired, tampered with or unknown."""
    try:
        data = signing.TimestampSigner(salt=EMAIL_LINK_SALT).unsign_object(
            token, max_age=EMAIL_LINK_MAX_AGE
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("action") not in EMAIL_ACTIONS:
        return None
    if not isinstance(data.get("comment"), int):
        return None
    return data["comment"], data["action"]


# --- Readers' reports (notice and action, DSA Art. 16) ----------------------------------


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
            Comment.objects.filter(pk=comment.pk).set_status(Comment.Status.PENDING)
        transaction.on_commit(lambda: notify_moderators_of_notice(notice))
    return notice


def notify_moderators_of_notice(notice: Notice) -> None:
    _mail_moderators(
        "comments/email/new_notice",
        {"notice": notice, "comment": notice.comment, "admin_url": notice.comment.admin_url()},
        comment_id=notice.comment_id,
    )


def decide_notice(*, notice: Notice, decision: str, reason: str, user) -> None:
    """Record the decision, remove the comment if so decided, and tell the reporter."""
    from django.utils import timezone

    with transaction.atomic():
        notice.decision = decision
        notice.decision_reason = reason
        notice.decided_by = user
        notice.decided_at = timezone.now()
        notice.save()
        if decision == Notice.Decision.REMOVED:
            change_status(
                Comment.objects.filter(pk=notice.comment_id),
                Comment.Status.TRASH,
                user=user,
                via=audit.Via.NOTICE,
            )
        audit.log_notice_decision(user=user, notice=notice)
        if notice.reporter_email:
            transaction.on_commit(lambda: notify_reporter(notice))


def notify_reporter(notice: Notice) -> None:
    context = {"notice": notice, "report": notice.comment.report}
    subject = " ".join(
        render_to_string("comments/email/notice_decision_subject.txt", context).split()
    )
    body = render_to_string("comments/email/notice_decision.txt", context)
    try:
        send_mail(subject, body, None, [notice.reporter_email])
    except Exception:
        logger.exception("Could not email the decision on notice %s", notice.pk)

"""What happens to a new comment: its status, flood control, saving, and the moderators' email.

All moderation rules live here, in WordPress's order of precedence:

1. spam: a word from COMMENTS_BLOCKLIST_WORDS, a filled honeypot, or a form sent back sooner
   than COMMENTS_MIN_SECONDS after it was served (or with a forged timestamp);
2. pending: COMMENTS_MAX_LINKS links or more, a word from COMMENTS_MODERATION_WORDS, or a form
   sent without a timestamp (no JavaScript), whose timing cannot be judged;
3. approved: the same name and email already have an approved comment (switch off with
   COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS);
4. pending otherwise.
"""

import hashlib
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction

from aireport.sanitizer import count_comment_links

from .models import MAX_USER_AGENT_LENGTH, Comment, normalise_email, shorten_ip
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
    fields = (comment.author_name, comment.author_email, comment.author_url, comment.text)
    if signals or _contains_word(settings.COMMENTS_BLOCKLIST_WORDS, *fields):
        return Comment.Status.SPAM
    if (
        signals.timing_unknown
        or count_comment_links(comment.text) >= settings.COMMENTS_MAX_LINKS
        or _contains_word(settings.COMMENTS_MODERATION_WORDS, *fields)
    ):
        return Comment.Status.PENDING
    if settings.COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS and Comment.objects.has_approved_from(
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


def claim_posting_slot(*, ip_address: str | None, email: str) -> bool:
    """False when the same IP address or email posted within COMMENTS_FLOOD_SECONDS.

    `add` is atomic, so two requests at the same moment cannot both get through. The store is
    shared by all workers (settings.COMMENTS_FLOOD_CACHE: the database, or Redis when
    configured). Only hashes go into it, and only for those few seconds.
    """
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return True
    keys = [_flood_key("email", normalise_email(email))]
    if ip_address:
        keys.append(_flood_key("ip", flood_network(ip_address)))
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

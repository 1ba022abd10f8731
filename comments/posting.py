"""A reader's new comment: checked, stored with the status the rules give it, announced."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from aireport.proxies import shorten_ip
from comments.models import MAX_USER_AGENT_LENGTH, Comment, Subscription
from comments.signals import comment_was_posted
from comments.spam import NO_SIGNALS, SpamSignals, initial_status
from comments.text import normalise_email


class DuplicateComment(Exception):
    """The same words from the same address are already on this report, sent from this
    browser: only its own sender hears so."""


#: A copy from the same network this soon after the first is that sender's double click or
#: second tab (their browser has no cookie yet), not a stranger's guess.
DOUBLE_SEND_SECONDS = 60


def _earlier_copies(duplicates, *, own_ids, ip_address) -> tuple[bool, bool]:
    """(whether any copy exists, whether this browser sent one): read in one query, so that a
    copy committed in between cannot make the two answers disagree."""
    network = shorten_ip(ip_address)
    recent = timezone.now() - timedelta(seconds=DOUBLE_SEND_SECONDS)
    own = set(own_ids)
    copies = list(duplicates.values_list("pk", "ip_address", "created_at"))
    ours = any(
        pk in own or (network and address == network and created >= recent)
        for pk, address, created in copies
    )
    return bool(copies), ours


def proves_known_author(*, own_ids, author_email: str) -> bool:
    """Proof beyond name and email, which anyone can type (WordPress approves on those alone):
    the browser's signed own-comments cookie names an approved comment of this address, or
    the address is confirmed by double opt-in (a confirmed subscription)."""
    email = normalise_email(author_email)
    if not email:
        return False
    sent_from_here = Comment.objects.filter(
        pk__in=list(own_ids), status=Comment.Status.APPROVED, author_email_normalised=email
    )
    return sent_from_here.exists() or Subscription.objects.confirmed().by_email(email).exists()


def post_once(*, own_ids, **fields) -> Comment:
    """`submit_comment`, with WordPress's duplicate rule told only to the browser that sent the
    first copy: its signed own-comments cookie (comments/readers.py), or the same network within
    a minute (a double click). Any other sender's copy is stored as a new comment like any
    other, so the answer reveals nothing about who wrote what (no oracle for "is this the
    author's address?"); moderators see the copy as a new waiting comment.

    Raises DuplicateComment only for the browser that sent the first copy."""
    query = dict(report=fields["report"], author_email=fields["author_email"], text=fields["text"])
    seen = dict(own_ids=own_ids, ip_address=fields["ip_address"])
    fields["author_proven"] = proves_known_author(
        own_ids=own_ids, author_email=fields["author_email"]
    )
    exists, ours = _earlier_copies(Comment.objects.duplicates_of(**query), **seen)
    if ours:
        raise DuplicateComment
    try:
        return submit_comment(**fields, another_browser=exists)
    except DuplicateComment:
        # The first copy arrived at the same moment: whose was it?
        if _earlier_copies(Comment.objects.duplicates_of(**query), **seen)[1]:
            raise
        return submit_comment(**fields, another_browser=True)


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
    signals: SpamSignals = NO_SIGNALS,
    another_browser: bool = False,
    author_proven: bool = False,
) -> Comment:
    """Save a reader's comment with the status the rules give it; after the commit send
    `comment_was_posted` (the moderators' email, the subscribers' notifications).

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
    comment.sent_by_another_browser = another_browser
    try:
        with transaction.atomic():
            comment.status = initial_status(comment, signals, author_proven=author_proven)
            # The database itself refuses a duplicate, even one arriving at the same moment.
            comment.full_clean(validate_constraints=False)
            comment.save()
            announce_posted(comment)
    except IntegrityError:
        if not another_browser and Comment.objects.is_duplicate(
            report=report, author_email=author_email, text=text
        ):
            raise DuplicateComment from None
        raise
    return comment


def announce_posted(comment: Comment) -> None:
    """`comment_was_posted` after the commit. robust: a queue that cannot be written to costs
    an email, never the comment."""
    transaction.on_commit(
        lambda: comment_was_posted.send(sender=Comment, comment=comment), robust=True
    )

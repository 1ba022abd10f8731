"""A reader's new comment: checked, stored with the status the rules give it, announced."""

from django.db import IntegrityError, transaction

from aireport.proxies import shorten_ip
from comments.models import MAX_USER_AGENT_LENGTH, Comment
from comments.signals import comment_was_posted
from comments.spam import NO_SIGNALS, SpamSignals, initial_status


class DuplicateComment(Exception):
    """The same words from the same address are already on this report."""


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
    try:
        with transaction.atomic():
            comment.status = initial_status(comment, signals)
            # The database itself refuses a duplicate, even one arriving at the same moment.
            comment.full_clean(validate_constraints=False)
            comment.save()
            announce_posted(comment)
    except IntegrityError:
        if Comment.objects.is_duplicate(report=report, author_email=author_email, text=text):
            raise DuplicateComment from None
        raise
    return comment


def announce_posted(comment: Comment) -> None:
    """`comment_was_posted` after the commit. robust: a queue that cannot be written to costs
    an email, never the comment."""
    transaction.on_commit(
        lambda: comment_was_posted.send(sender=Comment, comment=comment), robust=True
    )

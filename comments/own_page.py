"""“Meine Kommentare”: a reader's own comments, without an account.

Two ways in, one page:

- In the browser that wrote them: the signed `comments_own` cookie (comments/readers.py) names
  the comments sent from it. It proves the comments, not the address, so replies asked for
  from there go through the usual double opt-in (a confirmation email).
- From anywhere: the reader enters their email; when comments exist for it, a task mails a
  signed link valid for LINK_MAX_AGE. The answer on the page is the same whether or not any
  exist, and the confirmation-mail limit of comments/flood.py applies. Opening the link proves
  the address: replies asked for from there count as confirmed, and the reader may ask the
  operator for an export or the erasure of their comments (a task mail, docs/privacy.md).

The page shows the reader's own data only; a reply shows its author's public name, as the
discussion does.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from aireport.proxies import shorten_ip
from comments import email_links, notifications, tasks
from comments.flood import claim_confirmation_slot
from comments.models import Comment, StatementOfReasons, Subscription
from comments.text import normalise_email

LINK_MAX_AGE = email_links.OWN_PAGE_MAX_AGE
#: How many of a reader's comments the page lists (the newest).
MAX_COMMENTS = 200

STATUS_WORDS = {
    Comment.Status.PENDING: "wartet",
    Comment.Status.APPROVED: "freigegeben",
    Comment.Status.SPAM: "entfernt",
    Comment.Status.TRASH: "entfernt",
}


def request_page_link(email: str) -> None:
    """Mail the link when comments exist for `email` and no confirmation mail went to it
    within the "Sperrzeit". The caller answers the same either way."""
    first = Comment.objects.by_author_email(email).order_by("-created_at").first()
    if first is None or not claim_confirmation_slot(email):
        return
    transaction.on_commit(lambda: tasks.email_own_page_link.enqueue(first.pk), robust=True)


@dataclass
class OwnComment:
    comment: Comment
    replies: list = field(default_factory=list)
    subscribed: bool = False
    #: Asked for but not confirmed yet.
    awaiting_confirmation: bool = False
    #: The ground the moderators gave for removing it (their statement of reasons).
    ground: str = ""

    @property
    def status_word(self) -> str:
        return STATUS_WORDS[self.comment.status]


@dataclass
class OwnPage:
    """What the page shows: `email` is set when the address is proven by a signed link."""

    comments: list[OwnComment]
    email: str = ""

    @classmethod
    def load(cls, *, comment_ids=(), email: str = "") -> "OwnPage":
        comments = Comment.objects.select_related("report")
        if email:
            comments = comments.by_author_email(email)
        else:
            comments = comments.filter(pk__in=list(comment_ids))
        comments = list(comments.order_by("-created_at", "-pk")[:MAX_COMMENTS])
        items = {comment.pk: OwnComment(comment) for comment in comments}
        for reply in (
            Comment.objects.approved()
            .filter(parent__in=list(items))
            .only("pk", "parent_id", "author_name", "created_at", "report_id", "text")
            .order_by("created_at", "pk")
        ):
            items[reply.parent_id].replies.append(reply)
        removed = [pk for pk, item in items.items() if item.comment.status == Comment.Status.TRASH]
        # Newest first: the first statement met for a comment is its latest decision.
        # A withdrawn statement belongs to a removal that was undone (comments/statements.py).
        for statement in StatementOfReasons.objects.filter(comment__in=removed, withdrawn_at=None):
            items[statement.comment_id].ground = items[statement.comment_id].ground or (
                statement.ground_text
            )
        for subscription in Subscription.objects.filter(comment__in=list(items)):
            item = items[subscription.comment_id]
            if subscription.email_normalised == normalise_email(item.comment.author_email):
                item.subscribed = subscription.is_confirmed
                item.awaiting_confirmation = not subscription.is_confirmed
        return cls(list(items.values()), email)

    def find(self, comment_id) -> OwnComment | None:
        return next((item for item in self.comments if str(item.comment.pk) == comment_id), None)


def subscribe_to_replies(item: OwnComment, *, proven: bool, ip_address: str | None) -> str:
    """Replies to one's own comment. With a proven address the subscription is confirmed at
    once; from the cookie it asks for confirmation by email (double opt-in)."""
    comment = item.comment
    if not comment.author_email or comment.status == Comment.Status.SPAM:
        return "unavailable"
    if not proven:
        pending = notifications.request_subscriptions(
            comment=comment, replies=True, new_comments=False, ip_address=ip_address
        )
        return "confirm" if pending else "subscribed"
    existing = Subscription.objects.by_email(comment.author_email).filter(comment=comment).first()
    subscription = existing or Subscription(
        email=comment.author_email, report=comment.report, comment=comment
    )
    if not subscription.is_confirmed:
        now = timezone.now()
        subscription.requested_at = subscription.requested_at or now
        subscription.confirmed_at = now
        subscription.confirm_ip = shorten_ip(ip_address)
        try:
            with transaction.atomic():
                subscription.save()
        except IntegrityError:  # the same click twice at once
            pass
    return "subscribed"


def stop_replies(item: OwnComment) -> str:
    Subscription.objects.by_email(item.comment.author_email).filter(comment=item.comment).delete()
    return "stopped"


def request_privacy(page: OwnPage, kind: str) -> str:
    """Export ("export") or erasure ("erase") of the reader's comments: a task mails the
    operator, who runs the privacy commands (docs/privacy.md). Proven addresses only."""
    if not page.email or not page.comments or kind not in ("export", "erase"):
        return "unavailable"
    comment_id = page.comments[0].comment.pk
    transaction.on_commit(
        lambda: tasks.email_privacy_request.enqueue(comment_id, kind), robust=True
    )
    return kind

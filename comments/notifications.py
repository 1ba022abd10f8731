"""Reply notifications with double opt-in, as in "Subscribe to Comments Reloaded".

- A reader ticks one or both boxes under the comment form: `request_subscriptions` stores the
  wish with the consent proof (time, shortened IP) and queues ONE confirmation email with a
  signed link valid for CONFIRM_MAX_AGE. Within the administrator's "Sperrzeit" the same
  address gets no second one (comments/flood.py), and an address that never confirms gets
  nothing else, ever.
- `confirm` (the link) marks the subscriptions confirmed, with time and shortened IP.
- `comments_published` is called for every comment that became approved and visible, from
  the receivers of `comment_was_posted` and `comment_status_changed` (comments/receivers.py):
  it queues `notify_subscribers`, which emails the confirmed subscribers it concerns, never
  the comment's own author.
- Each notification carries a one-click unsubscribe link (RFC 8058); `unsubscribe` deletes
  the subscription and its consent proof.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from aireport.proxies import shorten_ip
from comments import email_links, tasks
from comments.flood import claim_confirmation_slot
from comments.models import Comment, Subscription

#: Kept here too: the views and templates say how long a confirmation link is valid.
CONFIRM_MAX_AGE = email_links.CONFIRM_MAX_AGE


def _wish(*, email, report, comment, ip_address) -> Subscription | None:
    """The stored subscription for this wish, refreshed as a new request if not confirmed;
    None when it is confirmed already (nothing to ask)."""
    existing = Subscription.objects.by_email(email).filter(report=report, comment=comment).first()
    if existing is not None and existing.is_confirmed:
        return None
    subscription = existing or Subscription(email=email, report=report, comment=comment)
    subscription.requested_at = timezone.now()
    subscription.request_ip = ip_address
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:  # the same wish from a second request at the same moment
        return None
    return subscription


def request_subscriptions(
    *, comment: Comment, replies: bool, new_comments: bool, ip_address: str | None
) -> list[Subscription]:
    """Store what the reader ticked and queue the confirmation email; returns what awaits it."""
    if not comment.author_email or comment.status == Comment.Status.SPAM:
        return []
    wishes = []
    if replies:
        wishes.append(comment)
    if new_comments:
        wishes.append(None)
    pending = [
        subscription
        for target in wishes
        if (
            subscription := _wish(
                email=comment.author_email,
                report=comment.report,
                comment=target,
                ip_address=shorten_ip(ip_address),
            )
        )
    ]
    if pending and claim_confirmation_slot(comment.author_email):
        ids = [subscription.pk for subscription in pending]
        transaction.on_commit(lambda: tasks.email_confirmation.enqueue(ids), robust=True)
    return pending


def subscriptions_to_confirm(token: str) -> list[Subscription] | None:
    """What a confirmation link names; None for a link that is forged, broken or too old."""
    data = email_links.read_confirm_token(token)
    if data is None:
        return None
    ids, email = data
    return list(Subscription.objects.by_email(email).filter(pk__in=ids).select_related("report"))


def confirm(token: str, *, ip_address: str | None) -> list[Subscription] | None:
    """Confirm what the link names; None for a link that is forged, broken or too old."""
    subscriptions = subscriptions_to_confirm(token)
    if subscriptions is None:
        return None
    now = timezone.now()
    for subscription in subscriptions:
        if not subscription.is_confirmed:
            subscription.confirmed_at = now
            subscription.confirm_ip = ip_address
            subscription.save(update_fields=["confirmed_at", "confirm_ip", "request_ip"])
    return subscriptions


def subscription_for_unsubscribe(token: str) -> Subscription | None | bool:
    """The subscription an unsubscribe link names; False for a forged link, None when it is
    gone already."""
    pk = email_links.read_unsubscribe_token(token)
    if pk is None:
        return False
    return Subscription.objects.select_related("report").filter(pk=pk).first()


def comments_published(comment_ids) -> None:
    """Comments became approved and visible (after the commit): queue their notifications,
    one small task each, so approving 200 at once only writes 200 rows."""
    ids = list(comment_ids)
    if not ids:
        return
    with transaction.atomic():
        for comment_id in ids:
            tasks.notify_subscribers.enqueue(comment_id)

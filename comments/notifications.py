"""Reply notifications with double opt-in, as in "Subscribe to Comments Reloaded".

- A reader ticks one or both boxes under the comment form: `request_subscriptions` stores the
  wish with the consent proof (time, shortened IP) and queues ONE confirmation email with a
  signed link valid for CONFIRM_MAX_AGE. Within COMMENTS_FLOOD_SECONDS the same address gets
  no second one, and an address that never confirms gets nothing else, ever.
- `confirm` (the link) marks the subscriptions confirmed, with time and shortened IP.
- `comment_published` / `comments_published` are THE hook for "a comment became approved and
  visible" (called by Comment.save and CommentQuerySet.set_status): they queue
  `notify_subscribers`, which emails the confirmed subscribers it concerns, never the
  comment's own author.
- Each notification carries a one-click unsubscribe link (RFC 8058); `unsubscribe` deletes
  the subscription and its consent proof.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .models import Comment, Subscription, shorten_ip

logger = logging.getLogger(__name__)

CONFIRM_SALT = "comments.subscription-confirm"
UNSUBSCRIBE_SALT = "comments.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirm_url(subscriptions) -> str:
    token = signing.dumps(
        {"ids": [s.pk for s in subscriptions], "email": subscriptions[0].email.casefold()},
        salt=CONFIRM_SALT,
    )
    return _absolute(reverse("comments:confirm", args=[token]))


def unsubscribe_url(subscription) -> str:
    token = signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)
    return _absolute(reverse("comments:unsubscribe", args=[token]))


def _claim_confirmation_slot(email: str) -> bool:
    """False when this address was sent a confirmation within COMMENTS_FLOOD_SECONDS.
    Kept in the comments' shared flood store (settings.COMMENTS_FLOOD_CACHE)."""
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return True
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:32]
    try:
        return caches[settings.COMMENTS_FLOOD_CACHE].add(
            f"comments:confirm:{digest}", 1, timeout=seconds
        )
    except Exception as error:  # a store outage: better one email too many than none
        logger.warning("Flood store unavailable for a confirmation email: %s", error)
        return True


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
    if pending and _claim_confirmation_slot(comment.author_email):
        from .tasks import email_confirmation

        ids = [subscription.pk for subscription in pending]
        transaction.on_commit(lambda: email_confirmation.enqueue(ids), robust=True)
    return pending


def _confirm_data(token: str) -> tuple[list[int], str] | None:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return [int(pk) for pk in data["ids"]], str(data["email"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def subscriptions_to_confirm(token: str) -> list[Subscription] | None:
    """What a confirmation link names; None for a link that is forged, broken or too old."""
    data = _confirm_data(token)
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
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    return Subscription.objects.select_related("report").filter(pk=pk).first()


def comment_published(comment: Comment) -> None:
    comments_published([comment.pk])


def comments_published(comment_ids) -> None:
    """Comments became approved and visible: after the commit, queue their notifications
    (one small task each, so approving 200 at once only writes 200 rows)."""
    from .tasks import notify_subscribers

    ids = list(comment_ids)
    if not ids:
        return

    def enqueue():
        with transaction.atomic():
            for comment_id in ids:
                notify_subscribers.enqueue(comment_id)

    transaction.on_commit(enqueue, robust=True)

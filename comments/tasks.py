"""What the task queue does for the comments: every email this app sends.

Run by `manage.py db_worker` (docs/publication.md); each task takes ids only and renders its
email when it runs. A failing mail server makes a task try again later (aireport.mail).
"""

from django.conf import settings
from django.db.models import F
from django_tasks import task

from aireport.mail import build_email, send_or_retry

from . import notifications
from .models import Comment, Subscription


@task()
def email_moderators(comment_id: int, attempt: int = 1) -> None:
    recipients = settings.COMMENTS_MODERATOR_EMAILS
    comment = Comment.objects.select_related("report").filter(pk=comment_id).first()
    if not recipients or comment is None:
        return
    from .moderation import moderation_links

    context = {"comment": comment, "links": moderation_links(comment)}
    message = build_email("comments/email/moderators", context, to=recipients)
    send_or_retry(message, task=email_moderators, args=(comment_id,), attempt=attempt)


@task()
def email_confirmation(subscription_ids: list[int], attempt: int = 1) -> None:
    """The double opt-in: the only email an unconfirmed address ever gets."""
    subscriptions = list(
        Subscription.objects.filter(pk__in=subscription_ids, confirmed_at=None).select_related(
            "report"
        )
    )
    if not subscriptions:
        return
    email = subscriptions[0].email
    context = {
        "subscriptions": subscriptions,
        "confirm_url": notifications.confirm_url(subscriptions),
        "valid_days": notifications.CONFIRM_MAX_AGE.days,
    }
    message = build_email("comments/email/confirm", context, to=[email])
    send_or_retry(message, task=email_confirmation, args=(subscription_ids,), attempt=attempt)


@task()
def notify_subscribers(comment_id: int) -> int:
    """A comment became visible: queue one email per confirmed subscriber it concerns."""
    comment = Comment.objects.select_related("report").filter(pk=comment_id).first()
    if comment is None or not comment.is_approved or not comment.report.is_published:
        return 0
    recipients: dict[str, Subscription] = {}
    for subscription in Subscription.objects.to_notify_of(comment).order_by(
        F("comment_id").asc(nulls_last=True)
    ):
        # One email per address; a reply subscription (the more specific) wins.
        recipients.setdefault(subscription.email.casefold(), subscription)
    for subscription in recipients.values():
        email_notification.enqueue(subscription.pk, comment_id)
    return len(recipients)


@task()
def email_notification(subscription_id: int, comment_id: int, attempt: int = 1) -> None:
    subscription = (
        Subscription.objects.confirmed().select_related("report").filter(pk=subscription_id).first()
    )
    comment = Comment.objects.select_related("report").filter(pk=comment_id).first()
    if subscription is None or comment is None or not comment.is_approved:
        return  # unsubscribed or comment withdrawn meanwhile
    unsubscribe = notifications.unsubscribe_url(subscription)
    message = build_email(
        "comments/email/notification",
        {
            "comment": comment,
            "subscription": subscription,
            "comment_url": settings.SITE_URL.rstrip("/") + comment.get_absolute_url(),
            "unsubscribe_url": unsubscribe,
        },
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    send_or_retry(
        message, task=email_notification, args=(subscription_id, comment_id), attempt=attempt
    )

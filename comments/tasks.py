"""What the task queue does for the comments: every email this app sends.

Run by `manage.py task_worker` (docs/reliability.md); each task takes ids only and renders its
email when it runs, so no address or comment text waits in the queue's table. A failing mail
server makes a task try again later (aireport.mail.send_or_retry); a worker that dies while it
sends has its task taken back by the next worker (aireport/worker.py).
"""

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks import task

from aireport.mail import build_email, send_or_retry
from comments import audit, email_links
from comments.models import Comment, Notice, Objection, StatementOfReasons, Subscription
from comments.text import normalise_email
from reports.models import Report


@task()
def email_moderators(comment_id: int, attempt: int = 1) -> None:
    """A comment waits for moderation: its text and the signed action links."""
    recipients = settings.COMMENTS_MODERATOR_EMAILS
    comment = Comment.objects.select_related("report").filter(pk=comment_id).first()
    if not recipients or comment is None:
        return
    context = {"comment": comment, "links": email_links.moderation_links(comment)}
    message = build_email("comments/email/moderators", context, to=recipients)
    send_or_retry(message, task=email_moderators, args=(comment_id,), attempt=attempt)


@task()
def email_moderators_about_notice(notice_id: int, attempt: int = 1) -> None:
    """A reader reported a comment."""
    recipients = settings.COMMENTS_MODERATOR_EMAILS
    notice = Notice.objects.select_related("comment__report").filter(pk=notice_id).first()
    if not recipients or notice is None:
        return
    context = {"notice": notice, "comment": notice.comment, "admin_url": notice.comment.admin_url()}
    message = build_email("comments/email/new_notice", context, to=recipients)
    send_or_retry(message, task=email_moderators_about_notice, args=(notice_id,), attempt=attempt)


@task()
def email_notice_decision(notice_id: int, attempt: int = 1) -> None:
    """The reporter hears what the moderators decided."""
    notice = Notice.objects.select_related("comment__report").filter(pk=notice_id).first()
    if notice is None or not notice.reporter_email:
        return  # erased meanwhile
    context = {"notice": notice, "report": notice.comment.report}
    message = build_email("comments/email/notice_decision", context, to=[notice.reporter_email])
    send_or_retry(message, task=email_notice_decision, args=(notice_id,), attempt=attempt)


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
        "confirm_url": email_links.confirm_url(subscriptions),
        "valid_days": email_links.CONFIRM_MAX_AGE.days,
    }
    message = build_email("comments/email/confirm", context, to=[email])
    send_or_retry(message, task=email_confirmation, args=(subscription_ids,), attempt=attempt)


@task()
def notify_subscribers(comment_id: int) -> int:
    """A comment became visible: queue one email per confirmed subscriber it concerns."""
    comment = (
        Comment.objects.approved()
        .filter(pk=comment_id, report__in=Report.objects.published())
        .select_related("report")
        .first()
    )
    if comment is None:
        return 0
    recipients: dict[str, Subscription] = {}
    for subscription in Subscription.objects.to_notify_of(comment).order_by(
        F("comment_id").asc(nulls_last=True)
    ):
        # One email per address; a reply subscription (the more specific) wins.
        recipients.setdefault(normalise_email(subscription.email), subscription)
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
    unsubscribe = email_links.unsubscribe_url(subscription)
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


@task()
def email_own_page_link(comment_id: int, attempt: int = 1) -> None:
    """ "Meine Kommentare" from another device: the signed link, to the comment's address."""
    comment = Comment.objects.filter(pk=comment_id).exclude(author_email="").first()
    if comment is None:
        return  # erased meanwhile
    context = {
        "page_url": email_links.own_page_url(comment),
        "valid_days": email_links.OWN_PAGE_MAX_AGE.days,
    }
    message = build_email("comments/email/own_page", context, to=[comment.author_email])
    send_or_retry(message, task=email_own_page_link, args=(comment_id,), attempt=attempt)


@task()
def email_privacy_request(comment_id: int, kind: str, attempt: int = 1) -> None:
    """A reader with a proven address asks for the export or erasure of their comments; the
    operator answers with the privacy commands (docs/privacy.md)."""
    recipients = (
        [settings.SITE_CONTACT_EMAIL]
        if settings.SITE_CONTACT_EMAIL
        else settings.COMMENTS_MODERATOR_EMAILS
    )
    comment = Comment.objects.filter(pk=comment_id).exclude(author_email="").first()
    if not recipients or comment is None:
        return
    comments = Comment.objects.by_author_email(comment.author_email)
    context = {
        "kind": kind,
        "email": comment.author_email,
        "comment_ids": list(comments.order_by("pk").values_list("pk", flat=True)),
    }
    message = build_email(
        "comments/email/privacy_request",
        context,
        to=recipients,
        headers={"Reply-To": comment.author_email},
    )
    send_or_retry(message, task=email_privacy_request, args=(comment_id, kind), attempt=attempt)


def _first_words(comment) -> str:
    return Truncator(" ".join(comment.text.split())).words(12)


@task()
def email_statement(statement_id: int, attempt: int = 1) -> None:
    """DSA Art. 17: the author of a removed comment hears what was done, why and how to object;
    the statement sent is logged. Nothing when the removal was undone meanwhile (the comment
    no longer has the statement's status: comments/statements.py)."""
    statement = (
        StatementOfReasons.objects.select_related("comment__report", "decided_by")
        .filter(pk=statement_id, sent_at=None, withdrawn_at=None)
        .first()
    )
    if (
        statement is None
        or not statement.comment.author_email
        or statement.comment.status != statement.new_status
    ):
        return  # sent or withdrawn already, undone, or the comment or its address erased
    comment = statement.comment
    context = {
        "statement": statement,
        "comment": comment,
        "first_words": _first_words(comment),
        "objection_url": email_links.objection_url(statement),
        "objection_days": email_links.OBJECTION_MAX_AGE.days,
    }
    message = build_email("comments/email/statement", context, to=[comment.author_email])
    send_or_retry(message, task=email_statement, args=(statement_id,), attempt=attempt)
    StatementOfReasons.objects.filter(pk=statement_id).update(sent_at=timezone.now())
    if statement.decided_by is not None:
        audit.log_statement_sent(user=statement.decided_by, statement=statement)


@task()
def email_moderators_about_objection(objection_id: int, attempt: int = 1) -> None:
    recipients = settings.COMMENTS_MODERATOR_EMAILS
    objection = (
        Objection.objects.select_related("statement__comment").filter(pk=objection_id).first()
    )
    if not recipients or objection is None:
        return
    context = {"objection": objection, "admin_url": objection.statement.comment.admin_url()}
    message = build_email("comments/email/new_objection", context, to=recipients)
    send_or_retry(
        message, task=email_moderators_about_objection, args=(objection_id,), attempt=attempt
    )


@task()
def email_objection_decision(objection_id: int, attempt: int = 1) -> None:
    """The author hears whether their objection changed the decision."""
    objection = (
        Objection.objects.select_related("statement__comment__report")
        .filter(pk=objection_id)
        .first()
    )
    if objection is None or not objection.statement.comment.author_email:
        return
    comment = objection.statement.comment
    context = {"objection": objection, "comment": comment, "first_words": _first_words(comment)}
    message = build_email("comments/email/objection_decision", context, to=[comment.author_email])
    send_or_retry(message, task=email_objection_decision, args=(objection_id,), attempt=attempt)

"""Erasing an author's personal data (GDPR Art. 17): what was said stays, who said it goes."""

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from comments import audit
from comments.models import (
    ANONYMOUS_AUTHOR,
    Comment,
    Notice,
    Objection,
    StatementOfReasons,
    Subscription,
    mark_pages_changed,
)


def erase_personal_data(comments) -> int:
    """Anonymise `comments` (a queryset), in the comments and in the admin's log; the page
    changes when an approved comment loses its author's name."""
    with transaction.atomic():
        erased = list(comments.select_related("report").select_for_update(of=("self",)))
        count = Comment.objects.filter(pk__in=[c.pk for c in erased]).update(
            author_name=ANONYMOUS_AUTHOR,
            author_email="",
            author_email_normalised="",
            duplicate_key=None,
            author_url="",
            ip_address=None,
            user_agent="",
        )
        audit.forget_personal_data(erased)
        mark_pages_changed({c.report_id for c in erased if c.is_approved})
    return count


#: Which of the person's rows each email task of comments/tasks.py names by its first argument.
TASK_SUBJECTS = {
    "comments.tasks.email_moderators": Comment,
    "comments.tasks.notify_subscribers": Comment,
    "comments.tasks.email_moderators_about_notice": Notice,
    "comments.tasks.email_notice_decision": Notice,
    "comments.tasks.email_confirmation": Subscription,
    "comments.tasks.email_notification": Subscription,
    "comments.tasks.email_statement": StatementOfReasons,
    "comments.tasks.email_moderators_about_objection": Objection,
    "comments.tasks.email_objection_decision": Objection,
}


def forget_tasks(*, comment_ids=(), subscription_ids=(), notice_ids=()) -> int:
    """Delete the queue's rows of tasks about the person's comments, subscriptions and
    reports (their arguments are ids only, but a row still says that mail went to them)."""
    comment_ids = set(comment_ids)
    ids = {
        Comment: comment_ids,
        Subscription: set(subscription_ids),
        Notice: set(notice_ids),
        StatementOfReasons: set(
            StatementOfReasons.objects.filter(comment_id__in=comment_ids).values_list(
                "pk", flat=True
            )
        ),
        Objection: set(
            Objection.objects.filter(statement__comment_id__in=comment_ids).values_list(
                "pk", flat=True
            )
        ),
    }
    doomed = []
    for row in DBTaskResult.objects.filter(task_path__in=TASK_SUBJECTS).only(
        "id", "task_path", "args_kwargs"
    ):
        args = (row.args_kwargs or {}).get("args") or [None]
        named = args[0] if isinstance(args[0], list) else [args[0]]
        if set(named) & ids[TASK_SUBJECTS[row.task_path]]:
            doomed.append(row.pk)
    return DBTaskResult.objects.filter(pk__in=doomed).delete()[0]

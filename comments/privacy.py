"""Erasing an author's personal data (GDPR Art. 17): what was said stays, who said it goes."""

from django.db import transaction

from comments import audit
from comments.models import ANONYMOUS_AUTHOR, Comment, mark_pages_changed


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

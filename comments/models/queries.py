"""The comment's statuses and the queries the site and the desk need (comments/models/
comment.py attaches them as its manager)."""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from comments.text import clean_name, duplicate_key, normalise_email
from reports.models import Report


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Ausstehend"
    APPROVED = "approved", "Freigegeben"
    SPAM = "spam", "Spam"
    TRASH = "trash", "Papierkorb"


def mark_pages_changed(report_ids) -> None:
    """The report page is cached per state of its discussion (aireport/page_cache.py)."""
    if report_ids:
        Report.objects.filter(pk__in=set(report_ids)).mark_page_changed()


class CommentQuerySet(models.QuerySet):
    """The queries of the site and the desk. Deleting and creating many comments at once move
    the report page's version when readers would see the change; a status change does so
    through comments.actions.change_status and its signal."""

    def approved(self):
        return self.filter(status=CommentStatus.APPROVED)

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)

    def with_open_notices(self):
        """The desk's "Gemeldet": reports to decide, on comments not in spam or the trash."""
        hidden = [CommentStatus.SPAM, CommentStatus.TRASH]
        return self.filter(notices__decision="").exclude(status__in=hidden).distinct()

    def from_network_of_others(self, comment, *, days: int):
        """What a network ban also silences: the last `days` days' comments from the comment's
        network (stored shortened) by other email addresses."""
        since = timezone.now() - timedelta(days=days)
        others = self.exclude(author_email_normalised=comment.author_email_normalised)
        return others.filter(ip_address=comment.ip_address, created_at__gte=since)

    def for_report(self, report):
        return self.filter(report=report)

    def visible_to(self, own_ids=()):
        """Approved comments, plus the reader's own not yet approved ones (never trash)."""
        own = models.Q(pk__in=list(own_ids)) & ~models.Q(status=CommentStatus.TRASH)
        return self.filter(models.Q(status=CommentStatus.APPROVED) | own)

    def by_author_email(self, email):
        return self.filter(author_email_normalised=normalise_email(email))

    def duplicates_of(self, *, report, author_email, text):
        """The comments on `report` that the same words from the same address would repeat."""
        key = duplicate_key(author_email=author_email, text=text)
        if key is None:
            return self.none()
        return self.for_report(report).filter(duplicate_key=key).exclude(status=CommentStatus.TRASH)

    def is_duplicate(self, *, report, author_email, text) -> bool:
        """WordPress's rule: the same words from the same address on the same report.

        The database enforces it too (Comment.Meta.constraints); this asks before trying."""
        key = duplicate_key(author_email=author_email, text=text)
        return (
            key is not None
            and self.for_report(report)
            .filter(duplicate_key=key)
            .exclude(status=CommentStatus.TRASH)
            .exists()
        )

    def has_approved_from(self, *, author_name, author_email) -> bool:
        return (
            self.approved()
            .by_author_email(author_email)
            .filter(author_name__iexact=clean_name(author_name))
            .exists()
        )

    def delete(self):
        """Deleting an approved comment, or the parent of an approved reply, changes the page."""
        seen = self.model.objects.approved().filter(
            models.Q(pk__in=self) | models.Q(parent__in=self)
        )
        with transaction.atomic(using=self.db):
            report_ids = list(seen.values_list("report_id", flat=True).distinct())
            result = super().delete()
            mark_pages_changed(report_ids)
        return result

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        """As saving one by one would: derived columns filled, the page version moved."""
        objs = list(objs)
        for comment in objs:
            comment._fill_derived_fields()
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            mark_pages_changed([c.report_id for c in objs if c.is_approved])
        return created

    bulk_create.alters_data = True

    def trashed_before(self, cutoff):
        """Trash that has been lying there since before `cutoff` (WordPress: EMPTY_TRASH_DAYS)."""
        return self.filter(status=CommentStatus.TRASH).filter(
            models.Q(status_changed_at__lt=cutoff)
            | models.Q(status_changed_at=None, created_at__lt=cutoff)
        )

    def with_metadata_older_than(self, cutoff):
        return self.filter(created_at__lt=cutoff).exclude(ip_address=None, user_agent="")

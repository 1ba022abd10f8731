import ipaddress

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils import timezone

from aireport.sanitizer import render_comment_text
from reports.models import Report

#: WordPress's limits, so that what fits there fits here.
MAX_NAME_LENGTH = 245
MAX_EMAIL_LENGTH = 100
MAX_URL_LENGTH = 200
MAX_TEXT_LENGTH = 65525
MAX_USER_AGENT_LENGTH = 254

ANONYMOUS_AUTHOR = "Anonym"


def shorten_ip(value: str | None) -> str | None:
    """Keep only the network part of an address: IPv4 to /24, IPv6 to /48.

    That is enough to spot a flood from one network and too little to identify a reader.
    """
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def for_report(self, report):
        return self.filter(report=report)

    def visible_to(self, own_ids=()):
        """Approved comments, plus the reader's own not yet approved ones (never trash)."""
        own = models.Q(pk__in=list(own_ids)) & ~models.Q(status=Comment.Status.TRASH)
        return self.filter(models.Q(status=Comment.Status.APPROVED) | own)

    def by_author_email(self, email):
        return self.filter(author_email__iexact=email.strip())

    def is_duplicate(self, *, report, author_email, text) -> bool:
        """WordPress's rule: the same words from the same address on the same report."""
        return (
            self.for_report(report)
            .by_author_email(author_email)
            .filter(text=text)
            .exclude(status=Comment.Status.TRASH)
            .exists()
        )

    def has_approved_from(self, *, author_name, author_email) -> bool:
        return (
            self.approved()
            .by_author_email(author_email)
            .filter(author_name__iexact=author_name.strip())
            .exists()
        )

    def set_status(self, status) -> int:
        """Change the status of many comments at once (admin actions); returns how many changed."""
        changing = self.exclude(status=status)
        # Readers see a change only when a comment becomes or stops being approved.
        seen = changing if status == Comment.Status.APPROVED else changing.approved()
        report_ids = set(seen.values_list("report_id", flat=True))
        published = (
            list(changing.values_list("pk", flat=True)) if status == Comment.Status.APPROVED else []
        )
        count = changing.update(status=status)
        if report_ids:
            Report.objects.filter(pk__in=report_ids).mark_discussion_changed()
        if published:
            from .notifications import comments_published

            comments_published(published)
        return count

    def with_metadata_older_than(self, cutoff):
        return self.filter(created_at__lt=cutoff).exclude(ip_address=None, user_agent="")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Ausstehend"
        APPROVED = "approved", "Freigegeben"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Papierkorb"

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="comments", verbose_name="Bericht"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="Antwort auf",
    )
    depth = models.PositiveSmallIntegerField(
        "Ebene", default=1, editable=False, help_text="1 für einen Kommentar, 2 für eine Antwort …"
    )
    status = models.CharField(
        "Status",
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text="Nur freigegebene Kommentare stehen auf der Seite.",
    )
    author_name = models.CharField("Name", max_length=MAX_NAME_LENGTH)
    author_email = models.EmailField(
        "E-Mail-Adresse",
        max_length=MAX_EMAIL_LENGTH,
        blank=True,
        help_text="Wird nie veröffentlicht.",
    )
    author_url = models.URLField(
        "Website",
        max_length=MAX_URL_LENGTH,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    text = models.TextField("Kommentar", max_length=MAX_TEXT_LENGTH)
    text_html = models.TextField(editable=False, blank=True)
    ip_address = models.GenericIPAddressField(
        "IP-Adresse (gekürzt)",
        null=True,
        blank=True,
        help_text="IPv4 auf /24, IPv6 auf /48 gekürzt; nach einigen Tagen gelöscht.",
    )
    user_agent = models.CharField("Browser", max_length=MAX_USER_AGENT_LENGTH, blank=True)
    created_at = models.DateTimeField("Geschrieben am", default=timezone.now, db_index=True)

    objects = CommentQuerySet.as_manager()

    #: The status as last loaded or saved, to tell whether a save changes what readers see.
    _stored_status = None

    class Meta:
        verbose_name = "Kommentar"
        verbose_name_plural = "Kommentare"
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=("report", "status", "created_at"), name="comment_report_status"),
            models.Index(fields=("status", "created_at"), name="comment_status_created"),
            models.Index(fields=("author_email",), name="comment_author_email"),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.excerpt}"

    def save(self, *args, **kwargs):
        self.text_html = render_comment_text(self.text)
        self.ip_address = shorten_ip(self.ip_address)
        self.user_agent = (self.user_agent or "")[:MAX_USER_AGENT_LENGTH]
        self.depth = self.parent.depth + 1 if self.parent_id else 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "text_html",
                "ip_address",
                "user_agent",
                "depth",
            }
        became_visible = self.is_approved and self._stored_status != self.Status.APPROVED
        super().save(*args, **kwargs)
        # A pending or spam comment changes nothing readers see; the cached page stays.
        if self._stored_status == self.Status.APPROVED or self.is_approved:
            self._discussion_changed()
        self._stored_status = self.status
        if became_visible:
            from .notifications import comment_published

            comment_published(self)

    def get_absolute_url(self):
        """The lasting address: it redirects to whichever page of the discussion holds it."""
        return f"{reverse('comments:permalink', kwargs={'pk': self.pk})}#{self.anchor}"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._discussion_changed()
        return result

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        comment._stored_status = dict(zip(field_names, values, strict=True)).get("status")
        return comment

    def _discussion_changed(self):
        """The report page is cached per state of its discussion (aireport/page_cache.py)."""
        Report.objects.filter(pk=self.report_id).mark_discussion_changed()

    @property
    def anchor(self) -> str:
        return f"c{self.pk}"

    @property
    def excerpt(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def initials(self) -> str:
        """Up to two letters for the avatar, drawn by CSS; no image is ever requested."""
        words = [w for w in self.author_name.split() if w[:1].isalnum()]
        return "".join(w[0] for w in words[:2]).upper() or "?"

    @property
    def avatar_colour(self) -> int:
        """One of eight colours, stable for a name (CSS classes avatar-0 … avatar-7)."""
        return sum(map(ord, self.author_name.casefold())) % 8

    @property
    def can_have_replies(self) -> bool:
        return self.is_approved and self.depth < settings.COMMENTS_MAX_DEPTH

    def erase_personal_data(self):
        """Keep what was said, forget who said it."""
        self.author_name = ANONYMOUS_AUTHOR
        self.author_email = ""
        self.author_url = ""
        self.ip_address = None
        self.user_agent = ""
        self.save()

    def admin_url(self) -> str:
        path = reverse("admin:comments_comment_change", args=[self.pk])
        return settings.SITE_URL.rstrip("/") + path


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.exclude(confirmed_at=None)

    def by_email(self, email):
        return self.filter(email__iexact=email.strip())

    def unconfirmed_older_than(self, cutoff):
        return self.filter(confirmed_at=None, requested_at__lt=cutoff)

    def to_notify_of(self, comment):
        """Confirmed subscriptions a newly visible comment concerns: replies to the comment it
        answers, and new comments on its report. Never its own author."""
        about = models.Q(report_id=comment.report_id, comment=None)
        if comment.parent_id:
            about |= models.Q(comment_id=comment.parent_id)
        subscriptions = self.confirmed().filter(about)
        if comment.author_email:
            subscriptions = subscriptions.exclude(email__iexact=comment.author_email)
        return subscriptions


class Subscription(models.Model):
    """A reader's wish to hear of replies to their comment, or of every new comment on a
    report, with the proof of their double opt-in. Deleted when they unsubscribe."""

    email = models.EmailField("E-Mail-Adresse", max_length=MAX_EMAIL_LENGTH)
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="subscriptions", verbose_name="Bericht"
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name="Antworten auf",
        help_text="Leer: alle neuen Kommentare zum Bericht.",
    )
    requested_at = models.DateTimeField("Angefragt am", default=timezone.now)
    request_ip = models.GenericIPAddressField(
        "IP-Adresse der Anfrage (gekürzt)", null=True, blank=True
    )
    confirmed_at = models.DateTimeField("Bestätigt am", null=True, blank=True)
    confirm_ip = models.GenericIPAddressField(
        "IP-Adresse der Bestätigung (gekürzt)", null=True, blank=True
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "Benachrichtigung"
        verbose_name_plural = "Benachrichtigungen"
        ordering = ("requested_at", "id")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "report",
                condition=models.Q(comment=None),
                name="one_report_subscription_per_email",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "comment",
                condition=models.Q(comment__isnull=False),
                name="one_reply_subscription_per_email",
            ),
        ]
        indexes = [models.Index(Upper("email"), name="subscription_email_upper")]

    def __str__(self):
        return f"{self.email}: {self.description}"

    def save(self, *args, **kwargs):
        self.request_ip = shorten_ip(self.request_ip)
        self.confirm_ip = shorten_ip(self.confirm_ip)
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def description(self) -> str:
        """What the reader subscribed to, as the confirmation page and emails say it."""
        if self.comment_id:
            return f"Antworten auf deinen Kommentar zu „{self.report.title}“"
        return f"neue Kommentare zum Bericht „{self.report.title}“"

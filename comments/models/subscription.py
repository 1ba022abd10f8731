"""Who hears of new comments: subscriptions with their double opt-in proof."""

from django.db import models
from django.utils import timezone

from aireport.proxies import shorten_ip
from comments.models.comment import Comment
from comments.text import MAX_EMAIL_LENGTH, NORMALISED_EMAIL_LENGTH, normalise_email
from reports.models import Report


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.exclude(confirmed_at=None)

    def by_email(self, email):
        return self.filter(email_normalised=normalise_email(email))

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
            subscriptions = subscriptions.exclude(
                email_normalised=normalise_email(comment.author_email)
            )
        return subscriptions


class Subscription(models.Model):
    """A reader's wish to hear of replies to their comment, or of every new comment on a
    report, with the proof of their double opt-in. Deleted when they unsubscribe."""

    email = models.EmailField("E-Mail-Adresse", max_length=MAX_EMAIL_LENGTH)
    email_normalised = models.CharField(
        max_length=NORMALISED_EMAIL_LENGTH, editable=False, default=""
    )
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
                "email_normalised",
                "report",
                condition=models.Q(comment=None),
                name="one_report_subscription_per_email",
            ),
            models.UniqueConstraint(
                "email_normalised",
                "comment",
                condition=models.Q(comment__isnull=False),
                name="one_reply_subscription_per_email",
            ),
        ]

    def __str__(self):
        # The admin's change log keeps this text: no address in it.
        return f"Benachrichtigung #{self.pk}: {self.description}"

    def save(self, *args, **kwargs):
        self.email_normalised = normalise_email(self.email)
        self.request_ip = shorten_ip(self.request_ip)
        self.confirm_ip = shorten_ip(self.confirm_ip)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "email_normalised"}
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

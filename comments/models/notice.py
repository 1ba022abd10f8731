"""Readers' reports of a comment (notice and action, DSA Art. 16) and the ban list."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from aireport.proxies import shorten_ip
from comments.models.comment import Comment
from comments.text import MAX_EMAIL_LENGTH, NORMALISED_EMAIL_LENGTH, normalise_email


class NoticeReason(models.TextChoices):
    INSULT = "insult", "Beleidigung"
    SPAM = "spam", "Spam/Werbung"
    MISINFORMATION = "misinformation", "Falschinformation"
    PERSONAL_DATA = "personal_data", "persönliche Daten"
    ILLEGAL = "illegal", "rechtswidriger Inhalt"
    OTHER = "other", "Sonstiges"


class NoticeDecision(models.TextChoices):
    OPEN = "", "Offen"
    REMOVED = "removed", "Kommentar entfernt"
    NO_ACTION = "no_action", "Keine Maßnahme"


class Notice(models.Model):
    """A reader's report of an approved comment (notice and action, DSA Art. 16)."""

    Reason = NoticeReason
    Decision = NoticeDecision

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="notices", verbose_name="Kommentar"
    )
    reason = models.CharField("Grund", max_length=20, choices=Reason.choices)
    explanation = models.TextField("Begründung", max_length=5000)
    reporter_email = models.EmailField(
        "E-Mail-Adresse für die Entscheidung", max_length=MAX_EMAIL_LENGTH, blank=True
    )
    reporter_email_normalised = models.CharField(
        max_length=NORMALISED_EMAIL_LENGTH, blank=True, editable=False, db_index=True
    )
    #: A keyed hash of the reporter's network (aireport.proxies.shorten_ip): only compared, to
    #: count distinct reporters (comments/notices.py); never the address itself.
    reporter_network = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField("Gemeldet am", default=timezone.now)
    decision = models.CharField(
        "Entscheidung", max_length=20, choices=Decision.choices, blank=True, default=""
    )
    decision_reason = models.CharField("Kurze Begründung", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Entschieden von",
    )
    decided_at = models.DateTimeField("Entschieden am", null=True, blank=True)

    class Meta:
        verbose_name = "Meldung"
        verbose_name_plural = "Meldungen"
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=NoticeReason.values),
                name="notice_reason_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=NoticeDecision.values),
                name="notice_decision_valid",
            ),
        ]

    def __str__(self):
        return f"Meldung #{self.pk} zu Kommentar #{self.comment_id}"

    def save(self, *args, **kwargs):
        self.reporter_email_normalised = normalise_email(self.reporter_email)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "reporter_email_normalised"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return not self.decision


class BannedSender(models.Model):
    """ "Absender sperren": new comments from this email or network go to spam."""

    # Stored normalised (it is only ever matched), so the column has the normalised size; the
    # form takes what the comment form takes.
    email = models.EmailField(
        "E-Mail-Adresse",
        max_length=NORMALISED_EMAIL_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(MAX_EMAIL_LENGTH)],
    )
    ip_address = models.GenericIPAddressField("IP-Adresse (gekürzt)", null=True, blank=True)
    reason = models.CharField("Grund", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="Gesperrt von",
    )
    created_at = models.DateTimeField("Gesperrt am", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "Gesperrter Absender"
        verbose_name_plural = "Gesperrte Absender"
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="") | models.Q(ip_address__isnull=False),
                name="banned_sender_has_email_or_ip",
            ),
        ]

    def __str__(self):
        return f"Sperre #{self.pk}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)  # only ever matched, never written to
        self.ip_address = shorten_ip(self.ip_address)
        super().save(*args, **kwargs)

    @classmethod
    def is_banned(cls, *, email: str, ip_address: str | None) -> bool:
        email = normalise_email(email)
        match = models.Q(email=email) if email else models.Q(pk=None)
        network = shorten_ip(ip_address)
        if network:
            match |= models.Q(ip_address=network)
        return cls.objects.filter(match).exists()

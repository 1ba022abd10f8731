"""Readers' reports of a comment (notice and action, DSA Art. 16) and the ban list."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from aireport.proxies import shorten_ip
from comments.models.comment import Comment
from comments.models.decided import Decided
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


class Notice(Decided):
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


def sender_hash(kind: str, value: str) -> str:
    """A keyed hash (HMAC, its key derived from SECRET_KEY) of a normalised email or a
    shortened network: the ban list can match a sender without keeping who they are."""
    return salted_hmac(f"comments.banned-sender.{kind}", value, algorithm="sha256").hexdigest()


class BannedSenderManager(models.Manager):
    def ban(self, *, email: str = "", ip_address: str | None = None, **fields) -> "BannedSender":
        """A new ban of this email and/or network (stored as keyed hashes only)."""
        ban = self.model(**fields)
        ban.set_sender(email=email, ip_address=ip_address)
        ban.save()
        return ban


class BannedSender(models.Model):
    """ "Absender sperren": new comments from this email or network go to spam.

    Only keyed hashes are stored (`sender_hash`), never the address or the network: the list
    can tell whether a sender is banned, not whom it bans. Erasing a person's data keeps the
    hash (docs/privacy.md)."""

    email_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    network_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    reason = models.CharField(
        "Grund",
        max_length=500,
        blank=True,
        help_text="Nur die Art des Verstoßes (z. B. „wiederholt Werbung“). Keinen Namen, keine "
        "E-Mail-Adresse und nichts, was die Person erkennbar macht.",
    )
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

    objects = BannedSenderManager()

    class Meta:
        verbose_name = "Gesperrter Absender"
        verbose_name_plural = "Gesperrte Absender"
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email_hash="") | ~models.Q(network_hash=""),
                name="banned_sender_has_email_or_network",
            ),
        ]

    def __str__(self):
        return f"Sperre #{self.pk}"

    @staticmethod
    def email_key(email: str) -> str:
        email = normalise_email(email)
        return sender_hash("email", email) if email else ""

    @staticmethod
    def network_key(ip_address: str | None) -> str:
        network = shorten_ip(ip_address)
        return sender_hash("network", network) if network else ""

    def set_sender(self, *, email: str = "", ip_address: str | None = None) -> None:
        self.email_hash = self.email_key(email)
        self.network_hash = self.network_key(ip_address)

    @classmethod
    def matching(cls, *, email: str = "", ip_address: str | None = None):
        email_key, network_key = cls.email_key(email), cls.network_key(ip_address)
        match = models.Q(pk=None)
        if email_key:
            match |= models.Q(email_hash=email_key)
        if network_key:
            match |= models.Q(network_hash=network_key)
        return cls.objects.filter(match)

    @classmethod
    def is_banned(cls, *, email: str, ip_address: str | None) -> bool:
        return cls.matching(email=email, ip_address=ip_address).exists()

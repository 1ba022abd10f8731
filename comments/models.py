import ipaddress

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from aireport.sanitizer import render_comment_text
from reports.models import Report

from .rules import discussion_rules

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
        count = changing.update(status=status, status_changed_at=timezone.now())
        if report_ids:
            Report.objects.filter(pk__in=report_ids).mark_discussion_changed()
        return count

    def trashed_before(self, cutoff):
        """Trash that has been lying there since before `cutoff` (WordPress: EMPTY_TRASH_DAYS)."""
        return self.filter(status=Comment.Status.TRASH).filter(
            models.Q(status_changed_at__lt=cutoff)
            | models.Q(status_changed_at=None, created_at__lt=cutoff)
        )

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
    status_changed_at = models.DateTimeField("Status geändert am", null=True, editable=False)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="Antwort der Redaktion von",
        help_text="Gesetzt bei Antworten aus der Verwaltung (Abzeichen „Redaktion“).",
    )

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
        if self._state.adding or self.status != self._stored_status:
            self.status_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "status_changed_at"}
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
        super().save(*args, **kwargs)
        # A pending or spam comment changes nothing readers see; the cached page stays.
        if self._stored_status == self.Status.APPROVED or self.is_approved:
            self._discussion_changed()
        self._stored_status = self.status

    def get_absolute_url(self):
        return f"{self.report.get_absolute_url()}#{self.anchor}"

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
        return self.is_approved and self.depth < discussion_rules().max_depth

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

    @property
    def is_open(self) -> bool:
        return not self.decision


class BannedSender(models.Model):
    """ "Absender sperren": new comments from this email or network go to spam."""

    email = models.EmailField("E-Mail-Adresse", max_length=MAX_EMAIL_LENGTH, blank=True)
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
        self.ip_address = shorten_ip(self.ip_address)
        super().save(*args, **kwargs)

    @classmethod
    def is_banned(cls, *, email: str, ip_address: str | None) -> bool:
        match = models.Q(email__iexact=email.strip()) if email.strip() else models.Q(pk=None)
        network = shorten_ip(ip_address)
        if network:
            match |= models.Q(ip_address=network)
        return cls.objects.filter(match).exists()


class DiscussionSettings(models.Model):
    """The "Diskussion" settings: one record, edited by administrators in the admin.

    Without a record the environment variables (settings.COMMENTS_*) apply; a new record starts
    from them. comments/rules.py reads it through the cache.
    """

    moderation_words = models.TextField(
        "Moderationswörter",
        blank=True,
        help_text="Ein Wort pro Zeile. Ein Kommentar, der eines enthält, wartet auf Freischaltung.",
    )
    blocklist_words = models.TextField(
        "Gesperrte Wörter",
        blank=True,
        help_text="Ein Wort pro Zeile. Ein Kommentar, der eines enthält, landet im Spam.",
    )
    max_links = models.PositiveSmallIntegerField(
        "Linkgrenze", help_text="Ab so vielen Links wartet ein Kommentar auf Freischaltung."
    )
    auto_approve_known_authors = models.BooleanField(
        "Bekannte Autoren automatisch freigeben",
        help_text="Name und E-Mail-Adresse haben schon einen freigegebenen Kommentar.",
    )
    flood_seconds = models.PositiveIntegerField("Sperrzeit zwischen zwei Kommentaren (Sekunden)")
    max_depth = models.PositiveSmallIntegerField(
        "Maximale Verschachtelungstiefe",
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    ip_retention_days = models.PositiveSmallIntegerField(
        "IP-Adresse und Browser aufbewahren (Tage)"
    )
    hold_after_notices = models.PositiveSmallIntegerField(
        "Nach so vielen Meldungen erneut prüfen",
        help_text="Ein freigegebener Kommentar wartet wieder auf Freischaltung; 0 = aus.",
    )
    updated_at = models.DateTimeField("Geändert am", auto_now=True)

    class Meta:
        verbose_name = "Diskussion"
        verbose_name_plural = "Diskussion"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="discussion_settings_single")
        ]

    def __str__(self):
        return "Diskussionseinstellungen"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        from .rules import forget_discussion_rules

        forget_discussion_rules()
        # The depth rule shapes every discussion; cached pages must be rendered again.
        Report.objects.all().mark_discussion_changed()

    @classmethod
    def from_environment(cls) -> "DiscussionSettings":
        return cls(
            pk=1,
            moderation_words="\n".join(settings.COMMENTS_MODERATION_WORDS),
            blocklist_words="\n".join(settings.COMMENTS_BLOCKLIST_WORDS),
            max_links=settings.COMMENTS_MAX_LINKS,
            auto_approve_known_authors=settings.COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS,
            flood_seconds=settings.COMMENTS_FLOOD_SECONDS,
            max_depth=settings.COMMENTS_MAX_DEPTH,
            ip_retention_days=settings.COMMENTS_IP_RETENTION_DAYS,
            hold_after_notices=settings.COMMENTS_HOLD_AFTER_NOTICES,
        )


class ModerationLogEntry(LogEntry):
    """The admin's log, seen as the "Moderationsprotokoll" (comments/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = "Moderationsprotokoll-Eintrag"
        verbose_name_plural = "Moderationsprotokoll"
        ordering = ("-action_time",)

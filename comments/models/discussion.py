"""The "Diskussion" settings the administrators edit, and the moderation log's view of the
admin's LogEntry."""

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class DiscussionSettings(models.Model):
    """The "Diskussion" settings: one record, edited by administrators in the admin.

    Without a record the environment variables (settings.COMMENTS_*) apply; a new record starts
    from them. comments/rules.py reads it through the cache. A new rule is a new field here (and
    its COMMENTS_ setting): the rules object, the admin and the defaults follow from the field.
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
    confirmation_emails_per_day = models.PositiveSmallIntegerField(
        "Bestätigungs-E-Mails pro Adresse und Tag",
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Höchstens so viele Bestätigungs-E-Mails (Double-Opt-in) bekommt eine Adresse "
        "an einem Tag; dazu gilt die Sperrzeit zwischen zweien.",
    )
    comments_per_page = models.PositiveSmallIntegerField(
        "Kommentare pro Seite",
        default=50,
        help_text="Oberste Kommentare je Seite, jeweils mit allen Antworten; 0 = alle auf einer "
        "Seite.",
    )
    fold_above = models.PositiveIntegerField(
        "Antworten einklappen ab (Kommentare je Seite)",
        default=50,
        help_text="Zeigt eine Seite mehr Kommentare, steht von jedem Thread nur der erste da, "
        "mit „3 Antworten anzeigen“; 0 = nie einklappen.",
    )
    order = models.CharField(
        "Reihenfolge der Kommentare",
        max_length=10,
        choices=[("oldest", "Älteste zuerst"), ("newest", "Neueste zuerst")],
        default="oldest",
    )
    close_after_days = models.PositiveSmallIntegerField(
        "Kommentare nach so vielen Tagen schließen",
        default=0,
        help_text="Gezählt ab dem Veröffentlichungsdatum des Berichts; 0 = nie schließen.",
    )
    updated_at = models.DateTimeField("Geändert am", auto_now=True)

    class Meta:
        verbose_name = "Diskussion"
        verbose_name_plural = "Diskussion"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="discussion_settings_single"),
            models.CheckConstraint(
                condition=models.Q(order__in=["oldest", "newest"]),
                name="discussion_settings_order_valid",
            ),
        ]

    def __str__(self):
        return "Diskussionseinstellungen"

    def save(self, *args, **kwargs):
        """The one record; comments/receivers.py drops the cached rules after the save."""
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def rule_fields(cls) -> list:
        """The fields that are rules: every field an administrator edits (not the id, not the
        time of the last change). The rules object and the admin's form are built from them."""
        return [
            field for field in cls._meta.concrete_fields if field.editable and not field.primary_key
        ]

    @staticmethod
    def environment_setting(field) -> str:
        """The environment variable that is a rule's default: COMMENTS_ and the field's name
        (comments_per_page → COMMENTS_PER_PAGE)."""
        return "COMMENTS_" + field.name.upper().removeprefix("COMMENTS_")

    @classmethod
    def from_environment(cls) -> "DiscussionSettings":
        values = {}
        for field in cls.rule_fields():
            value = getattr(settings, cls.environment_setting(field))
            values[field.name] = "\n".join(value) if isinstance(field, models.TextField) else value
        return cls(pk=1, **values)


class ModerationLogEntry(LogEntry):
    """The admin's log, seen as the "Moderationsprotokoll" (comments/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = "Moderationsprotokoll-Eintrag"
        verbose_name_plural = "Moderationsprotokoll"
        ordering = ("-action_time",)

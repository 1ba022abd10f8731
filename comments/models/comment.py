"""A reader's comment and the queries the site and the desk need.

The model holds data rules only: the columns derived from what was typed, the database's
constraints, the page version when comments appear or go. What happens when a comment is
posted or its status changes (emails, notifications) is done by comments/receivers.py, in
answer to the signals of comments/signals.py.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from aireport.proxies import shorten_ip
from aireport.sanitizer import render_comment_text
from comments.rules import discussion_rules
from comments.text import (
    MAX_EMAIL_LENGTH,
    NORMALISED_EMAIL_LENGTH,
    clean_name,
    duplicate_key,
    normalise_email,
)
from reports.models import Report, Section
from reports.passages import quote_linker

from .queries import CommentQuerySet, CommentStatus

#: WordPress's limits, so that what fits there fits here.
MAX_NAME_LENGTH = 245
MAX_URL_LENGTH = 200
MAX_TEXT_LENGTH = 65525
MAX_USER_AGENT_LENGTH = 254

ANONYMOUS_AUTHOR = "Anonym"


_UNKNOWN = object()

#: What a comment keeps of the section it is about (a reply copies them from its parent).
SECTION_FIELDS = ("section_id", "section_anchor", "section_title", "section_fingerprint")


class Comment(models.Model):
    Status = CommentStatus

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
    # What the comment is about: a section, or (empty) the whole report. The anchor, title and
    # text fingerprint are kept as they were when it was written, so a comment whose section
    # is later deleted still says what it was about, and one whose section is rewritten can
    # say so (comments/sections.py).
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name="Abschnitt",
        help_text="Leer: der ganze Bericht. Antworten gehören immer zum Abschnitt ihres "
        "Kommentars.",
    )
    section_anchor = models.SlugField(
        "Anker des Abschnitts", max_length=100, blank=True, editable=False, db_index=False
    )
    section_title = models.CharField(
        "Überschrift des Abschnitts", max_length=200, blank=True, editable=False
    )
    section_fingerprint = models.CharField(
        "Fassung des Abschnitts",
        max_length=32,
        blank=True,
        editable=False,
        help_text="Prüfsumme von Überschrift und Text des Abschnitts beim Schreiben.",
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
    author_email_normalised = models.CharField(
        "E-Mail-Adresse (normalisiert)",
        max_length=NORMALISED_EMAIL_LENGTH,
        blank=True,
        editable=False,
        help_text="Kleingeschrieben (casefold) und NFC: So wird jede Adresse verglichen.",
    )
    # NULL, not "", for comments without an address: NULLs never collide in a unique constraint.
    duplicate_key = models.CharField(  # noqa: DJ001
        max_length=64,
        null=True,
        blank=True,
        editable=False,
        help_text="SHA-256 aus normalisierter E-Mail-Adresse und Text; je Bericht nur einmal.",
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

    class Meta:
        verbose_name = "Kommentar"
        verbose_name_plural = "Kommentare"
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=("report", "status", "created_at"), name="comment_report_status"),
            models.Index(fields=("status", "created_at"), name="comment_status_created"),
            models.Index(fields=("author_email_normalised",), name="comment_author_email"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CommentStatus.values), name="comment_status_valid"
            ),
            # Never the same words twice from one address on one report (a double click, two
            # workers at once); the trash does not count, as in WordPress.
            models.UniqueConstraint(
                fields=("report", "duplicate_key"),
                condition=~models.Q(status=CommentStatus.TRASH),
                name="comment_unique_per_author_and_text",
                violation_error_message="Doppelter Kommentar: Dieselben Worte von derselben "
                "E-Mail-Adresse stehen schon bei diesem Bericht.",
            ),
        ]

    def __str__(self):
        """No personal data (the admin's log keeps it): "Kommentar #1 zu „Bericht“ (Abschnitt)"."""
        name = f"Kommentar #{self.pk}" if self.pk else "Kommentar (neu)"
        section = f" ({self.section_title})" if self.section_title else ""
        return f"{name} zu „{self.report}“{section}" if self.report_id else name

    def save(self, *args, **kwargs):
        if self._state.adding and self.status_changed_at is None:
            self.status_changed_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "author_name",
                "author_email_normalised",
                "duplicate_key",
                "text_html",
                "ip_address",
                "user_agent",
                "depth",
                "section",
                "section_anchor",
                "section_title",
                "section_fingerprint",
            }
        section_moved = not self._state.adding and self._section_changed()
        self._fill_derived_fields()
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if section_moved:
                self.replies_follow_section()
        self._stored_section_id = self.section_id

    def get_absolute_url(self):
        """The lasting address: it redirects to whichever page of the discussion holds it."""
        return f"{reverse('comments:permalink', kwargs={'pk': self.pk})}#{self.anchor}"

    def clean(self):
        """The derived columns before validation, so that a moderator who edits a comment into
        a duplicate gets the constraint's message instead of an error page."""
        self._fill_derived_fields()

    def _fill_derived_fields(self):
        """What every stored comment derives from what was typed (save, bulk_create, clean)."""
        self.author_name = clean_name(self.author_name)
        self.author_email_normalised = normalise_email(self.author_email)
        self.duplicate_key = duplicate_key(author_email=self.author_email, text=self.text)
        if getattr(self, "sent_by_another_browser", False):
            # The same words and address from a browser that did not send the first copy:
            # stored as a new comment (comments/posting.py), outside the duplicate rule.
            self.duplicate_key = None
        self.ip_address = shorten_ip(self.ip_address)
        self.user_agent = (self.user_agent or "")[:MAX_USER_AGENT_LENGTH]
        self.depth = self.parent.depth + 1 if self.parent_id else 1
        if self.parent_id:
            # A reply is about what its comment is about, whatever the form said.
            for name in SECTION_FIELDS:
                setattr(self, name, getattr(self.parent, name))
        elif self._section_changed():
            self.set_section(self.section)
        self.text_html = render_comment_text(
            self.text, link_quote=quote_linker(self.section if self.section_id else None)
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        # Loaded without its section (only()/defer()): not known, so never "changed".
        comment._stored_section_id = comment.__dict__.get("section_id", _UNKNOWN)
        return comment

    def _section_changed(self) -> bool:
        stored = getattr(self, "_stored_section_id", None)
        return stored is not _UNKNOWN and self.section_id != stored

    def set_section(self, section: Section | None) -> None:
        """About `section` (None: the whole report), as the section reads at this moment."""
        self.section = section
        self.section_anchor = section.anchor if section else ""
        self.section_title = section.title if section else ""
        self.section_fingerprint = section.text_fingerprint if section else ""

    def replies_follow_section(self) -> None:
        """After a moderator moved a comment to another section: its replies go with it."""
        values = {name: getattr(self, name) for name in SECTION_FIELDS}
        values["section"] = values.pop("section_id")
        parents = [self.pk]
        while parents:
            replies = Comment.objects.filter(parent__in=parents)
            parents = list(replies.values_list("pk", flat=True))
            replies.update(**values)

    def delete(self, *args, **kwargs):
        """Through the queryset, where deleting moves the page version."""
        return type(self).objects.filter(pk=self.pk).delete()

    @property
    def anchor(self) -> str:
        return f"c{self.pk}"

    @property
    def created_at_iso(self) -> str:
        """For `<time datetime>`: local time to the minute. The standard library does this
        40 times faster than the template's date filter, which adds up on a page of 200."""
        return timezone.localtime(self.created_at).isoformat(timespec="minutes")

    @property
    def excerpt(self) -> str:
        return Truncator(" ".join(self.text.split())).chars(80)

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

    def admin_url(self) -> str:
        path = reverse("admin:comments_comment_change", args=[self.pk])
        return settings.SITE_URL.rstrip("/") + path

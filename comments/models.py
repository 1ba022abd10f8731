import contextlib
import hashlib
import ipaddress
import unicodedata

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from aireport.sanitizer import render_comment_text
from reports.models import Report, Section
from reports.passages import quote_linker

from .rules import discussion_rules

#: WordPress's limits, so that what fits there fits here.
MAX_NAME_LENGTH = 245
MAX_EMAIL_LENGTH = 100
MAX_URL_LENGTH = 200
MAX_TEXT_LENGTH = 65525
MAX_USER_AGENT_LENGTH = 254

ANONYMOUS_AUTHOR = "Anonym"

#: Invisible characters that turn the direction of the text around (the "Trojan Source" set),
#: and zero-width spaces; a name never needs them. Joiners (U+200C, U+200D) stay: Persian and
#: Indic names are spelt with them.
_NAME_INVISIBLES = dict.fromkeys(
    [0x061C, 0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F), 0x2060, *range(0x2066, 0x206A), 0xFEFF]
)


def clean_name(value: str) -> str:
    """A reader's name without bidi controls or zero-width spaces, NFC-composed."""
    return unicodedata.normalize("NFC", value.translate(_NAME_INVISIBLES)).strip()


def normalise_email(value: str) -> str:
    """The form every email is matched in: casefolded and NFC, an IDN domain in Unicode.

    SQLite's case-insensitive comparison knows ASCII only, so `X@BÜCHER.DE` and `x@bücher.de`
    are matched through this stored form instead (known author, duplicates, flood, privacy).
    """
    value = unicodedata.normalize("NFC", value.strip())
    local, at, domain = value.rpartition("@")
    if at and "xn--" in domain.lower():
        with contextlib.suppress(UnicodeError):
            domain = domain.encode("ascii").decode("idna")
    return unicodedata.normalize("NFC", f"{local}{at}{domain}".casefold())


def normalise_text(value: str) -> str:
    """What counts as "the same words": NFC, without invisible format characters, one space."""
    value = unicodedata.normalize("NFC", value)
    visible = "".join(ch for ch in value if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())


def duplicate_key(*, author_email: str, text: str) -> str | None:
    """The hash the database keeps unique per report (see Comment.Meta.constraints).

    None without an email address (an erased author): there is nobody to compare with."""
    email = normalise_email(author_email)
    if not email:
        return None
    return hashlib.sha256(f"{email}\n{normalise_text(text)}".encode()).hexdigest()


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


_UNKNOWN = object()

#: What a comment keeps of the section it is about (a reply copies them from its parent).
SECTION_FIELDS = ("section_id", "section_anchor", "section_title", "section_fingerprint")

#: Fields no reader ever sees: changing them leaves the cached report page as it is.
_PRIVATE_FIELDS = frozenset(
    {"author_email", "author_email_normalised", "duplicate_key", "ip_address", "user_agent"}
)


def _mark_pages_changed(report_ids) -> None:
    """The report page is cached per state of its discussion (aireport/page_cache.py)."""
    if report_ids:
        Report.objects.filter(pk__in=set(report_ids)).mark_page_changed()


class CommentQuerySet(models.QuerySet):
    """Every change of many comments goes through update() and delete() here; both move the
    report page's version when, and only when, readers would see the change."""

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
        return self.filter(author_email_normalised=normalise_email(email))

    def is_duplicate(self, *, report, author_email, text) -> bool:
        """WordPress's rule: the same words from the same address on the same report.

        The database enforces it too (Comment.Meta.constraints); this asks before trying."""
        key = duplicate_key(author_email=author_email, text=text)
        return (
            key is not None
            and self.for_report(report)
            .filter(duplicate_key=key)
            .exclude(status=Comment.Status.TRASH)
            .exists()
        )

    def has_approved_from(self, *, author_name, author_email) -> bool:
        return (
            self.approved()
            .by_author_email(author_email)
            .filter(author_name__iexact=clean_name(author_name))
            .exists()
        )

    def update(self, **kwargs):
        """Readers see a change when an approved comment changes or a comment becomes approved."""
        seen = self.none()
        if not _PRIVATE_FIELDS.issuperset(kwargs):
            status = kwargs.get("status")
            if status == Comment.Status.APPROVED:
                seen = self.exclude(status=status) if set(kwargs) == {"status"} else self
            else:
                seen = self.approved()
                if status is not None and set(kwargs) == {"status"}:
                    seen = seen.exclude(status=status)
        with transaction.atomic(using=self.db):
            report_ids = list(seen.values_list("report_id", flat=True).distinct())
            count = super().update(**kwargs)
            _mark_pages_changed(report_ids)
        return count

    update.alters_data = True

    def delete(self):
        """Deleting an approved comment, or the parent of an approved reply, changes the page."""
        seen = Comment.objects.approved().filter(models.Q(pk__in=self) | models.Q(parent__in=self))
        with transaction.atomic(using=self.db):
            report_ids = list(seen.values_list("report_id", flat=True).distinct())
            result = super().delete()
            _mark_pages_changed(report_ids)
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
            _mark_pages_changed([c.report_id for c in objs if c.is_approved])
        return created

    bulk_create.alters_data = True

    def set_status(self, status) -> int:
        """Change the status of many comments at once (admin actions); returns how many changed.

        A comment taken out of the trash while the same words from the same address are on
        the report again stays in the trash (the database allows each only once)."""
        changing = self.exclude(status=status)
        if status != Comment.Status.TRASH:
            twin = (
                Comment.objects.filter(
                    report=models.OuterRef("report"), duplicate_key=models.OuterRef("duplicate_key")
                )
                .exclude(status=Comment.Status.TRASH)
                .exclude(pk=models.OuterRef("pk"))
            )
            changing = changing.exclude(models.Q(status=Comment.Status.TRASH) & models.Exists(twin))
        published = (
            list(changing.values_list("pk", flat=True)) if status == Comment.Status.APPROVED else []
        )
        try:
            with transaction.atomic(using=self.db):
                count = changing.update(status=status, status_changed_at=timezone.now())
        except IntegrityError:
            # Twins restored together from the trash: one by one, the first of them wins.
            count = sum(
                Comment.objects.filter(pk=pk)._update_unless_duplicate(
                    status=status, status_changed_at=timezone.now()
                )
                for pk in changing.order_by("pk").values_list("pk", flat=True)
            )
        if published:
            from .notifications import comments_published

            comments_published(published)
        return count

    def _update_unless_duplicate(self, **kwargs) -> int:
        try:
            with transaction.atomic(using=self.db):
                return self.update(**kwargs)
        except IntegrityError:
            return 0

    def trashed_before(self, cutoff):
        """Trash that has been lying there since before `cutoff` (WordPress: EMPTY_TRASH_DAYS)."""
        return self.filter(status=Comment.Status.TRASH).filter(
            models.Q(status_changed_at__lt=cutoff)
            | models.Q(status_changed_at=None, created_at__lt=cutoff)
        )

    def with_metadata_older_than(self, cutoff):
        return self.filter(created_at__lt=cutoff).exclude(ip_address=None, user_agent="")

    def erase_personal_data(self) -> int:
        """Keep what was said, forget who said it: in the comments and in the admin's log."""
        with transaction.atomic(using=self.db):
            comments = list(self.select_related("report").select_for_update(of=("self",)))
            count = Comment.objects.filter(pk__in=[c.pk for c in comments]).update(
                author_name=ANONYMOUS_AUTHOR,
                author_email="",
                author_email_normalised="",
                duplicate_key=None,
                author_url="",
                ip_address=None,
                user_agent="",
            )
            # The admin's "Neueste Aktionen" kept str(comment) from older versions, with the
            # author's name and words; a moderator's text edit keeps the text before and after
            # (comments/audit.py), which may hold what the moderator removed for privacy.
            from .audit import TEXT_PREFIX

            content_type = ContentType.objects.get_for_model(Comment)
            for comment in comments:
                entries = LogEntry.objects.filter(
                    content_type=content_type, object_id=str(comment.pk)
                )
                entries.update(object_repr=str(comment)[:200])
                entries.filter(change_message__startswith=TEXT_PREFIX).update(
                    change_message=f"{TEXT_PREFIX} (Wortlaut nach Löschung der Personendaten "
                    "entfernt)."
                )
        return count


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Ausstehend"
    APPROVED = "approved", "Freigegeben"
    SPAM = "spam", "Spam"
    TRASH = "trash", "Papierkorb"


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
        # casefold() may lengthen an address (ß → ss), never more than threefold.
        max_length=3 * MAX_EMAIL_LENGTH,
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
        """No personal data: the admin's log and backups keep this text."""
        number = f"#{self.pk}" if self.pk else "(neu)"
        return f"Kommentar {number} zu „{self.report}“" if self.report_id else f"Kommentar {number}"

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
            # A pending or spam comment changes nothing readers see; the cached page stays.
            was_approved = (
                not self._state.adding
                and type(self).objects.filter(pk=self.pk, status=self.Status.APPROVED).exists()
            )
            super().save(*args, **kwargs)
            if was_approved or self.is_approved:
                _mark_pages_changed([self.report_id])
            if section_moved:
                self.replies_follow_section()
        self._stored_section_id = self.section_id
        if self.is_approved and not was_approved:
            from .notifications import comment_published

            comment_published(self)

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

    def erase_personal_data(self):
        """Keep what was said, forget who said it."""
        type(self).objects.filter(pk=self.pk).erase_personal_data()
        self.refresh_from_db()

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
    reporter_email_normalised = models.CharField(
        max_length=MAX_EMAIL_LENGTH, blank=True, editable=False, db_index=True
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
    comments_per_page = models.PositiveSmallIntegerField(
        "Kommentare pro Seite",
        default=50,
        help_text="Oberste Kommentare je Seite, jeweils mit allen Antworten; 0 = alle auf einer "
        "Seite.",
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
        Report.objects.all().mark_page_changed()

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
            comments_per_page=settings.COMMENTS_PER_PAGE,
        )


class ModerationLogEntry(LogEntry):
    """The admin's log, seen as the "Moderationsprotokoll" (comments/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = "Moderationsprotokoll-Eintrag"
        verbose_name_plural = "Moderationsprotokoll"
        ordering = ("-action_time",)


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
    email_normalised = models.CharField(max_length=MAX_EMAIL_LENGTH, editable=False, default="")
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

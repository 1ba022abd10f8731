import hashlib
import json
import logging
import math
from datetime import UTC

import reversion
from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import slugify

from .rendering import count_words, html_to_text, normalise_markdown, render_markdown

logger = logging.getLogger(__name__)

#: Reading speed for the computed reading time, in words per minute.
WORDS_PER_MINUTE = 200
#: What a report's shared pages also depend on beyond its own columns, added by other apps
#: (the comments app: whether the discussion closed by age): callables taking the report's
#: publication date (or its creation date without one) and returning a short string.
PAGE_VERSION_PARTS = []

#: Every section's element id starts with this, so that no id another part of the page uses
#: (the discussion's "kommentare", "c123" …) can ever be a section's: the reports app owns the
#: ids that start with "s-", as Django's own documentation gives its headings "s-" ids.
SECTION_ID_PREFIX = "s-"


class ReportQuerySet(models.QuerySet):
    def published(self):
        """Reports readers can see. A scheduled report is not among them until the task queue
        has published it (reports.workflow.publish_due): nothing goes live on a request."""
        return self.filter(status=Report.Status.PUBLISHED)

    def page_version(self, slug: str, **view_kwargs) -> str | None:
        """What the cached article page depends on, or None when it is not published. The
        report's other shared pages (discussion pages, a section's discussion, the changelog)
        change with it, so they pass their further view arguments (`view_kwargs`) too.

        Saving a draft writes no row of the report, so readers keep their cached page; only
        publishing (reports.workflow) changes these columns. The article page asks this on
        every request, so it is one small query without the ORM's compile step."""
        table = Report._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status, content_fingerprint, content_changed_at, "  # noqa: S608
                f"discussion_changed_at, comments_open, description, published_on, created_at "
                f"FROM {table} WHERE slug = %s",
                [slug],
            )
            row = cursor.fetchone()
        if row is None or row[0] != Report.Status.PUBLISHED:
            return None
        # The publication date, or the (UTC) day of creation without one: Report.start_date.
        start = parse_date(str(row[-2] or row[-1])[:10])
        parts = [*row[:-2], *(part(start) for part in PAGE_VERSION_PARTS)]
        return "|".join(str(value) for value in parts)

    def feed_version(self) -> str:
        """What /feed/ and the sitemap depend on: the published reports and their last change."""
        summary = self.published().aggregate(
            count=models.Count("pk"), last=models.Max("updated_at")
        )
        return f"{summary['count']}|{summary['last']}"

    def mark_page_changed(self):
        """Something another app shows on the report page changed (the discussion): the
        cached page gets a new version."""
        return self.update(discussion_changed_at=timezone.now())


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    PUBLISHED = "published", "Veröffentlicht"


#: Fields that say where a report stands, not what it says: a restored version never
#: takes their old values (a restore is a new change, stamped when it happens).
BOOKKEEPING_FIELDS = (
    "status",
    "content_fingerprint",
    "content_changed_at",
    "discussion_changed_at",
    "live_revision",
)


@reversion.register(follow=("sections",), exclude=BOOKKEEPING_FIELDS)
class Report(models.Model):
    Status = ReportStatus

    title = models.CharField("Titel", max_length=200)
    slug = models.SlugField(
        "Kurzname in der URL",
        max_length=200,
        unique=True,
        help_text="Teil der Adresse des Berichts. Nach der Veröffentlichung nicht mehr ändern.",
    )
    status = models.CharField("Status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    reviewed_on = models.DateField("Geprüft am", null=True, blank=True)
    published_on = models.DateField(
        "Veröffentlicht am",
        null=True,
        blank=True,
        help_text="Angezeigt wird nur Monat und Jahr, z. B. „December 2026“.",
    )
    reading_time_minutes = models.PositiveSmallIntegerField(
        "Lesezeit (Minuten)",
        null=True,
        blank=True,
        help_text=f"Leer lassen, um sie aus der Wortzahl zu berechnen ({WORDS_PER_MINUTE} Wörter "
        "pro Minute).",
    )
    description = models.CharField(
        "Meta-Beschreibung",
        max_length=300,
        blank=True,
        help_text="Für Suchmaschinen; leer lassen, um den Anfang des Vorspanns zu nehmen.",
    )
    lead = models.TextField("Vorspann (Markdown)", blank=True)
    lead_html = models.TextField(editable=False, blank=True)
    closing_note = models.TextField("Schlussnotiz (Markdown)", blank=True)
    closing_note_html = models.TextField(editable=False, blank=True)
    comments_open = models.BooleanField("Kommentare offen", default=True)

    word_count = models.PositiveIntegerField("Wortzahl", editable=False, default=0)
    content_fingerprint = models.CharField(editable=False, max_length=64, blank=True)
    content_changed_at = models.DateTimeField(
        "Inhalt zuletzt geändert", editable=False, default=timezone.now
    )
    discussion_changed_at = models.DateTimeField(
        "Diskussion zuletzt geändert", editable=False, default=timezone.now
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What readers see is in these rows; an editor's working copy is a stored revision
    # (Draft), and a planned publication another (Schedule): see reports/workflow.py.
    live_revision = models.ForeignKey(
        "reversion.Revision",
        verbose_name="Veröffentlichte Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "Bericht"
        verbose_name_plural = "Berichte"
        ordering = ("-published_on", "-created_at")
        permissions = [("publish_report", "Berichte veröffentlichen")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values), name="report_status_valid"
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)
        self._draw_card()

    def get_absolute_url(self):
        return reverse("reports:detail", kwargs={"slug": self.slug})

    def render(self):
        """Normalise the Markdown and render its HTML: on save, and for a draft that is only
        held in memory (reports.drafts)."""
        self.lead = normalise_markdown(self.lead)
        self.closing_note = normalise_markdown(self.closing_note)
        self.lead_html = render_markdown(self.lead, footnote_prefix="vorspann")
        self.closing_note_html = render_markdown(self.closing_note, footnote_prefix="schluss")

    @property
    def start_date(self):
        """The day the report's age counts from: its publication date, or the day it was
        created without one (comments close N days after it)."""
        return self.published_on or self.created_at.astimezone(UTC).date()

    def _draw_card(self):
        """The preview card for shared links (reports/cards.py). A card that cannot be drawn
        now never stops an editor's save: the card's URL draws it when it is first asked for."""
        from .cards import ensure_card

        try:
            ensure_card(self)
        except OSError:
            logger.exception("Could not draw the preview card of report %s", self.pk)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def reading_time(self) -> int:
        if self.reading_time_minutes:
            return self.reading_time_minutes
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def meta_description(self) -> str:
        if self.description:
            return self.description
        text = html_to_text(self.lead_html)
        return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + " …"

    @property
    def updated_after_publication(self) -> bool:
        return bool(
            self.published_on and timezone.localdate(self.content_changed_at) > self.published_on
        )

    def section_tree(self) -> list[tuple["Section", list["Section"]]]:
        """Sections with their subsections under them, for the article and its contents."""
        tree: list[tuple[Section, list[Section]]] = []
        for section in self.sections.all():
            if section.level == Section.Level.SUBSECTION and tree:
                tree[-1][1].append(section)
            else:
                tree.append((section, []))
        return tree

    def content_outline(self, sections=None) -> dict:
        return content_outline(self, self.sections.all() if sections is None else sections)

    def record_content_change(self, *, stamp: bool = True, at=None) -> bool:
        """Refresh what derives from the sections; returns whether the content changed.

        Called after the report and its sections are saved together (admin, import, publishing),
        so the "Updated" date moves only when the content really changed, and not for a small
        correction (`stamp=False`).
        """
        sections = list(self.sections.all())
        fingerprint = content_fingerprint(self.content_outline(sections))
        changed = fingerprint != self.content_fingerprint
        self.word_count = count_words(self.lead_html, *(s.body_html for s in sections)) + sum(
            len(s.title.split()) for s in sections
        )
        update_fields = ["word_count"]
        if changed:
            self.content_fingerprint = fingerprint
            update_fields.append("content_fingerprint")
            if stamp:
                self.content_changed_at = at or timezone.now()
                update_fields.append("content_changed_at")
        self.save(update_fields=update_fields)
        return changed


def content_outline(report, sections) -> dict:
    """The reader-visible content as plain data: what fingerprints and diffs compare.

    Takes a stored Report or a parsed seed alike (anything with these attributes)."""
    return {
        "title": report.title,
        "reviewed_on": report.reviewed_on.isoformat() if report.reviewed_on else None,
        "published_on": report.published_on.isoformat() if report.published_on else None,
        "reading_time_minutes": report.reading_time_minutes,
        "lead": report.lead,
        "closing_note": report.closing_note,
        "sections": [
            {"level": s.level, "title": s.title, "anchor": s.anchor, "body": s.body}
            for s in sections
        ],
    }


def content_fingerprint(outline: dict) -> str:
    return hashlib.sha256(json.dumps(outline, sort_keys=True).encode()).hexdigest()


def section_fingerprint(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()[:32]


class SectionLevel(models.IntegerChoices):
    SECTION = 2, "Abschnitt"
    SUBSECTION = 3, "Unterabschnitt"


@reversion.register()
class Section(models.Model):
    Level = SectionLevel

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField("Reihenfolge", default=0)
    level = models.PositiveSmallIntegerField("Ebene", choices=Level.choices, default=Level.SECTION)
    title = models.CharField("Überschrift", max_length=200)
    anchor = models.SlugField(
        "Anker",
        max_length=100,
        blank=True,
        help_text="Wird beim ersten Speichern aus der Überschrift gebildet und bleibt dann "
        "stehen, damit geteilte Links weiter funktionieren. Auf der Seite steht davor „s-“.",
    )
    legacy_anchor = models.SlugField(
        "Früherer Anker",
        max_length=100,
        blank=True,
        db_index=False,
        editable=False,
        help_text="Der Anker ohne „s-“, den der Abschnitt vor Dezember 2026 hatte; bleibt als "
        "zweites Ziel stehen, damit damals geteilte Links weiter funktionieren.",
    )
    body = models.TextField("Text (Markdown)", blank=True)
    body_html = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = "Abschnitt"
        verbose_name_plural = "Abschnitte"
        ordering = ("order", "id")
        indexes = [models.Index(fields=("report", "order"), name="section_report_order")]
        constraints = [
            models.UniqueConstraint(fields=("report", "anchor"), name="unique_anchor_per_report"),
            models.CheckConstraint(
                condition=models.Q(level__in=SectionLevel.values), name="section_level_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = self._free_anchor(slugify(self.title) or "abschnitt")
        self.render()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.report.get_absolute_url()}#{self.html_id}"

    def render(self):
        self.body = normalise_markdown(self.body)
        self.body_html = render_markdown(self.body, footnote_prefix=self.anchor)

    @property
    def html_id(self) -> str:
        return f"{SECTION_ID_PREFIX}{self.anchor}"

    @property
    def text_fingerprint(self) -> str:
        """What a reader of the section read (heading and text), as a short hash: a comment
        keeps it to know later whether the section has changed since."""
        return section_fingerprint(self.title, self.body)

    def _free_anchor(self, base: str) -> str:
        base = base[:90]
        taken = set(
            Section.objects.filter(report_id=self.report_id)
            .exclude(pk=self.pk)
            .values_list("anchor", flat=True)
        )
        anchor, number = base, 2
        while anchor in taken:
            anchor, number = f"{base}-{number}", number + 1
        return anchor


class PublicationQuerySet(models.QuerySet):
    def in_changelog(self):
        """What the public changelog lists: changes readers saw, but small corrections."""
        return self.filter(minor=False, initial=False)

    def seen_by_readers(self):
        """Versions readers had: every publication whose moment has come, small corrections
        and the first version included. Each has its permanent page ("Fassung vom …")."""
        return self.filter(published_at__lte=timezone.now())


class Publication(models.Model):
    """One moment a version of a report went live, with the editor's note. Written by the
    publish step only, at the moment readers get the version: a schedule that never went
    live never has one.

    It keeps the published content outline itself, so the public changelog can show what
    changed without reading the revision store."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="publications", verbose_name="Bericht"
    )
    revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Revision",
    )
    published_at = models.DateTimeField("Veröffentlicht am", db_index=True)
    note = models.CharField("Änderungsnotiz", max_length=500, blank=True)
    minor = models.BooleanField(
        "Kleine Korrektur",
        default=False,
        help_text="Tippfehler, Linkkorrektur: ändert das „Updated“-Datum nicht und erscheint "
        "nicht in den öffentlichen Änderungen.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Von",
    )
    initial = models.BooleanField(
        "Erste Fassung",
        default=False,
        help_text="Die erste veröffentlichte Fassung; sie ist keine Änderung.",
    )
    content = models.JSONField("Inhalt", default=dict)
    sections_touched = models.JSONField("Geänderte Abschnitte", default=list)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "Veröffentlichung"
        verbose_name_plural = "Veröffentlichungen"
        ordering = ("-published_at", "-id")
        get_latest_by = "published_at"

    def __str__(self):
        return f"{self.report} – {timezone.localtime(self.published_at):%d.%m.%Y %H:%M}"

    def get_absolute_url(self):
        return reverse(
            "reports:change", kwargs={"slug": self.report.slug, "publication_id": self.pk}
        )

    def get_version_url(self):
        """The version's permanent, read-only page."""
        return reverse(
            "reports:version", kwargs={"slug": self.report.slug, "publication_id": self.pk}
        )

    def previous(self) -> "Publication | None":
        return (
            Publication.objects.filter(report_id=self.report_id)
            .filter(
                Q(published_at__lt=self.published_at)
                | Q(published_at=self.published_at, id__lt=self.id)
            )
            .first()
        )


class Draft(models.Model):
    """The editor's working copy of a report: a stored revision, never a write to the rows
    readers see. At most one per report; saving again points it at the newer revision."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="draft", verbose_name="Bericht"
    )
    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.CASCADE, related_name="+", verbose_name="Revision"
    )
    since = models.DateTimeField("Unveröffentlichte Änderungen seit", default=timezone.now)
    note = models.CharField("Änderungsnotiz", max_length=500, blank=True)
    minor = models.BooleanField("Kleine Korrektur", default=False)

    class Meta:
        verbose_name = "Entwurf"
        verbose_name_plural = "Entwürfe"

    def __str__(self):
        return f"Entwurf von {self.report}"


class Schedule(models.Model):
    """A revision that goes live at a moment: exactly this revision, the one the person
    with "Berichte veröffentlichen" reviewed, published by the task queue when it is due."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="schedule", verbose_name="Bericht"
    )
    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.CASCADE, related_name="+", verbose_name="Revision"
    )
    go_live_at = models.DateTimeField("Veröffentlichen am", db_index=True)
    note = models.CharField("Änderungsnotiz", max_length=500, blank=True)
    minor = models.BooleanField("Kleine Korrektur", default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Geplant von",
    )

    class Meta:
        verbose_name = "Geplante Veröffentlichung"
        verbose_name_plural = "Geplante Veröffentlichungen"
        ordering = ("go_live_at", "id")

    def __str__(self):
        return f"{self.report} – {timezone.localtime(self.go_live_at):%d.%m.%Y %H:%M}"

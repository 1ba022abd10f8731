from django.db import models
from django.urls import reverse

from reports.rendering import render_markdown

#: What the operator must still replace; `manage.py check --deploy` warns while it is there.
PLACEHOLDER = "[bitte ausfüllen]"


class LegalPageQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(body__contains=PLACEHOLDER)

    def page_version(self, slug: str) -> str | None:
        """What the cached page depends on (aireport.page_cache)."""
        updated = self.filter(slug=slug).values_list("updated_at", flat=True).first()
        return None if updated is None else str(updated)


class LegalPage(models.Model):
    """Impressum, Datenschutzerklärung and the Diskussionsregeln (the terms the DSA, Art. 14, asks
    for): created by migrations, edited in the admin."""

    class Slug(models.TextChoices):
        IMPRESSUM = "impressum", "Impressum"
        DATENSCHUTZ = "datenschutz", "Datenschutz"
        DISKUSSIONSREGELN = "diskussionsregeln", "Diskussionsregeln"

    slug = models.SlugField("Kurzname", max_length=20, unique=True, choices=Slug.choices)
    title = models.CharField("Titel", max_length=100)
    body = models.TextField(
        "Text (Markdown)",
        help_text=f"Ersetzen Sie jede Stelle „{PLACEHOLDER}“ durch die echten Angaben; "
        "vorher lässt sich die Seite nicht speichern.",
    )
    body_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField("Zuletzt geändert", auto_now=True)

    objects = LegalPageQuerySet.as_manager()

    class Meta:
        verbose_name = "Rechtliche Seite"
        verbose_name_plural = "Rechtliche Seiten"
        ordering = ("slug",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slug__in=["impressum", "datenschutz", "diskussionsregeln"]),
                name="legal_page_slug_known",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(f"legal:{self.slug}")

    @property
    def is_unfinished(self) -> bool:
        return PLACEHOLDER in self.body

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Report


class ReportSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return Report.objects.published().only("slug", "content_changed_at", "updated_at")

    def lastmod(self, report):
        return report.content_changed_at


class ReportChangelogSitemap(Sitemap):
    """Each published report's public list of changes."""

    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return Report.objects.published().only("slug", "content_changed_at")

    def location(self, report):
        return reverse("reports:changes", kwargs={"slug": report.slug})

    def lastmod(self, report):
        return report.content_changed_at

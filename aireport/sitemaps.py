"""/sitemap.xml: the published reports, their changelogs and the legal pages.

URLs are built from SITE_URL, the site's public address, not from the request's host."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps.views import sitemap

from aireport.page_cache import shared_page
from legal.models import LegalPage
from legal.sitemaps import LegalPageSitemap
from reports.models import Report
from reports.sitemaps import ReportChangelogSitemap, ReportSitemap


class AtSiteUrl:
    """Mixin: the public scheme and host from SITE_URL."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"


class PublicReportSitemap(AtSiteUrl, ReportSitemap):
    pass


class PublicChangelogSitemap(AtSiteUrl, ReportChangelogSitemap):
    pass


class PublicLegalPageSitemap(AtSiteUrl, LegalPageSitemap):
    pass


SITEMAPS = {
    "reports": PublicReportSitemap,
    "changelogs": PublicChangelogSitemap,
    "legal": PublicLegalPageSitemap,
}


def sitemap_version() -> str:
    legal = LegalPage.objects.order_by("-updated_at").values_list("updated_at", flat=True)
    return f"{Report.objects.feed_version()}|{legal.first()}"


@shared_page(version=sitemap_version)
def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)

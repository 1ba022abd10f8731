"""/sitemap.xml lists what search engines may find; /robots.txt names it, never the admin."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.factories import ReportFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_pages")]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }


def test_the_sitemap_lists_published_reports_with_lastmod_and_the_legal_pages(client, settings):
    settings.SITE_URL = "https://www.example.org"
    report = ReportFactory(slug="alignment")
    ReportFactory(slug="entwurf", status="draft")

    entries = sitemap_entries(client)

    assert entries["https://www.example.org/berichte/alignment/"] == (
        timezone.localdate(report.content_changed_at).isoformat()
    )
    assert "https://www.example.org/impressum/" in entries
    assert "https://www.example.org/datenschutz/" in entries
    assert "https://www.example.org/diskussionsregeln/" in entries
    assert not any("entwurf" in url for url in entries)
    assert "https://www.example.org/berichte/alignment/aenderungen/" in entries
    assert len(entries) == 5


def test_robots_txt_allows_everything_and_names_the_sitemap_but_not_the_admin(client, settings):
    settings.SITE_URL = "https://www.example.org"
    settings.ADMIN_URL = "geheime-verwaltung/"

    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *\nAllow: /\n" in text
    assert "Sitemap: https://www.example.org/sitemap.xml" in text
    assert "geheime-verwaltung" not in text
    assert "admin" not in text.lower()
    assert "Disallow" not in text

"""Every version readers had keeps a permanent, read-only page ("Fassung vom …")."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from reports.models import Publication
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(seeded_report):
    now = timezone.now()
    outline = seeded_report.content_outline()
    old_sections = [
        {**s, "body": "An **older** text of Agent Safety."} if s["anchor"] == "agent-safety" else s
        for s in outline["sections"]
    ]
    first = Publication.objects.create(
        report=seeded_report,
        published_at=datetime.datetime(2026, 12, 4, 9, 30, tzinfo=datetime.UTC),
        initial=True,
        content={**outline, "sections": old_sections},
    )
    minor = Publication.objects.create(
        report=seeded_report,
        published_at=now - datetime.timedelta(hours=2),
        minor=True,
        content=outline,
    )
    scheduled = Publication.objects.create(
        report=seeded_report,
        published_at=now + datetime.timedelta(days=1),
        content=outline,
    )
    return seeded_report, first, minor, scheduled


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content.decode(), "html.parser")


def test_an_earlier_version_shows_its_own_text_rendered_and_is_not_indexed(client, versions):
    report, first, _, _ = versions
    _, html = page(client, first.get_version_url())

    assert html.title.get_text().startswith(f"{report.title} – Fassung vom 4. Dezember 2026")
    section = html.select_one("#s-agent-safety").parent
    assert "An older text of Agent Safety." in section.get_text(" ", strip=True)
    assert section.select_one("strong").get_text() == "older"  # the site's Markdown renderer
    assert html.select_one("meta[name=robots]")["content"] == "noindex"
    note = html.select_one(".version-note")
    assert "frühere Fassung vom 4. Dezember 2026" in note.get_text()
    assert note.select_one("a")["href"] == report.get_absolute_url()
    assert html.select("form, .discussion") == []  # read-only


def test_the_current_version_is_indexed_and_says_it_is_current(client, versions):
    _, _, minor, _ = versions
    _, html = page(client, minor.get_version_url())
    assert html.select_one("meta[name=robots]") is None
    assert "aktuelle Fassung" in html.select_one(".version-note").get_text()


def test_a_version_page_is_shared_by_every_reader(client, versions):
    _, first, _, _ = versions
    response, _ = page(client, first.get_version_url())
    assert "public" in response["Cache-Control"]
    assert "Set-Cookie" not in response


def test_unknown_foreign_and_future_versions_are_not_found(client, versions):
    report, first, _, scheduled = versions
    other = ReportFactory()
    assert client.get(f"/berichte/{report.slug}/fassungen/999999/").status_code == 404
    assert client.get(f"/berichte/{other.slug}/fassungen/{first.pk}/").status_code == 404
    assert client.get(scheduled.get_version_url()).status_code == 404


def test_the_changelog_links_each_entry_to_its_version(client, versions):
    report, first, _, _ = versions
    change = Publication.objects.create(
        report=report,
        published_at=timezone.now() - datetime.timedelta(hours=1),
        note="Agent Safety überarbeitet.",
        content=report.content_outline(),
    )
    _, html = page(client, f"/berichte/{report.slug}/aenderungen/")
    assert html.select_one(f"a[href='{change.get_version_url()}']")
    _, entry = page(client, change.get_absolute_url())
    assert entry.select_one(f"a[href='{change.get_version_url()}']")
    assert entry.select_one(f"a[href='{change.previous().get_version_url()}']")

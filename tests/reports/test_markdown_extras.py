"""Markdown footnotes and tables reach the page, sanitised; editors can preview one section."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ReportFactory, SectionFactory, UserFactory

from .pages import parse

pytestmark = pytest.mark.django_db


def test_footnotes_are_rendered_with_ids_unique_on_the_page(client):
    report = ReportFactory()
    for title in ("First", "Second"):
        SectionFactory(report=report, title=title, body="A claim.[^1]\n\n[^1]: The source.")
    report.record_content_change()
    page = parse(client.get(report.get_absolute_url()))
    refs = page.select("article sup a")
    assert [a["href"] for a in refs] == ["#fn-first-1", "#fn-second-1"]
    notes = page.select("article div.footnote li")
    assert [li["id"] for li in notes] == ["fn-first-1", "fn-second-1"]
    assert "[^1]" not in page.select_one("article").get_text()
    backlink = notes[0].select_one("a")
    assert backlink["href"] == "#fnref-first-1"
    assert backlink["title"] == "Zurück zur Fußnote 1 im Text"


def test_tables_are_rendered(client):
    report = ReportFactory()
    SectionFactory(report=report, body="| Year | Cases |\n|---|---|\n| 2026 | 3 |")
    report.record_content_change()
    table = parse(client.get(report.get_absolute_url())).select_one("article table")
    assert [th.get_text() for th in table.select("thead th")] == ["Year", "Cases"]


def test_footnotes_cannot_smuggle_markup(client):
    report = ReportFactory()
    SectionFactory(
        report=report,
        body='Text.[^x]\n\n[^x]: <span onclick="alert(1)" style="color:red">note</span>',
    )
    report.record_content_change()
    article = str(parse(client.get(report.get_absolute_url())).select_one("article"))
    assert "onclick" not in article
    assert "style=" not in article


def test_section_preview_renders_like_the_site_for_staff_only(editor_client):
    url = reverse("admin:reports_report_section_preview")
    response = editor_client.post(url, {"body": "**Bold**[^1]\n\n[^1]: Note. <script>x</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html
    assert 'class="footnote"' in html
    assert Client().post(url, {"body": "x"}).status_code == 302
    other = Client()
    other.force_login(UserFactory(is_staff=True))
    assert other.post(url, {"body": "x"}).status_code == 403

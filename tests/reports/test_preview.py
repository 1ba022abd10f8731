"""Drafts: invisible to readers, previewable by the editorial staff, never cached."""

import pytest
from django.utils.cache import get_max_age

from reports.models import Report
from tests.factories import ReportFactory, SectionFactory, UserFactory

from .pages import parse, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    report = ReportFactory(title="Draft report", status=Report.Status.DRAFT)
    SectionFactory(report=report, title="Unfinished")
    report.record_content_change()
    return report


def test_anonymous_readers_get_not_found(client, draft):
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Draft report" not in response.content.decode()


def test_signed_in_readers_without_permission_get_not_found(client, draft):
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_editor_sees_a_preview_marked_as_such(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    page = parse(response)
    assert text_of(page.h1) == "Draft report"
    banner = page.select_one(".preview-banner")
    assert banner is not None
    assert "Vorschau" in text_of(banner)
    assert page.select_one("meta[name=robots]")["content"] == "noindex"


def test_preview_is_never_cached(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control
    assert get_max_age(response) == 0


def test_preview_does_not_leak_to_readers_afterwards(client, editor, draft):
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_report_has_no_preview_banner(editor_client):
    report = ReportFactory()
    report.record_content_change()
    page = parse(editor_client.get(report.get_absolute_url()))
    assert page.select_one(".preview-banner") is None
    assert "Vorschau" not in text_of(page.main)


def test_publishing_makes_the_report_visible(client, draft):
    draft.status = Report.Status.PUBLISHED
    draft.save()
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert parse(response).select_one(".preview-banner") is None

"""The pages are valid HTML (and the stylesheet valid CSS), as the Nu HTML Checker sees them.

The checker (`html_errors`, in tests/conftest.py) is vnu.jar from npm's `vnu-jar` package.
Every shipped stylesheet is checked in tests/aireport/test_stylesheets_valid.py.
"""

import pytest
from django.core.cache import cache

from reports.models import Report
from tests.factories import ReportFactory, SectionFactory

pytestmark = pytest.mark.django_db


def page_html(client, url: str, status: int = 200) -> str:
    cache.clear()
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_the_checker_reports_invalid_html(html_errors):
    errors = html_errors('<!doctype html><html lang="en"><title>x</title><p><li>stray</p>')
    assert errors


def test_article_page(client, seeded_report, html_errors):
    assert html_errors(page_html(client, seeded_report.get_absolute_url())) == []


def test_article_preview(client, editor, html_errors):
    draft = ReportFactory(status=Report.Status.DRAFT, lead="Lead with *Markdown*.")
    SectionFactory(report=draft, title="Only section", body="1. one\n2. two")
    draft.record_content_change()
    client.force_login(editor)
    assert html_errors(page_html(client, draft.get_absolute_url())) == []


def test_report_list(client, seeded_report, html_errors):
    ReportFactory(title="Another report")
    assert html_errors(page_html(client, "/")) == []


def test_not_found_page(client, db, html_errors):
    assert html_errors(page_html(client, "/berichte/missing/", status=404)) == []


def test_changelog_and_one_change(client, seeded_report, html_errors):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from tests.factories import UserFactory

    from .test_admin_editing import change_url, form_index, read_change_form, submit

    chief = UserFactory(is_staff=True)
    chief.groups.add(Group.objects.get(name="Chefredaktion"))
    client.force_login(chief)
    url = change_url(seeded_report)
    data = read_change_form(client, url)
    data[f"sections-{form_index(data, 'Conclusion')}-body"] = (
        "A *new* conclusion[^1].\n\n[^1]: A note."
    )
    data[f"sections-{form_index(data, 'Conclusion')}-order"] = "1"
    submit(client, url, data, publish=True, note="Conclusion rewritten and moved first.")
    client.logout()
    changes = reverse("reports:changes", args=[seeded_report.slug])
    assert html_errors(page_html(client, changes)) == []
    entry = seeded_report.publications.in_changelog().get()
    assert html_errors(page_html(client, entry.get_absolute_url())) == []
    assert html_errors(page_html(client, seeded_report.get_absolute_url())) == []


def test_discussion_page_with_navigation(client, seeded_report, html_errors, settings):
    from tests.comments.conftest import CommentFactory

    settings.COMMENTS_PER_PAGE = 1
    for number in range(4):
        parent = CommentFactory(report=seeded_report, text=f"Kommentar {number}")
        CommentFactory(report=seeded_report, parent=parent, text=f"Antwort {number}")
    url = f"{seeded_report.get_absolute_url()}kommentare/seite-2/"
    assert html_errors(page_html(client, url)) == []
    assert html_errors(page_html(client, seeded_report.get_absolute_url())) == []


def test_folded_threads_and_a_threads_own_page(client, seeded_report, html_errors, settings):
    from tests.comments.conftest import CommentFactory

    settings.COMMENTS_FOLD_ABOVE = 2
    first = CommentFactory(report=seeded_report, text="Der Anfang")
    reply = CommentFactory(report=seeded_report, parent=first, text="Eine Antwort")
    CommentFactory(report=seeded_report, parent=reply, text="Noch eine")
    article = page_html(client, seeded_report.get_absolute_url())
    assert "2 Antworten anzeigen" in article
    assert html_errors(article) == []
    thread = f"{seeded_report.get_absolute_url()}kommentare/antworten/{first.pk}/"
    assert html_errors(page_html(client, thread)) == []


def test_discussion_by_section(client, seeded_report, html_errors):
    """Headings with "Diskutieren", badges in the contents, "zu: …" labels (of a deleted
    section too), the form set to a section, and one section's own discussion."""
    from django.urls import reverse

    from tests.comments.conftest import CommentFactory

    for anchor in ("agent-safety", "agent-safety", "conclusion", "successes"):
        comment = CommentFactory.build(report=seeded_report)
        comment.set_section(seeded_report.sections.get(anchor=anchor))
        comment.save()
        CommentFactory(report=seeded_report, parent=comment)
    seeded_report.sections.get(anchor="successes").delete()
    article = seeded_report.get_absolute_url()
    page = page_html(client, article)
    assert 'class="toc-count"' in page and "zu einem entfernten Abschnitt" in page
    assert html_errors(page) == []
    assert html_errors(page_html(client, f"{article}?abschnitt=agent-safety")) == []
    for anchor in ("agent-safety", "successes"):
        url = reverse("comments:section", args=[seeded_report.slug, anchor])
        assert html_errors(page_html(client, url)) == []


def test_citation_version_and_print_pages(client, seeded_report, html_errors):
    """Issue 22's pages: the citation pages, a version's page and the print view."""
    import datetime

    from django.utils import timezone

    from reports.models import Publication

    earlier = Publication.objects.create(
        report=seeded_report,
        published_at=timezone.now() - datetime.timedelta(days=2),
        initial=True,
        content=seeded_report.content_outline(),
    )
    version = Publication.objects.create(
        report=seeded_report, published_at=timezone.now(), content=seeded_report.content_outline()
    )
    slug = seeded_report.slug
    for url in (
        f"/berichte/{slug}/zitieren/",
        f"/berichte/{slug}/zitieren/agent-safety/",
        version.get_version_url(),
        earlier.get_version_url(),
        # A version's own citation pages, the earlier one's with its note.
        version.get_version_url() + "zitieren/",
        earlier.get_version_url() + "zitieren/",
        earlier.get_version_url() + "zitieren/agent-safety/",
        seeded_report.get_absolute_url() + "?drucken=kommentare",
    ):
        assert html_errors(page_html(client, url)) == [], url

"""A comment about a section knows which version of it it answered (issue 11).

When an editor publishes a change of that section, the comment says "Zur Fassung vom …; der
Abschnitt wurde seitdem geändert" and links to that change in the public changelog. A change of
another section, a small correction, or a moved section does not mark it; neither is a comment
on the whole report ever marked. Editing goes through the real admin form and publish(), as
tests/reports/test_publishing.py does it; the clock is patched, never slept on.
"""

import datetime

import pytest
from django.db import connection
from django.template.defaultfilters import date
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.rules import discussion_rules
from reports.models import Publication
from tests.comments.conftest import CommentFactory

from .pages import parse, text_of
from .test_admin_editing import change_url, form_index, read_change_form, submit
from .test_publishing import clock, soon

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """The editor stays signed in while the clock moves forward by days."""
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 60


def comment_about(report, anchor, **fields):
    comment = CommentFactory.build(report=report, **fields)
    comment.set_section(report.sections.get(anchor=anchor) if anchor else None)
    comment.save()
    return comment


def publish_section(client, report, title, body, *, note="A change.", **extra):
    url = change_url(report)
    data = read_change_form(client, url)
    data[f"sections-{form_index(data, title)}-body"] = body
    data.update(extra)
    submit(client, url, data, publish=True, note=note)


def mark_of(report, comment):
    page = parse(Client().get(report.get_absolute_url()))
    return page.select_one(f"#c{comment.pk} .comment-section-changed")


def test_a_change_of_the_section_marks_its_comments(chief_client, seeded_report):
    written = timezone.now()
    comment = comment_about(seeded_report, "agent-safety", text="Zu kurz.")
    reply = CommentFactory(report=seeded_report, parent=comment)
    whole = comment_about(seeded_report, None)
    elsewhere = comment_about(seeded_report, "conclusion")
    assert mark_of(seeded_report, comment) is None

    with clock(soon(days=2)):
        publish_section(chief_client, seeded_report, "Agent Safety", "Rewritten.", note="Neu.")
        change = Publication.objects.in_changelog().get()
        for marked in (comment, reply):
            mark = mark_of(seeded_report, marked)
            # The version readers had when the comment was written (the seed's first
            # publication carries its content date, which may lie after now: then the
            # comment's own date).
            before = Publication.objects.filter(published_at__lte=written).first()
            since = timezone.localtime(before.published_at if before else marked.created_at)
            assert text_of(mark) == (
                f"(Zur Fassung vom {date(since, 'j. F Y')}; der Abschnitt wurde seitdem geändert)"
            )
            assert mark.select_one("a")["href"] == reverse(
                "reports:change", args=[seeded_report.slug, change.pk]
            )
            assert Client().get(mark.select_one("a")["href"]).status_code == 200
        assert mark_of(seeded_report, whole) is None
        assert mark_of(seeded_report, elsewhere) is None


def test_a_change_of_another_section_or_a_small_correction_does_not(chief_client, seeded_report):
    comment = comment_about(seeded_report, "agent-safety")
    moment = soon(days=2)
    with clock(moment):
        publish_section(chief_client, seeded_report, "Conclusion", "Another ending.")
        assert Publication.objects.in_changelog().count() == 1
        assert mark_of(seeded_report, comment) is None
    later = moment + datetime.timedelta(days=1)
    with clock(later):
        publish_section(
            chief_client,
            seeded_report,
            "Agent Safety",
            seeded_report.sections.get(anchor="agent-safety").body + " Typo fixed.",
            note="Typo.",
            minor_change="on",
        )
        assert seeded_report.sections.get(anchor="agent-safety").body.endswith("Typo fixed.")
        assert mark_of(seeded_report, comment) is None
    # The same edit as a real change does mark it: the test above could fail.
    with clock(later + datetime.timedelta(days=1)):
        publish_section(chief_client, seeded_report, "Agent Safety", "Now really changed.")
        assert mark_of(seeded_report, comment) is not None


def test_a_comment_written_after_the_change_is_not_marked(chief_client, seeded_report):
    moment = soon(days=2)
    with clock(moment):
        publish_section(chief_client, seeded_report, "Agent Safety", "Rewritten.")
    with clock(moment + datetime.timedelta(hours=1)):
        comment = comment_about(seeded_report, "agent-safety")
        assert mark_of(seeded_report, comment) is None


def test_the_marks_cost_one_query_however_many_comments(chief_client, seeded_report):
    """The version marks read the publications once per page, never once per comment."""

    def queries():
        from django.core.cache import cache

        cache.clear()
        discussion_rules()
        with CaptureQueriesContext(connection) as context:
            response = Client().get(seeded_report.get_absolute_url())
        assert response.status_code == 200
        return len(context), response.content.decode()

    first = comment_about(seeded_report, "agent-safety")
    with clock(soon(days=2)):
        publish_section(chief_client, seeded_report, "Agent Safety", "Rewritten.")
        few, page = queries()
        assert page.count("der Abschnitt wurde seitdem geändert") == 1
        for _ in range(30):
            comment_about(seeded_report, "agent-safety")
        current, page = queries()
        assert page.count("der Abschnitt wurde seitdem geändert") == 1  # the new ones: current
        # Thirty more written about the old text, before the change.
        Comment.objects.update(
            section_fingerprint=first.section_fingerprint, created_at=first.created_at
        )
        many, page = queries()
    assert page.count("der Abschnitt wurde seitdem geändert") == 31
    assert few == current == many

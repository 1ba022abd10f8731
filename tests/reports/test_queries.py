"""The article page costs the same number of database queries however long the report is.

A report grows by sections and subsections; if the page loaded them one by one (or looked up
each section's report again for its permalink), every added section would add a query, and a
long report would be slow for every reader whose request misses the page cache.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments.rules import discussion_rules
from reports.models import Section
from tests.factories import ReportFactory, SectionFactory

pytestmark = pytest.mark.django_db

#: A generous ceiling for the whole page (report, sections, discussion, session, CSRF).
MAX_QUERIES = 12


def report_with_sections(count: int):
    report = ReportFactory(reading_time_minutes=None)
    for number in range(count):
        SectionFactory(
            report=report,
            level=Section.Level.SECTION if number % 4 == 0 else Section.Level.SUBSECTION,
            title=f"Heading {number}",
            body=f"Paragraph {number} with **bold** text.\n\n- a list\n- of items",
        )
    report.record_content_change()
    return report


def queries_for_first_view(client, report) -> int:
    # The discussion rules are cached (comments/rules.py): one query a minute, not per page.
    discussion_rules()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="permalink"') == report.sections.count()
    return len(queries)


def test_query_count_does_not_grow_with_the_sections(client):
    short = report_with_sections(3)
    long = report_with_sections(60)
    assert queries_for_first_view(client, short) == queries_for_first_view(client, long)


def test_article_page_stays_within_a_fixed_number_of_queries(django_assert_max_num_queries):
    report = report_with_sections(60)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = Client().get(report.get_absolute_url())
    assert response.status_code == 200


def test_staff_preview_is_not_an_n_plus_one_either(client, editor):
    client.force_login(editor)
    short = report_with_sections(3)
    long = report_with_sections(60)
    for report in (short, long):
        report.status = report.Status.DRAFT
        report.save()
    assert queries_for_first_view(client, short) == queries_for_first_view(client, long)


def test_comments_about_every_section_add_no_query_per_section(client):
    """The headings' "Diskutieren · n Kommentare" and the contents' badges come from one
    grouped query (comments/sections.py), whatever the number of sections with comments."""
    from comments.models import Comment

    quiet = report_with_sections(3)
    busy = report_with_sections(60)
    pairs = [(quiet, quiet.sections.first())] + [(busy, s) for s in busy.sections.all()]
    for number, (report, section) in enumerate(pairs):
        comment = Comment(
            report=report,
            status=Comment.Status.APPROVED,
            author_name=f"Leser {number}",
            author_email=f"leser{number}@example.org",
            text=f"Zu Abschnitt {number}.",
        )
        comment.set_section(section)
        comment.save()
    assert queries_for_first_view(client, quiet) == queries_for_first_view(client, busy)
    page = client.get(busy.get_absolute_url()).content.decode()
    assert page.count('class="toc-count"') == 60
    assert client.get(quiet.get_absolute_url()).content.decode().count('class="toc-count"') == 1

"""The article page costs the same number of queries with 5 comments or 500.

All comments a reader may see come in one query and are threaded in Python; a template that
followed `comment.parent` or `comment.report` would add a query per comment and show up here.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from comments.rules import discussion_rules

pytestmark = pytest.mark.django_db


def add_threaded_comments(report, count):
    """`count` approved comments: every third a top-level one, the rest replies nesting deeper."""
    created = []
    first = Comment.objects.count()  # numbers go on, so no comment is another's duplicate
    for number in range(first, first + count):
        parent = None
        if number % 3 and created:
            parent = created[-1]
        text = f"Kommentar {number} mit https://example.org/{number}"
        comment = Comment(
            report=report,
            parent=parent,
            status=Comment.Status.APPROVED,
            author_name=f"Leser {number}",
            author_email=f"leser{number}@example.org",
            author_url="https://example.org/" if number % 2 else "",
            text=text,
        )
        created.append(comment)
        Comment.objects.bulk_create([comment])
    return created


def queries_for_page(client, report):
    # The moderation rules are cached (comments/rules.py); only the very first page after a
    # change reads them from the database.
    discussion_rules()
    with CaptureQueriesContext(connection) as context:
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return len(context), response


def test_same_queries_with_5_and_500_threaded_comments(client, report, settings):
    settings.COMMENTS_PER_PAGE = 0  # all on one page; paging has its own test_paging.py
    settings.COMMENTS_FOLD_ABOVE = 0  # every reply shown; folded pages: test_folding.py
    add_threaded_comments(report, 5)
    few, response = queries_for_page(client, report)
    assert response.content.decode().count('class="comment"') == 5

    add_threaded_comments(report, 495)
    many, response = queries_for_page(client, report)
    page = response.content.decode()
    assert page.count('class="comment"') == 500
    assert "500 Kommentare zu" in page
    assert 'class="children"' in page
    assert many == few


def test_authors_own_pending_comment_costs_no_extra_query(post_comment, client, report):
    add_threaded_comments(report, 5)
    stranger_queries, _ = queries_for_page(client, report)
    post_comment()
    author_queries, response = queries_for_page(client, report)
    assert "Dein Kommentar wartet auf Freischaltung." in response.content.decode()
    # The stranger's page also looked up the page-cache version; the author's is always
    # rendered fresh, so it may cost one query less, never more.
    assert author_queries <= stranger_queries


def test_same_queries_with_17_sections_and_5_or_500_comments_about_them(
    client, seeded_report, settings
):
    """Counts per section come from one grouped query, and the "zu: …" labels from the
    sections the page has loaded already: comments spread over all 17 sections cost nothing
    more than 5 comments on one."""
    settings.COMMENTS_PER_PAGE = 0
    settings.COMMENTS_FOLD_ABOVE = 0
    sections = list(seeded_report.sections.all())
    assert len(sections) == 17

    def add(count):
        created = add_threaded_comments(seeded_report, count)
        for number, comment in enumerate(created):
            if comment.parent_id is None:
                comment.set_section(sections[number % len(sections)])
                comment.save()
            else:
                comment.save()  # a reply takes its parent's section
        return created

    add(5)
    few, response = queries_for_page(client, seeded_report)
    assert response.content.decode().count('class="comment-section"') == 5

    add(495)
    many, response = queries_for_page(client, seeded_report)
    page = response.content.decode()
    assert page.count('class="comment-section"') == 500
    assert page.count('class="toc-count"') == 17
    assert many == few


def test_the_comment_count_is_read_once_for_header_contents_and_structured_data(client, report):
    add_threaded_comments(report, 5)
    discussion_rules()
    with CaptureQueriesContext(connection) as context:
        response = client.get(report.get_absolute_url())

    page = response.content.decode()
    assert '"commentCount": 5' in page and "5 Kommentare</a>" in page and "Kommentare (5)" in page
    counts = [
        query["sql"]
        for query in context.captured_queries
        if "COUNT(" in query["sql"].upper()
        and "comments_comment" in query["sql"]
        and "GROUP BY" not in query["sql"].upper()
    ]
    assert len(counts) == 1, counts

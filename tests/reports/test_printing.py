""" "Drucken mit Kommentaren": a link with `?drucken=kommentare` that the page cache renders
fresh (it is in PAGE_CACHE_QUERY_PARAMETERS), so it works without scripting. What the printout
holds is checked in a browser (tests/browser/test_print_and_passages.py)."""

import pytest

from .pages import parse

pytestmark = pytest.mark.django_db


def test_the_article_offers_printing_with_comments(client, seeded_report):
    page = parse(client.get(seeded_report.get_absolute_url()))
    link = page.select_one(".report-header a[href='?drucken=kommentare']")
    assert link.get_text() == "Drucken mit Kommentaren"
    assert page.select(".print-comments, .print-banner") == []


def test_the_print_view_marks_the_page_and_is_never_shared(client, seeded_report):
    url = seeded_report.get_absolute_url()
    shared = client.get(url)
    response = client.get(url + "?drucken=kommentare")

    assert "public" in shared["Cache-Control"]
    assert "private" in response["Cache-Control"]  # not the cached copy of the plain page
    page = parse(response)
    assert page.select_one(".report-layout.print-comments")
    assert "Druckansicht" in page.select_one(".print-banner").get_text()
    assert page.select_one("script[src*='print']")
    # Another value prints as usual (the cache renders it fresh all the same).
    assert parse(client.get(url + "?drucken=ja")).select(".print-comments") == []

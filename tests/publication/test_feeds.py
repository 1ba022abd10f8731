"""Atom feeds: /feed/ for the reports, one per report for its approved comments."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from comments.models import Comment
from comments.rules import discussion_rules
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory, SectionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch_atom(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own output  # raises on XML that is not well-formed


def assert_valid_atom(feed: ET.Element) -> None:
    """The elements RFC 4287 requires: feed id, title, updated, author (here at feed level);
    each entry id, title, updated and an alternate link, plus a summary or content."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{name}"), name
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == settings.SITE_PUBLISHER
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{name}"), name
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert entry.find(f"{ATOM}summary") is not None or entry.find(f"{ATOM}content") is not None


def test_the_report_feed_holds_published_reports_with_summary_and_full_text(client):
    report = ReportFactory(
        title="Alignment <progress> & more",
        slug="alignment",
        description="What changed this year.",
        lead="The **lead** paragraph.",
    )
    SectionFactory(report=report, title="Interpretability", body="Sparse <b>features</b>.")
    ReportFactory(status="draft", title="Secret draft")

    feed = fetch_atom(client, "/feed/")

    assert_valid_atom(feed)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Alignment <progress> & more"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/berichte/alignment/"
    assert entry.findtext(f"{ATOM}summary") == "What changed this year."
    content = entry.findtext(f"{ATOM}content")
    assert "<strong>lead</strong>" in content
    assert "<h2>Interpretability</h2>" in content
    assert "Sparse &lt;b&gt;features&lt;/b&gt;." in content or "Sparse features." in content
    assert entry.findtext(f"{ATOM}updated").startswith(str(report.content_changed_at.year))


def test_the_comment_feed_holds_the_newest_50_approved_comments_with_links(client):
    report = ReportFactory(slug="alignment")
    approved = CommentFactory.create_batch(52, report=report)
    CommentFactory(report=report, status=Comment.Status.PENDING, text="Noch nicht frei")
    CommentFactory(report=report, status=Comment.Status.SPAM, text="Kauf jetzt")
    CommentFactory(text="Anderer Bericht")
    newest = CommentFactory(
        report=report, author_name="Erika </script>", text="Ein <script>alert(1)</script> Test"
    )

    feed = fetch_atom(client, "/berichte/alignment/kommentare/feed/")

    assert_valid_atom(feed)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    first = entries[0]
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Erika </script>"
    assert (
        first.find(f"{ATOM}link").get("href")
        == f"http://testserver/kommentar/{newest.pk}/#c{newest.pk}"  # the comment's permalink
    )
    assert (
        first.findtext(f"{ATOM}summary") == "<p>Ein &lt;script&gt;alert(1)&lt;/script&gt; Test</p>"
    )
    anchors = {e.find(f"{ATOM}link").get("href").rsplit("#", 1)[1] for e in entries}
    assert anchors == {f"c{comment.pk}" for comment in [*approved[3:], newest]}
    texts = " ".join(e.findtext(f"{ATOM}summary") for e in entries)
    assert "Noch nicht frei" not in texts and "Kauf jetzt" not in texts
    assert "Anderer Bericht" not in texts


def test_a_draft_has_no_comment_feed(client):
    ReportFactory(slug="draft", status="draft")

    assert client.get("/berichte/draft/kommentare/feed/").status_code == 404


def test_the_head_names_both_feeds(client):
    ReportFactory(slug="alignment")

    html = client.get("/berichte/alignment/").content.decode()

    assert '<link rel="alternate" type="application/atom+xml" href="/feed/"' in html
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'href="/berichte/alignment/kommentare/feed/"' in html
    )


@pytest.mark.parametrize("reports", [1, 8])
def test_the_report_feed_costs_the_same_queries_for_any_number_of_reports(
    client, django_assert_num_queries, reports
):
    """Version check, reports, their sections: three queries whether there is one report or 8."""
    for report in ReportFactory.create_batch(reports):
        SectionFactory.create_batch(3, report=report)

    with django_assert_num_queries(3):
        fetch_atom(client, "/feed/")


@pytest.mark.parametrize("comments", [2, 60])
def test_the_comment_feed_costs_the_same_queries_for_any_number_of_comments(
    client, django_assert_num_queries, comments
):
    """Version check, the report, its comments: three queries for 2 comments or 60."""
    report = ReportFactory(slug="alignment")
    CommentFactory.create_batch(comments, report=report)
    # The discussion rules (whether it closed by age is part of the version) are read once a
    # minute, not per request: warm, as on a running server.
    discussion_rules()

    with django_assert_num_queries(3):
        fetch_atom(client, "/berichte/alignment/kommentare/feed/")


def test_a_feed_is_served_from_the_cache_until_the_discussion_changes(
    client, django_assert_num_queries
):
    report = ReportFactory(slug="alignment")
    CommentFactory(report=report, text="Erster")
    fetch_atom(client, "/berichte/alignment/kommentare/feed/")

    with django_assert_num_queries(1):  # only the version check
        fetch_atom(client, "/berichte/alignment/kommentare/feed/")

    CommentFactory(report=report, text="Zweiter")
    feed = fetch_atom(client, "/berichte/alignment/kommentare/feed/")
    assert len(feed.findall(f"{ATOM}entry")) == 2

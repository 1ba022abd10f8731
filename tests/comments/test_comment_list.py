"""Approved comments under the article, as a German WordPress theme shows them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.models import Comment

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db


def page_of(client, report, **params):
    return BeautifulSoup(client.get(report.get_absolute_url(), params).content, "html.parser")


def test_no_heading_without_comments(client, report):
    assert page_of(client, report).select_one(".comments-title") is None


def test_heading_for_one_comment(client, report):
    CommentFactory(report=report)
    title = page_of(client, report).select_one(".comments-title").get_text()
    assert title == "Ein Kommentar zu „AI Safety Progress“"


def test_heading_for_several_comments_counts_only_approved(client, report):
    CommentFactory.create_batch(3, report=report)
    CommentFactory(report=report, status=Comment.Status.PENDING)
    CommentFactory(report=report, status=Comment.Status.SPAM)
    CommentFactory()  # another report
    page = page_of(client, report)
    assert page.select_one(".comments-title").get_text() == "3 Kommentare zu „AI Safety Progress“"
    assert len(page.select("li.comment")) == 3


def test_german_date_and_time(client, report):
    written = datetime.datetime(2026, 12, 4, 13, 5, tzinfo=datetime.UTC)  # 14:05 in Berlin
    comment = CommentFactory(report=report, created_at=written)
    time = page_of(client, report).select_one(f"#c{comment.pk} time")
    assert time.get_text() == "4. Dezember 2026 um 14:05 Uhr"
    assert time["datetime"] == "2026-12-04T14:05+01:00"


def test_oldest_first(client, report):
    now = timezone.now()
    newer = CommentFactory(report=report, created_at=now, text="Neuer")
    older = CommentFactory(report=report, created_at=now - datetime.timedelta(days=1))
    ids = [li["id"] for li in page_of(client, report).select("li.comment")]
    assert ids == [f"c{older.pk}", f"c{newer.pk}"]


def test_author_linked_to_website_with_nofollow_ugc(client, report):
    with_site = CommentFactory(report=report, author_url="https://erika.example.org/")
    without = CommentFactory(report=report, author_name="Max")
    page = page_of(client, report)
    link = page.select_one(f"#c{with_site.pk} .comment-author a")
    assert link["href"] == "https://erika.example.org/"
    assert link["rel"] == ["nofollow", "ugc"]
    author = page.select_one(f"#c{without.pk} .comment-author")
    assert author.get_text() == "Max" and author.select("a") == []


def test_paragraphs_line_breaks_and_links(client, report):
    comment = CommentFactory(
        report=report,
        text="Erste Zeile\nzweite Zeile\n\n"
        "Neuer Absatz mit https://example.org/studie und <b>fett</b>.",
    )
    content = page_of(client, report).select_one(f"#c{comment.pk} .comment-content")
    paragraphs = content.select("p")
    assert len(paragraphs) == 2
    assert paragraphs[0].select("br")
    link = paragraphs[1].select_one("a")
    assert link["href"] == "https://example.org/studie"
    assert link["rel"] == ["nofollow", "ugc"]
    assert content.select("b") == []
    assert "<b>fett</b>" in paragraphs[1].get_text()


def test_permalink_anchor_and_absolute_url(client, report):
    comment = CommentFactory(report=report)
    assert comment.get_absolute_url() == f"/kommentar/{comment.pk}/#c{comment.pk}"
    permalink = page_of(client, report).select_one(f"#c{comment.pk} a.comment-date")
    assert permalink["href"] == f"#c{comment.pk}"


def test_avatar_is_local_initials(client, report):
    comment = CommentFactory(report=report, author_name="erika mustermann")
    page = page_of(client, report)
    avatar = page.select_one(f"#c{comment.pk} .comment-avatar")
    assert avatar.get_text() == "EM"
    assert page.select_one(".discussion img") is None
    assert b"gravatar" not in page.encode().lower()


def test_markup_per_comment_stays_small(client, report):
    comment = CommentFactory(report=report, author_url="https://erika.example.org/", text="Kurz.")
    item = str(page_of(client, report).select_one(f"#c{comment.pk}"))
    assert len(item.encode()) - len(comment.text_html.encode()) < 1024


def test_closed_comments(client, report):
    CommentFactory(report=report, text="Früher geschrieben.")
    report.comments_open = False
    report.save()
    page = page_of(client, report)
    assert page.select_one(".comments-closed").get_text() == "Die Kommentare sind geschlossen."
    assert page.select_one("#kommentarformular") is None
    assert page.select(".comment-reply-link") == []
    assert "Früher geschrieben." in page.get_text()


def test_posting_to_closed_comments_is_refused(post_comment, report):
    report.comments_open = False
    report.save()
    response = post_comment()
    assert response.status_code == 403
    assert Comment.objects.count() == 0
    assert "Die Kommentare sind geschlossen." in response.content.decode()

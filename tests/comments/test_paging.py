"""Long discussions come in pages of top-level threads, with WordPress's German navigation,
clean addresses, and permalinks that find the page holding a comment."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aireport.sanitizer import render_comment_text
from comments.models import Comment
from comments.rules import discussion_rules

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_threads_per_page(settings):
    settings.COMMENTS_PER_PAGE = 2
    settings.COMMENTS_ORDER = "oldest"


@pytest.fixture
def threads(report):
    """Five top-level comments an hour apart, each with one reply: three pages of two."""
    start = timezone.now() - datetime.timedelta(days=1)
    roots, replies = [], []
    for number in range(5):
        written = start + datetime.timedelta(hours=number)
        root = CommentFactory(report=report, created_at=written, author_name=f"Autorin {number}")
        roots.append(root)
        replies.append(
            CommentFactory(
                report=report,
                parent=root,
                created_at=written + datetime.timedelta(minutes=5),
                author_name=f"Antwort {number}",
            )
        )
    return roots, replies


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def comment_ids(page) -> list[str]:
    return [li["id"] for li in page.select("li.comment")]


def page_url(report, number):
    return f"/berichte/{report.slug}/kommentare/seite-{number}/"


def test_first_page_holds_the_oldest_threads_with_their_replies(client, report, threads):
    roots, replies = threads
    page = soup(client.get(report.get_absolute_url()))
    assert comment_ids(page) == [f"c{c.pk}" for c in (roots[0], replies[0], roots[1], replies[1])]
    # The count in the title, the header and the contents is the whole discussion.
    assert "10 Kommentare zu" in page.select_one(".comments-title").get_text()
    assert page.select_one(".report-meta a[href='#kommentare']").get_text() == "10 Kommentare"
    assert page.select_one(".toc a[href='#kommentare']").get_text() == "Kommentare (10)"


def test_navigation_in_wordpress_wording(client, report, threads):
    page = soup(client.get(report.get_absolute_url()))
    nav = page.select_one(".comments-pagination")
    assert nav.select_one(".page-older") is None
    assert nav.select_one(".page-newer").get_text() == "Neuere Kommentare"
    assert nav.select_one(".page-newer")["href"] == page_url(report, 2) + "#kommentare"
    assert nav.select_one("[aria-current=page]").get_text() == "1"
    assert [a["href"] for a in nav.select(".page-numbers a")] == [
        page_url(report, 2) + "#kommentare",
        page_url(report, 3) + "#kommentare",
    ]

    middle = soup(client.get(page_url(report, 2))).select_one(".comments-pagination")
    assert middle.select_one(".page-older")["href"] == report.get_absolute_url() + "#kommentare"
    assert middle.select_one(".page-newer")["href"] == page_url(report, 3) + "#kommentare"
    assert middle.select_one("[aria-current=page]").get_text() == "2"


def test_later_pages_have_their_own_address_title_and_canonical(client, report, threads):
    roots, replies = threads
    page = soup(client.get(page_url(report, 3)))
    assert comment_ids(page) == [f"c{roots[4].pk}", f"c{replies[4].pk}"]
    assert page.select_one("link[rel=canonical]")["href"].endswith(page_url(report, 3))
    assert page.title.get_text() == "AI Safety Progress – Kommentare, Seite 3 – aireport"
    assert page.select_one("article h1").get_text() == "AI Safety Progress"  # the whole article


def test_page_one_redirects_to_the_article_and_missing_pages_are_not_found(client, report, threads):
    response = client.get(page_url(report, 1))
    assert response.status_code == 301
    assert response["Location"] == report.get_absolute_url()
    assert client.get(page_url(report, 4)).status_code == 404
    assert client.get(f"/berichte/{report.slug}/kommentare/seite-0/").status_code == 404


def test_newest_first(client, report, threads, settings):
    settings.COMMENTS_ORDER = "newest"
    roots, replies = threads
    page = soup(client.get(report.get_absolute_url()))
    # Threads newest first; a thread's replies still follow their comment.
    assert comment_ids(page) == [f"c{c.pk}" for c in (roots[4], replies[4], roots[3], replies[3])]
    nav = page.select_one(".comments-pagination")
    assert nav.select_one(".page-older")["href"] == page_url(report, 2) + "#kommentare"
    assert nav.select_one(".page-newer") is None


def test_zero_means_all_on_one_page(client, report, threads, settings):
    settings.COMMENTS_PER_PAGE = 0
    page = soup(client.get(report.get_absolute_url()))
    assert len(page.select("li.comment")) == 10
    assert page.select_one(".comments-pagination") is None


def test_permalink_lands_on_the_page_holding_the_comment(client, report, threads):
    roots, replies = threads
    response = client.get(replies[2].get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(report, 2)}#c{replies[2].pk}"
    assert client.get(roots[0].get_absolute_url())["Location"] == (
        f"{report.get_absolute_url()}#c{roots[0].pk}"
    )
    assert f'id="c{replies[2].pk}"' in client.get(page_url(report, 2)).content.decode()


def test_permalink_of_a_hidden_comment_is_not_found(client, report, threads):
    spam = CommentFactory(report=report, status=Comment.Status.SPAM)
    assert client.get(spam.get_absolute_url()).status_code == 404
    assert client.get("/kommentar/999999/").status_code == 404


def test_own_pending_comment_on_the_last_page(post_comment, client, report, threads):
    response = post_comment(text="Ganz neu.", follow=True)
    mine = Comment.objects.get(text="Ganz neu.")
    # Sixth thread: the author's preview shows page 3, with the comment and the note.
    page = soup(response)
    assert "Ganz neu." in page.select_one(f"#c{mine.pk}").get_text()
    assert page.select_one(f"#c{mine.pk} .comment-awaiting-moderation")
    assert page.select_one(".comments-pagination [aria-current=page]").get_text() == "3"
    # Its permalink finds page 3 for the author (cookie), and nothing for anyone else.
    assert client.get(mine.get_absolute_url())["Location"] == f"{page_url(report, 3)}#c{mine.pk}"
    assert Client().get(mine.get_absolute_url()).status_code == 404


def test_reply_link_works_on_a_later_page(client, report, threads):
    roots, _ = threads
    page = soup(client.get(page_url(report, 2), {"replytocom": roots[3].pk}))
    assert page.select_one(".reply-title-text").get_text() == (
        "Antworte auf den Kommentar von Autorin 3"
    )
    assert page.select_one("input[name=parent]")["value"] == str(roots[3].pk)


def test_form_error_in_a_reply_shows_the_page_of_the_comment(post_comment, report, threads):
    roots, _ = threads
    response = post_comment(parent=roots[4].pk, author_name="")
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(f"#c{roots[4].pk}") is not None
    assert page.select_one(".reply-title-text").get_text() == (
        "Antworte auf den Kommentar von Autorin 4"
    )


def add_comments(report, count, *, replies_every=0):
    """`count` approved comments in one insert; with `replies_every` some answer the one before."""
    now = timezone.now()
    text = "Ein Gedanke zum Bericht, mit einem Link: https://example.org/studie"
    first = Comment.objects.count()  # other readers than last time: no comment is a duplicate
    comments = [
        Comment(
            report=report,
            status=Comment.Status.APPROVED,
            author_name=f"Leser {first + number}",
            author_email=f"leser{first + number}@example.org",
            text=text,
            text_html=render_comment_text(text),
            created_at=now - datetime.timedelta(seconds=count - number),
        )
        for number in range(count)
    ]
    Comment.objects.bulk_create(comments)
    if replies_every:
        for number in range(1, count, replies_every):
            comments[number].parent = comments[number - 1]
            comments[number].depth = 2
        Comment.objects.bulk_update(comments, ["parent", "depth"])


def queries_for(client, url) -> int:
    # The discussion rules are cached (comments/rules.py): one query a minute, not per page.
    discussion_rules()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_each_page_costs_the_same_queries_however_long_the_discussion(client, report):
    """Paging must not load every comment whole, nor fetch replies one thread at a time."""
    add_comments(report, 10, replies_every=3)
    few = [queries_for(client, report.get_absolute_url()), queries_for(client, page_url(report, 2))]
    add_comments(report, 400, replies_every=3)
    many = [
        queries_for(client, report.get_absolute_url()),
        queries_for(client, page_url(report, 2)),
    ]
    assert few == many


def test_first_page_of_5000_comments_stays_under_100_kb(settings, seeded_report):
    settings.COMMENTS_PER_PAGE = 50
    add_comments(seeded_report, 5000)
    html = Client().get(seeded_report.get_absolute_url()).content
    page = BeautifulSoup(html, "html.parser")
    assert len(page.select("li.comment")) == 50
    assert "5000 Kommentare zu" in page.get_text()
    assert len(html) < 100_000


def test_later_pages_are_cached_like_the_article_and_change_with_the_discussion(report, threads):
    """A later page is one query (the version) when cached, and new as soon as a comment
    on it is approved."""
    url = page_url(report, 3)
    Client().get(url)
    with CaptureQueriesContext(connection) as context:
        cached = Client().get(url)
    assert cached.status_code == 200
    assert len(context) == 1
    CommentFactory(report=report, text="Spät, aber sichtbar.")  # the sixth thread: page 3
    assert "Spät, aber sichtbar." in Client().get(url).content.decode()


def test_form_error_on_a_later_page_comes_back_on_that_page(client, report, threads):
    """A new comment (not a reply) sent from page 2 with a mistake: page 2 again, with the
    error, and the form's address leads back to page 2 when reloaded or shared."""
    from .conftest import form_data

    roots, replies = threads
    page_two = soup(client.get(page_url(report, 2)))
    action = page_two.select_one("form.comment-form")["action"]
    assert action == f"/berichte/{report.slug}/kommentieren/?seite=2#kommentarformular"

    response = client.post(action.split("#")[0], form_data(author_name=""))

    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert comment_ids(page) == [f"c{c.pk}" for c in (roots[2], replies[2], roots[3], replies[3])]
    assert "Kommentare, Seite 2" in page.select_one("title").get_text()
    assert page.select_one("link[rel=canonical]")["href"].endswith(page_url(report, 2))
    assert "Bitte gib deinen Namen ein." in page.get_text()
    assert "Ein sehr guter Bericht." in page.select_one("textarea").get_text()
    reload = client.get(action.split("#")[0])
    assert reload.status_code == 303
    assert reload["Location"] == f"{page_url(report, 2)}#kommentarformular"


def test_a_page_that_no_longer_exists_in_the_form_address_falls_back_to_page_one(
    client, report, threads
):
    from .conftest import form_data

    post_url = f"/berichte/{report.slug}/kommentieren/"
    for number in ("9", "x", "²", "0"):
        response = client.post(f"{post_url}?seite={number}", form_data(author_name=""))
        assert response.status_code == 400
        page = BeautifulSoup(response.content, "html.parser")
        assert comment_ids(page)[0] == f"c{threads[0][0].pk}"
        reload = client.get(f"{post_url}?seite={number}")
        assert reload["Location"] == f"{report.get_absolute_url()}#kommentarformular"

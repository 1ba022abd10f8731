"""A page of a long discussion folds its threads: each shows its first comment and
"3 Antworten anzeigen", a link to the thread's own page, so the page stays light. Threads
the reader works in stay open, and permalinks find folded replies."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment

from .conftest import CommentFactory
from .test_paging import add_comments, comment_ids, queries_for, soup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def folding(settings):
    """Two threads per page; a page with more than three comments folds."""
    settings.COMMENTS_PER_PAGE = 2
    settings.COMMENTS_ORDER = "oldest"
    settings.COMMENTS_FOLD_ABOVE = 3


@pytest.fixture
def threads(report):
    """Three threads an hour apart: the first with a reply and a reply to that, the second
    with one reply, the third (page 2) alone."""
    start = timezone.now() - datetime.timedelta(days=1)

    def at(hours, **fields):
        return CommentFactory(
            report=report, created_at=start + datetime.timedelta(hours=hours), **fields
        )

    first = at(0, author_name="Erika Muster", text="Der Anfang.")
    answer = at(0.1, parent=first, author_name="Max", text="Eine Antwort.")
    deeper = at(0.2, parent=answer, author_name="Erika Muster", text="Noch tiefer.")
    second = at(1, author_name="Jana", text="Zweiter Faden.")
    second_reply = at(1.1, parent=second, author_name="Ole", text="Antwort an Jana.")
    third = at(2, author_name="Paul", text="Allein.")
    return first, answer, deeper, second, second_reply, third


def thread_url(report, comment):
    return f"/berichte/{report.slug}/kommentare/antworten/{comment.pk}/"


def test_a_page_over_the_limit_shows_each_threads_first_comment_and_a_link(client, report, threads):
    first, answer, deeper, second, second_reply, third = threads
    page = soup(client.get(report.get_absolute_url()))

    assert comment_ids(page) == [f"c{first.pk}", f"c{second.pk}"]
    links = page.select(".comment-replies-folded a")
    assert [link.get_text() for link in links] == ["2 Antworten anzeigen", "Eine Antwort anzeigen"]
    assert links[0]["href"] == f"{thread_url(report, first)}#c{first.pk}"
    # Screen readers hear whose replies: "2 Antworten anzeigen, Erika Muster".
    assert links[0]["aria-describedby"] == f"c{first.pk}-autor"
    assert page.select_one(f"#c{first.pk} > .comment-replies-folded") is not None
    # The count in the heading stays the whole discussion's.
    assert "6 Kommentare zu" in page.select_one(".comments-title").get_text()


def test_a_page_within_the_limit_shows_every_reply(client, report, threads, settings):
    first, answer, deeper, second, second_reply, third = threads
    settings.COMMENTS_FOLD_ABOVE = 5
    page = soup(client.get(report.get_absolute_url()))
    assert comment_ids(page) == [f"c{c.pk}" for c in (first, answer, deeper, second, second_reply)]
    assert page.select(".comment-replies-folded") == []

    settings.COMMENTS_FOLD_ABOVE = 0  # never fold
    page = soup(client.get(report.get_absolute_url()))
    assert page.select(".comment-replies-folded") == []


def test_the_thread_page_shows_the_whole_thread(client, report, threads):
    first, answer, deeper, second, second_reply, third = threads
    page = soup(client.get(thread_url(report, first)))

    assert comment_ids(page) == [f"c{c.pk}" for c in (first, answer, deeper)]
    assert page.select_one(f"#c{answer.pk} > .children #c{deeper.pk}") is not None
    assert page.select(".comment-replies-folded") == []
    assert page.select_one("h1").get_text() == "Kommentar von Erika Muster mit allen Antworten"
    assert (
        page.select_one("title")
        .get_text()
        .startswith("Kommentar von Erika Muster mit allen Antworten – ")
    )
    assert page.select_one("link[rel=canonical]")["href"].endswith(thread_url(report, first))
    back = page.select_one(".changelog-back a")
    assert back.get_text() == "Zur ganzen Diskussion"
    assert client.get(back["href"])["Location"] == f"{report.get_absolute_url()}#c{first.pk}"
    # Nor a count of the whole discussion, nor page navigation, but the form to answer.
    assert page.select_one(".comments-title") is None
    assert page.select_one(".comments-pagination") is None
    assert page.select_one("form.comment-form") is not None


def test_a_thread_page_exists_only_for_a_visible_first_comment(client, report, threads):
    first, answer, *_ = threads
    spam = CommentFactory(report=report, status=Comment.Status.SPAM)
    assert client.get(thread_url(report, answer)).status_code == 404
    assert client.get(thread_url(report, spam)).status_code == 404
    assert client.get(f"/berichte/{report.slug}/kommentare/antworten/999999/").status_code == 404
    assert client.get(f"/berichte/anderer/kommentare/antworten/{first.pk}/").status_code == 404


def test_permalinks_of_folded_replies_lead_to_their_thread_page(client, report, threads):
    first, answer, deeper, second, second_reply, third = threads
    assert client.get(deeper.get_absolute_url())["Location"] == (
        f"{thread_url(report, first)}#c{deeper.pk}"
    )
    assert client.get(second_reply.get_absolute_url())["Location"] == (
        f"{thread_url(report, second)}#c{second_reply.pk}"
    )
    # First comments stay on their page of the discussion.
    assert client.get(first.get_absolute_url())["Location"] == (
        f"{report.get_absolute_url()}#c{first.pk}"
    )


def test_answering_a_folded_reply_opens_its_thread(client, report, threads):
    first, answer, deeper, second, second_reply, third = threads
    page = soup(client.get(report.get_absolute_url(), {"replytocom": answer.pk}))
    assert comment_ids(page) == [f"c{c.pk}" for c in (first, answer, deeper, second)]
    assert [link.get_text() for link in page.select(".comment-replies-folded a")] == [
        "Eine Antwort anzeigen"
    ]
    assert page.select_one(".reply-title-text").get_text() == ("Antworte auf den Kommentar von Max")
    assert page.select_one("input[name=parent]")["value"] == str(answer.pk)


def test_replying_on_the_thread_page(client, report, threads):
    first, answer, *_ = threads
    page = soup(client.get(thread_url(report, first), {"replytocom": answer.pk}))
    assert page.select_one("input[name=parent]")["value"] == str(answer.pk)
    assert page.select_one(".reply-title-text").get_text() == ("Antworte auf den Kommentar von Max")


def test_the_authors_waiting_reply_shows_in_its_opened_thread(
    post_comment, client, report, threads
):
    first, answer, deeper, second, second_reply, third = threads
    response = post_comment(parent=second.pk, text="Meine Antwort an Jana.", follow=True)
    mine = Comment.objects.get(text="Meine Antwort an Jana.")
    assert mine.status == Comment.Status.PENDING

    page = soup(response)
    assert f"c{mine.pk}" in comment_ids(page)
    assert page.select_one(f"#c{second.pk} .children #c{mine.pk} .comment-awaiting-moderation")
    # The other thread stays folded.
    assert page.select_one(f"#c{first.pk} > .comment-replies-folded") is not None
    # For the author, the permalink finds it on the page; the thread page shows it too.
    assert client.get(mine.get_absolute_url())["Location"] == (
        f"{report.get_absolute_url()}#c{mine.pk}"
    )
    assert f"c{mine.pk}" in comment_ids(soup(client.get(thread_url(report, second))))
    # Nobody else sees it, on either page.
    assert f"c{mine.pk}" not in comment_ids(soup(Client().get(thread_url(report, second))))
    assert Client().get(mine.get_absolute_url()).status_code == 404


def test_the_thread_page_is_cached_and_changes_with_the_discussion(report, threads):
    first, *_ = threads
    url = thread_url(report, first)
    Client().get(url)
    with CaptureQueriesContext(connection) as context:
        cached = Client().get(url)
    assert cached.status_code == 200
    assert len(context) == 1
    CommentFactory(report=report, parent=first, text="Spät, aber sichtbar.")
    assert "Spät, aber sichtbar." in Client().get(url).content.decode()
    page = soup(Client().get(report.get_absolute_url()))
    assert page.select_one(f"#c{first.pk} .comment-replies-folded a").get_text() == (
        "3 Antworten anzeigen"
    )


def test_a_folded_page_costs_the_same_queries_however_long_its_threads(client, report, settings):
    settings.COMMENTS_FOLD_ABOVE = 1
    add_comments(report, 10, replies_every=2)
    few = queries_for(client, report.get_absolute_url())
    add_comments(report, 400, replies_every=2)
    many = queries_for(client, report.get_absolute_url())
    assert few == many


def test_first_page_of_5000_threaded_comments_stays_under_100_kb(settings, seeded_report):
    """The default settings: 50 threads a page, folded above 50 comments."""
    settings.COMMENTS_PER_PAGE = 50
    settings.COMMENTS_FOLD_ABOVE = 50
    add_comments(seeded_report, 5000, replies_every=2)
    html = Client().get(seeded_report.get_absolute_url()).content
    page = BeautifulSoup(html, "html.parser")
    assert len(page.select("li.comment")) == 50
    assert len(page.select(".comment-replies-folded")) == 50
    assert "5000 Kommentare zu" in page.get_text()
    assert len(html) < 100_000

"""After sending, the reader lands on their comment; only they see it while it waits."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments.models import Comment
from tests.clients import BrowserClient
from tests.comments.status import set_status

from .conftest import CommentFactory, remember_as_own

pytestmark = pytest.mark.django_db

WAITING = "Dein Kommentar wartet auf Freischaltung."


def test_a_waiting_comment_redirects_to_a_signed_preview_of_it(post_comment, report):
    """Like WordPress's ?unapproved=…&moderation-hash=…: a URL that shared caches pass through."""
    response = post_comment()
    comment = Comment.objects.get()
    assert response.status_code == 302
    path, fragment = response["Location"].split("#")
    assert fragment == f"c{comment.pk}"
    assert path.startswith(f"{report.get_absolute_url()}?unapproved={comment.pk}&moderation-hash=")
    preview = Client().get(response["Location"])
    assert "private" in preview["Cache-Control"]
    assert WAITING in preview.content.decode()


def test_a_tampered_preview_link_shows_nothing(post_comment, report):
    post_comment(text="Geheim bis zur Freigabe.")
    comment = Comment.objects.get()
    page = Client().get(f"{report.get_absolute_url()}?unapproved={comment.pk}&moderation-hash=x")
    assert "Geheim bis zur Freigabe." not in page.content.decode()


def test_an_approved_comment_redirects_to_its_anchor(post_comment, report, client):
    known = CommentFactory(
        report=report, author_name="Erika Mustermann", author_email="erika@example.org"
    )
    remember_as_own(client, known)  # her own browser: a known author is approved at once
    response = post_comment(text="Gleich sichtbar.")
    comment = Comment.objects.get(text="Gleich sichtbar.")
    # The lasting permalink, which finds the page of the discussion that holds it.
    assert response["Location"] == f"/kommentar/{comment.pk}/#c{comment.pk}"
    landing = Client().get(response["Location"])
    assert landing["Location"] == f"{report.get_absolute_url()}#c{comment.pk}"


def test_author_sees_their_pending_comment_with_the_note(post_comment):
    response = post_comment(text="Wartet noch.", follow=True)
    comment = Comment.objects.get()
    page = BeautifulSoup(response.content, "html.parser")
    mine = page.select_one(f"#c{comment.pk}")
    assert "Wartet noch." in mine.get_text()
    assert mine.select_one(".comment-awaiting-moderation").get_text() == WAITING
    # A pending comment cannot be answered.
    assert mine.select_one(".comment-reply-link") is None


def test_nobody_else_sees_the_pending_comment(post_comment, report):
    post_comment(text="Wartet noch.")
    other = BrowserClient().get(report.get_absolute_url())
    assert b"Wartet noch." not in other.content
    assert WAITING.encode() not in other.content


def test_a_forged_cookie_shows_nothing(client, report):
    foreign = CommentFactory(report=report, status=Comment.Status.PENDING, text="Fremd.")
    client.cookies["comments_own"] = f"[{foreign.pk}]"
    assert b"Fremd." not in client.get(report.get_absolute_url()).content


def test_note_disappears_once_approved(post_comment, client, report):
    post_comment()
    set_status(Comment.objects, Comment.Status.APPROVED)
    page = client.get(report.get_absolute_url()).content.decode()
    assert WAITING not in page
    assert "Ein sehr guter Bericht." in page


def test_trashed_own_comment_is_hidden_from_the_author_too(post_comment, client, report):
    post_comment(text="Bald im Müll.")
    set_status(Comment.objects, Comment.Status.TRASH)
    assert b"Bald im M" not in client.get(report.get_absolute_url()).content


def test_unpublished_report_takes_no_comments(client, report):
    from .conftest import form_data

    report.status = report.Status.DRAFT
    report.save()
    response = client.post(f"/berichte/{report.slug}/kommentieren/", form_data())
    assert response.status_code == 404
    assert Comment.objects.count() == 0

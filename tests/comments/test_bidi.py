"""Invisible direction marks cannot turn a name or the page around."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db


def test_bidi_controls_and_zero_width_spaces_are_taken_out_of_names(post_comment):
    assert post_comment(author_name="\u202eAdmin\u200b", text="Hallo.").status_code == 302
    assert Comment.objects.get().author_name == "Admin"


def test_joiners_that_names_are_spelt_with_stay(post_comment):
    persian = "\u0645\u06cc\u200c\u0631\u0636\u0627"  # with a zero-width non-joiner
    assert post_comment(author_name=persian).status_code == 302
    assert Comment.objects.get().author_name == persian


def test_names_and_texts_are_isolated_on_the_page(client, report):
    CommentFactory(
        report=report,
        author_name="\u0645\u0631\u06cc\u0645",
        author_url="https://example.org",
        text="\u202eTurned around",
    )
    CommentFactory(report=report, author_name="Erika")
    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")
    for comment in page.select("li.comment"):
        assert comment.select_one(".comment-author bdi").get_text().strip()
        assert comment.select_one(".comment-content")["dir"] == "auto"
    assert page.select_one(".comment-author bdi a")["href"] == "https://example.org"


def test_a_name_of_nothing_but_direction_marks_is_asked_for_again(post_comment):
    response = post_comment(author_name="\u202e\u200b\u2066", text="Mein Text bleibt.")
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert "Bitte fülle die Pflichtfelder aus." in page.select_one("#id_author_name-error").text
    assert page.select_one("#id_text").get_text().strip() == "Mein Text bleibt."
    assert not Comment.objects.exists()

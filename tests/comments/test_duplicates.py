"""The same comment twice is refused with WordPress's message."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment

pytestmark = pytest.mark.django_db

DUPLICATE = "Doppelter Kommentar entdeckt; sieht aus, als hättest du das schon gesagt!"


@pytest.fixture(autouse=True)
def no_flood_control(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def test_same_comment_twice_gets_409_with_the_text_kept(post_comment):
    assert post_comment(text="Genau das.").status_code == 302
    response = post_comment(text="Genau das.")
    assert response.status_code == 409
    page = BeautifulSoup(response.content, "html.parser")
    assert DUPLICATE in page.select_one(".form-errors").get_text()
    assert page.select_one("#id_text").get_text().strip() == "Genau das."
    assert Comment.objects.count() == 1


def test_same_text_from_someone_else_is_fine(post_comment):
    assert post_comment(text="Genau das.").status_code == 302
    assert post_comment(text="Genau das.", author_email="max@example.org").status_code == 302
    assert Comment.objects.count() == 2


def test_a_trashed_comment_may_be_written_again(post_comment):
    post_comment(text="Genau das.")
    Comment.objects.set_status(Comment.Status.TRASH)
    assert post_comment(text="Genau das.").status_code == 302

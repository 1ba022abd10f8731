"""The same comment twice is refused with WordPress's message."""

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, transaction

from comments.models import Comment
from comments.posting import DuplicateComment, submit_comment
from tests.comments.status import set_status

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
    set_status(Comment.objects, Comment.Status.TRASH)
    assert post_comment(text="Genau das.").status_code == 302


def test_the_database_refuses_the_same_comment_twice(report):
    """Even past every check in Python (two workers at once), the second row cannot exist."""
    fields = {"report": report, "author_name": "Erika", "text": "Genau das."}
    Comment.objects.create(**fields, author_email="erika@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(**fields, author_email="ERIKA@example.org")
    assert Comment.objects.count() == 1


def test_the_trash_does_not_count_in_the_database_either(report):
    fields = {"report": report, "author_email": "erika@example.org", "text": "Genau das."}
    Comment.objects.create(**fields, author_name="Erika", status=Comment.Status.TRASH)
    Comment.objects.create(**fields, author_name="Erika")
    Comment.objects.create(**fields, author_name="Erika", status=Comment.Status.TRASH)
    assert Comment.objects.count() == 3


def test_a_refused_insert_becomes_the_duplicate_answer(report):
    """What the view sees when another worker stored the same comment a moment earlier."""
    fields = {
        "report": report,
        "author_name": "Erika",
        "author_email": "erika@example.org",
        "author_url": "",
        "text": "Genau das.",
        "parent": None,
        "ip_address": "203.0.113.7",
        "user_agent": "Firefox",
    }
    submit_comment(**fields)
    with pytest.raises(DuplicateComment):
        submit_comment(**fields)
    assert Comment.objects.count() == 1


def test_the_view_answers_409_when_the_database_refuses(post_comment, monkeypatch):
    """The check in Python says "new" (as for two requests at once); the database says no."""
    assert post_comment(text="Genau das.").status_code == 302
    answers = [False]  # the view's early check answers "new", later ones the truth
    queryset_class = type(Comment.objects.all())
    real = queryset_class.is_duplicate

    def early_check_misses(self, **fields):
        return answers.pop() if answers else real(self, **fields)

    monkeypatch.setattr(queryset_class, "is_duplicate", early_check_misses)
    response = post_comment(text="Genau das.")
    assert response.status_code == 409
    page = BeautifulSoup(response.content, "html.parser")
    assert DUPLICATE in page.select_one(".form-errors").get_text()
    assert page.select_one("#id_text").get_text().strip() == "Genau das."
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "again",
    [
        "Genau\u200b das.",  # a zero-width space
        "Genau das.\ufeff",  # a byte-order mark
        "Genau  das.",  # two spaces
        "Gena\u0301u das.",  # the same letters, composed differently (NFC)
    ],
)
def test_invisible_differences_still_make_a_duplicate(post_comment, again):
    first = "Gen\u00e1u das." if "\u0301" in again else "Genau das."
    assert post_comment(text=first).status_code == 302
    assert post_comment(text=again).status_code == 409
    assert Comment.objects.count() == 1


def test_a_trashed_twin_stays_in_the_trash_when_restored(report):
    """Restoring would put the same words from the same address on the page twice."""
    fields = {"report": report, "author_email": "erika@example.org", "text": "Genau das."}
    trashed = Comment.objects.create(**fields, author_name="Erika", status=Comment.Status.TRASH)
    Comment.objects.create(**fields, author_name="Erika")
    other = Comment.objects.create(
        **{**fields, "text": "Anders."}, author_name="Erika", status=Comment.Status.TRASH
    )
    assert set_status(Comment.objects.filter(status=Comment.Status.TRASH), "pending") == 1
    trashed.refresh_from_db()
    other.refresh_from_db()
    assert (trashed.status, other.status) == ("trash", "pending")


def test_twins_restored_together_come_back_once(report):
    fields = {"report": report, "author_email": "erika@example.org", "text": "Genau das."}
    first = Comment.objects.create(**fields, author_name="Erika", status=Comment.Status.TRASH)
    second = Comment.objects.create(**fields, author_name="Erika", status=Comment.Status.TRASH)
    assert set_status(Comment.objects.filter(status=Comment.Status.TRASH), "pending") == 1
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "pending", second.pk: "trash"}

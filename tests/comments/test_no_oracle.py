"""The duplicate rule is no oracle: posting the words of a public comment with a guessed email
must not tell whether the guess is the author's address. Only the browser that sent the first
copy hears "Doppelter Kommentar"; any other sender's copy is stored as a new waiting comment
and answered exactly like one."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.views import DUPLICATE_MESSAGE
from tests.clients import BrowserClient

from .conftest import CommentFactory, form_data

pytestmark = pytest.mark.django_db
WORDS = "Ein öffentlicher Kommentar, dessen Verfasserin jemand erraten möchte."
GUESSES = ["erika@example.org", "ERIKA@example.org", "erik@example.org", "x@example.net"]


@pytest.fixture
def public_comment(report, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    return CommentFactory(
        report=report,
        author_name="Erika Mustermann",
        author_email="erika@example.org",
        text=WORDS,
        ip_address="203.0.113.7",
        created_at=timezone.now() - timedelta(days=2),
    )


def shape(response) -> tuple:
    """What an observer can compare, with ids and signatures (different for every new
    comment, as for any two new comments) blanked out."""
    location = re.sub(r"\d+", "N", re.sub(r"moderation-hash=[\w-]+", "H", response["Location"]))
    cookies = tuple(sorted((name, morsel["max-age"]) for name, morsel in response.cookies.items()))
    headers = tuple(
        sorted((k, v) for k, v in response.headers.items() if k not in ("Location", "Set-Cookie"))
    )
    return response.status_code, location, cookies, headers, response.content


def test_guessed_addresses_all_get_the_answer_of_a_new_comment(post_url, public_comment):
    answers = []
    for n, email in enumerate(GUESSES):
        answers.append(
            BrowserClient().post(
                post_url,
                form_data(text=WORDS, author_email=email, author_name="Neugier"),
                REMOTE_ADDR=f"198.51.100.{n + 1}",
            )
        )
    # A text nobody wrote before, for comparison.
    answers.append(
        BrowserClient().post(
            post_url,
            form_data(text="Ganz neue Worte.", author_email="x@example.net", author_name="Neugier"),
            REMOTE_ADDR="198.51.100.99",
        )
    )
    assert {shape(answer) for answer in answers} == {shape(answers[0])}
    assert answers[0].status_code == 302
    assert DUPLICATE_MESSAGE not in BrowserClient().get(answers[0]["Location"]).content.decode()
    # Each copy waits for the moderators like any new comment; the original is untouched.
    copies = Comment.objects.filter(text=WORDS).exclude(pk=public_comment.pk)
    assert copies.count() == len(GUESSES)
    assert set(copies.values_list("status", flat=True)) == {Comment.Status.PENDING}


def test_the_browser_that_sent_the_first_copy_hears_it_is_a_duplicate(report, post_url, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    browser = BrowserClient()
    data = form_data(text=WORDS, author_email="erika@example.org")
    assert browser.post(post_url, data, REMOTE_ADDR="203.0.113.7").status_code == 302
    # Later, from another network: the cookie shows it is the same browser.
    again = browser.post(post_url, data, REMOTE_ADDR="192.0.2.44")
    assert again.status_code == 409
    assert DUPLICATE_MESSAGE in again.content.decode()
    assert Comment.objects.filter(text=WORDS).count() == 1

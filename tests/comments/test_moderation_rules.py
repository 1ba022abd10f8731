"""Which status a new comment gets: WordPress's defaults, plus robots caught locally."""

import pytest

from comments.models import Comment

from .conftest import CommentFactory, remember_as_own, timestamp

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def known_author(report, client):
    """Erika already has an approved comment, sent from this browser."""
    comment = CommentFactory(
        report=report, author_name="Erika Mustermann", author_email="erika@example.org"
    )
    remember_as_own(client, comment)
    return comment


def status_after(post_comment, **fields):
    response = post_comment(**fields)
    assert response.status_code == 302, response.content[:500]
    return Comment.objects.latest("id").status


def test_new_author_waits_for_moderation(post_comment):
    assert status_after(post_comment) == Status.PENDING


def test_author_with_an_approved_comment_is_approved_at_once(post_comment, known_author):
    assert status_after(post_comment, author_email="ERIKA@example.org ") == Status.APPROVED


def test_known_email_with_another_name_still_waits(post_comment, known_author):
    assert status_after(post_comment, author_name="Max Muster") == Status.PENDING


def test_only_an_approved_earlier_comment_counts(post_comment, report):
    CommentFactory(
        report=report,
        author_name="Erika Mustermann",
        author_email="erika@example.org",
        status=Status.SPAM,
    )
    assert status_after(post_comment) == Status.PENDING


def test_auto_approval_can_be_switched_off(post_comment, known_author, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS = False
    assert status_after(post_comment) == Status.PENDING


@pytest.mark.parametrize(
    "text",
    [
        "Siehe https://a.example.org und https://b.example.org",
        "Quellen: www.example.org und http://example.net/x",
    ],
)
def test_two_links_wait_even_for_a_known_author(post_comment, known_author, text):
    assert status_after(post_comment, text=text) == Status.PENDING


def test_one_link_from_a_known_author_is_approved(post_comment, known_author):
    text = "Siehe https://www.example.org/studie"
    assert status_after(post_comment, text=text) == Status.APPROVED


def test_moderation_word_waits_even_for_a_known_author(post_comment, known_author, settings):
    settings.COMMENTS_MODERATION_WORDS = ["Casino"]
    assert status_after(post_comment, text="Mein Lieblingscasino!") == Status.PENDING


def test_moderation_word_in_the_website_counts(post_comment, known_author, settings):
    settings.COMMENTS_MODERATION_WORDS = ["casino"]
    status = status_after(post_comment, author_url="https://casino.example.org")
    assert status == Status.PENDING


def test_blocklist_word_is_spam(post_comment, known_author, settings):
    settings.COMMENTS_BLOCKLIST_WORDS = ["viagra"]
    assert status_after(post_comment, text="Billig VIAGRA kaufen") == Status.SPAM


def test_filled_honeypot_is_spam(post_comment, known_author):
    assert status_after(post_comment, honeypot="I am a bot") == Status.SPAM


def test_form_sent_back_too_fast_is_spam(post_comment, known_author):
    assert status_after(post_comment, timestamp=timestamp(seconds_ago=1)) == Status.SPAM


def test_form_sent_back_after_the_minimum_time_is_not_spam(post_comment, settings):
    settings.COMMENTS_MIN_SECONDS = 3
    assert status_after(post_comment, timestamp=timestamp(seconds_ago=4)) == Status.PENDING


@pytest.mark.parametrize("forged", ["12345", timestamp().replace(":", ";", 1)])
def test_forged_timestamp_is_spam(post_comment, known_author, forged):
    assert status_after(post_comment, timestamp=forged) == Status.SPAM


def test_a_form_sent_without_timestamp_waits_for_moderation(post_comment, known_author):
    """No JavaScript, so no timestamp: the timing cannot be judged, so a moderator decides,
    even for an author who would otherwise be approved at once."""
    assert status_after(post_comment, timestamp="") == Status.PENDING


def test_spam_does_not_email_the_moderators(post_comment, mailoutbox, settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["mod@example.org"]
    status_after(post_comment, honeypot="bot")
    assert mailoutbox == []

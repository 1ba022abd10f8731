"""The "too fast" rule with a page that is the same for everyone: the form asks for its signed
timestamp when the reader starts typing; a timestamp lasts one day."""

import time
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from comments.forms import EXPIRED_FORM_MESSAGE, TIMESTAMP_SALT
from comments.models import Comment

from .conftest import CommentFactory, form_data, remember_as_own

pytestmark = pytest.mark.django_db


def fetch_timestamp(client):
    response = client.get(reverse("comments:timestamp"))
    assert response.status_code == 200
    assert not response.cookies
    return response.content.decode()


def test_the_timestamp_endpoint_signs_the_current_time(client):
    with mock.patch("comments.forms.time.time", return_value=1_900_000_000.0):
        stamp = fetch_timestamp(client)
    assert signing.loads(stamp, salt=TIMESTAMP_SALT) == 1_900_000_000.0


def test_a_fetched_timestamp_used_at_once_is_spam(client, post_comment, report):
    CommentFactory(report=report, author_name="Erika Mustermann", author_email="erika@example.org")
    post_comment(text="Zu schnell.", timestamp=fetch_timestamp(client))
    assert Comment.objects.get(text="Zu schnell.").status == Comment.Status.SPAM


def test_a_fetched_timestamp_used_after_the_minimum_time_passes(client, post_comment, report):
    known = CommentFactory(
        report=report, author_name="Erika Mustermann", author_email="erika@example.org"
    )
    remember_as_own(client, known)  # a known author, sending from her own browser
    with mock.patch("comments.forms.time.time", return_value=time.time() - 60):
        stamp = fetch_timestamp(client)
    post_comment(text="In Ruhe geschrieben.", timestamp=stamp)
    assert Comment.objects.get(text="In Ruhe geschrieben.").status == Comment.Status.APPROVED


def test_an_expired_form_is_sent_again_with_the_text_kept(post_comment, settings):
    then = time.time() - 2 * 24 * 60 * 60
    with mock.patch("time.time", return_value=then):  # the form as it was served two days ago
        two_days_ago = signing.dumps(round(then, 1), salt=TIMESTAMP_SALT)
    response = post_comment(text="Lange überlegt.", timestamp=two_days_ago)
    page = response.content.decode()
    assert response.status_code == 400
    assert EXPIRED_FORM_MESSAGE in page
    assert "Lange überlegt." in page
    assert Comment.objects.count() == 0
    fresh = page.split('name="timestamp" value="', 1)[1].split('"', 1)[0]
    assert fresh != two_days_ago
    # Sent again at once from the page with the error: accepted, and not as spam.
    again = post_comment(text="Lange überlegt.", timestamp=fresh)
    assert again.status_code == 302
    assert Comment.objects.get().status != Comment.Status.SPAM


def test_a_form_with_an_error_keeps_its_valid_timestamp(post_comment):
    stamp = form_data()["timestamp"]
    response = post_comment(author_email="keine-adresse", timestamp=stamp)
    assert response.status_code == 400
    assert f'name="timestamp" value="{stamp}"' in response.content.decode()

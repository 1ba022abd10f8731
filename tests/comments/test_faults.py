"""Faults readers must not pay for: a cache that is down, a database that refuses writes.

The page is then served uncached, flood control lets comments through (and says so in the log),
the duplicate check still runs in the database, and a comment that cannot be stored comes back
in the form, never as a bare error page.
"""

import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from comments.models import Comment
from tests.aireport.conftest import free_port

pytestmark = pytest.mark.django_db


def redis_caches(url):
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {"default": backend, "shared": backend}


def posted(post_comment, **fields):
    response = post_comment(**fields)
    return response.status_code


def test_with_the_cache_down_pages_and_comments_still_work(settings, report, post_comment, caplog):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens
    with caplog.at_level(logging.WARNING):
        page = Client().get(report.get_absolute_url())
        status = posted(post_comment, text="Trotz Ausfall gespeichert.")
        duplicate = posted(post_comment, text="Trotz Ausfall gespeichert.", ip="203.0.113.99")
    assert page.status_code == 200
    assert status == 302
    assert Comment.objects.filter(text="Trotz Ausfall gespeichert.").count() == 1
    assert duplicate == 409  # the duplicate check runs in the database
    assert "Flood control unavailable" in caplog.text
    assert "Page cache unavailable" in caplog.text


def test_redis_stopping_in_the_middle_of_a_run(settings, report, post_comment, redis_server):
    settings.CACHES = redis_caches(redis_server.url)
    assert Client().get(report.get_absolute_url()).status_code == 200
    assert posted(post_comment, text="Vorher.") == 302
    # Redis answers: the same reader again at once is held back by flood control.
    assert posted(post_comment, text="Gleich danach.") == 429

    redis_server.stop()

    assert Client().get(report.get_absolute_url()).status_code == 200
    assert posted(post_comment, text="Nachher.", ip="203.0.113.8") == 302
    assert set(Comment.objects.values_list("text", flat=True)) == {"Vorher.", "Nachher."}


def test_a_database_that_refuses_writes_keeps_the_readers_text(post_comment, report):
    with mock.patch(
        "comments.views.post_once",
        side_effect=OperationalError("attempt to write a readonly database"),
    ):
        response = post_comment(text="Mein langer, wertvoller Text.")
    page = response.content.decode()
    assert response.status_code == 503
    assert "bitte später noch einmal versuchen" in page
    assert "Mein langer, wertvoller Text." in page
    assert 'value="erika@example.org"' in page
    assert Comment.objects.count() == 0
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]

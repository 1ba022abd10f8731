"""Never lose a comment: many readers posting at the same moment all get through.

SQLite runs in WAL mode with a busy timeout and IMMEDIATE transactions (aireport/settings.py);
this test posts through the real view from parallel threads, each with its own connection.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from comments.models import Comment
from tests.clients import BrowserClient

from .conftest import form_data

READERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_posts_all_arrive(report, post_url, settings, mailoutbox):
    settings.COMMENTS_MODERATOR_EMAILS = ["mod@example.org"]

    def post(number):
        try:
            response = BrowserClient().post(
                post_url,
                form_data(
                    author_name=f"Leser {number}",
                    author_email=f"leser{number}@example.org",
                    text=f"Gleichzeitiger Kommentar {number}.",
                ),
                REMOTE_ADDR=f"198.51.{number}.10",
            )
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        statuses = list(pool.map(post, range(READERS)))

    assert statuses == [302] * READERS
    texts = set(Comment.objects.values_list("text", flat=True))
    assert texts == {f"Gleichzeitiger Kommentar {n}." for n in range(READERS)}
    assert len(mailoutbox) == READERS

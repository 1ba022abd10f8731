"""The same comment posted from parallel threads at one moment is stored once, on SQLite and
PostgreSQL alike: the unique constraint decides, not the check before it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from comments.models import Comment
from tests.clients import BrowserClient

from .conftest import form_data

SAME_POSTS = 8


@pytest.mark.django_db(transaction=True)
def test_identical_posts_at_once_store_one_row(report, post_url, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    start = threading.Barrier(SAME_POSTS)
    data = form_data(text="Doppelklick.", author_email="erika@example.org")

    def post(_):
        try:
            start.wait()
            return BrowserClient().post(post_url, data, REMOTE_ADDR="198.51.100.7").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=SAME_POSTS) as pool:
        statuses = sorted(pool.map(post, range(SAME_POSTS)))

    assert statuses == [302] + [409] * (SAME_POSTS - 1)
    assert Comment.objects.count() == 1

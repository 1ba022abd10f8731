"""Flood control decides once per post, for both of its keys (comments/flood.py).

A double click sends the same post twice (here six times) at the same moment, while the
machine is busy. Before, each request could win one key (email, network) and lose the other,
and all were refused: nothing was stored. Now every round stores exactly one comment."""

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.core.management import call_command
from django.db import connection

from comments.flood import claim_posting_slot
from comments.models import Comment
from tests.clients import BrowserClient

from .conftest import form_data

ROUNDS = 8
CLICKS = 6

#: Busy CPUs for the length of the test, never longer than a minute.
SPIN = "import time\nend = time.time() + 60\nwhile time.time() < end:\n    pass"


@pytest.fixture
def busy_machine():
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(2)]
    yield
    for spinner in spinners:
        spinner.kill()
        spinner.wait()


@pytest.fixture
def switching_often():
    """Threads switch every microsecond instead of every 5 ms: the steps of concurrent
    requests interleave as they do between processes on a loaded server."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.fixture
def shared_flood_store(settings, transactional_db):
    """The flood store as in production without Redis: the database's cache table."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "shared_cache",
        },
    }
    call_command("createcachetable", verbosity=0)


def post(post_url, _click=None, *, email, ip, text):
    try:
        return (
            BrowserClient()
            .post(
                post_url,
                form_data(author_name="Erika", author_email=email, text=text),
                REMOTE_ADDR=ip,
            )
            .status_code
        )
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_every_round_of_identical_concurrent_posts_stores_exactly_one(
    report, post_url, busy_machine, shared_flood_store, switching_often
):
    for round_ in range(ROUNDS):
        same = {"email": f"runde{round_}@example.org", "ip": f"198.51.100.{round_ + 1}"}
        text = f"Doppelklick in Runde {round_}."
        with ThreadPoolExecutor(max_workers=CLICKS) as pool:
            statuses = list(pool.map(partial(post, post_url, **same, text=text), range(CLICKS)))
        assert sorted(statuses)[0] == 302 and statuses.count(302) == 1, (round_, statuses)
        assert set(statuses) <= {302, 409, 429}
        assert Comment.objects.filter(text=text).count() == 1, round_


@pytest.mark.django_db(transaction=True)
def test_different_first_time_readers_posting_at_once_are_never_refused(
    report, post_url, busy_machine, shared_flood_store
):
    readers = 12
    with ThreadPoolExecutor(max_workers=readers) as pool:
        statuses = list(
            pool.map(
                lambda n: post(
                    post_url, email=f"neu{n}@example.org", ip=f"203.0.113.{n + 1}", text=f"Neu {n}."
                ),
                range(readers),
            )
        )
    assert statuses == [302] * readers
    assert Comment.objects.count() == readers


def claim_at_once(start: threading.Barrier, sender: dict, _thread: int) -> bool:
    start.wait()
    try:
        return bool(claim_posting_slot(**sender))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_of_identical_claims_at_the_same_instant_exactly_one_wins(
    shared_flood_store, switching_often
):
    """The decision itself, many rounds, every thread released at the same instant."""
    for round_ in range(30):
        start = threading.Barrier(CLICKS)

        sender = {"ip_address": f"192.0.2.{round_}", "email": f"r{round_}@example.org"}
        with ThreadPoolExecutor(max_workers=CLICKS) as pool:
            wins = list(pool.map(partial(claim_at_once, start, sender), range(CLICKS)))
        assert wins.count(True) == 1, (round_, wins)

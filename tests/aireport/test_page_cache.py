"""The article page is cached for anonymous readers without ever sharing what is personal.

Each reader still gets their own CSRF token and form timestamp, readers with cookies of their
own (a pending comment, remembered details, a session) get a fresh page, and a change by an
editor or a moderator shows at once.
"""

import gzip
import re
import zlib
from unittest import mock

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aireport.page_cache import _FINAL_DEFLATE_BLOCK, _stored_deflate_blocks
from comments.forms import TIMESTAMP_SALT
from comments.models import Comment
from reports.models import Report
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMESTAMP = re.compile(r'name="timestamp" value="([^"]+)"')


@pytest.fixture
def report(db):
    report = SectionFactory(report__slug="cached-report", body="First version.").report
    report.record_content_change()
    return report


def get(client, report, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(report.get_absolute_url(), **headers)
    return response, len(queries)


def comment_form(page: str, **fields) -> dict:
    return {
        "csrfmiddlewaretoken": TOKEN.search(page)[1],
        "timestamp": TIMESTAMP.search(page)[1],
        "text": "Ein Kommentar mit eigenem Token.",
        "author_name": "Erika Mustermann",
        "author_email": "erika@example.org",
        "author_url": "",
        "honeypot": "",
        "parent": "",
        **fields,
    }


def test_a_repeated_anonymous_visit_costs_one_query(report):
    first, rendering_queries = get(Client(), report)
    second, cached_queries = get(Client(), report)
    assert first.status_code == second.status_code == 200
    assert cached_queries == 1 < rendering_queries

    def shared_part(page):
        return TIMESTAMP.sub("", TOKEN.sub("", page.content.decode()))

    assert shared_part(first) == shared_part(second)


def test_every_new_reader_gets_a_csrf_cookie_and_a_token_that_fits_it(report, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    readers = [Client(enforce_csrf_checks=True) for _ in range(3)]
    pages = [get(reader, report)[0] for reader in readers]
    tokens = [TOKEN.search(page.content.decode())[1] for page in pages]
    assert all(settings.CSRF_COOKIE_NAME in page.cookies for page in pages)
    assert len(set(tokens)) == 3

    post_url = reverse("comments:post", kwargs={"slug": report.slug})
    for number, (reader, page) in enumerate(zip(readers, pages, strict=True)):
        response = reader.post(
            post_url,
            comment_form(page.content.decode(), author_email=f"leser{number}@example.org"),
            REMOTE_ADDR=f"198.51.100.{number + 1}",
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert Comment.objects.count() == 3


def test_a_cached_page_still_carries_a_fresh_form_timestamp(report):
    with mock.patch("comments.forms.time.time", return_value=1_900_000_000.0):
        first = get(Client(), report)[0].content.decode()
    with mock.patch("comments.forms.time.time", return_value=1_900_000_500.0):
        second, queries = get(Client(), report)
    assert queries == 1
    issued = [
        signing.loads(TIMESTAMP.search(page)[1], salt=TIMESTAMP_SALT)
        for page in (first, second.content.decode())
    ]
    assert issued == [1_900_000_000.0, 1_900_000_500.0]


@pytest.mark.parametrize("cookie", ["comments_own", "comment_author", "sessionid"])
def test_readers_with_cookies_of_their_own_always_get_a_fresh_page(report, cookie):
    get(Client(), report)  # fills the cache
    reader = Client()
    reader.cookies[cookie] = "something"
    response, queries = get(reader, report)
    assert queries > 1
    assert "private" in response["Cache-Control"]


def test_staff_get_a_fresh_page(report):
    get(Client(), report)
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    response, queries = get(staff, report)
    assert queries > 1
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


def test_a_form_error_is_shown_to_its_author_only(report):
    get(Client(), report)
    author = Client()
    page = get(author, report)[0].content.decode()
    failed = author.post(
        reverse("comments:post", kwargs={"slug": report.slug}),
        comment_form(page, text="Mein wertvoller Text", author_email="keine-adresse"),
    )
    assert failed.status_code == 400
    assert "Mein wertvoller Text" in failed.content.decode()
    assert "Mein wertvoller Text" not in get(Client(), report)[0].content.decode()


def test_an_editors_change_shows_at_once(report):
    assert "First version." in get(Client(), report)[0].content.decode()
    section = report.sections.get()
    section.body = "Second version."
    section.save()
    Report.objects.get(pk=report.pk).record_content_change()
    page = get(Client(), report)[0].content.decode()
    assert "Second version." in page and "First version." not in page


def test_conditional_get_answers_304_until_something_changes(report):
    reader = Client()
    first = get(reader, report)[0]
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]

    not_modified, queries = get(reader, report, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert queries == 1

    Comment.objects.create(
        report=report,
        status=Comment.Status.APPROVED,
        author_name="Neue Stimme",
        author_email="neu@example.org",
        text="Ein neuer Kommentar.",
    )
    changed = get(reader, report, HTTP_IF_NONE_MATCH=etag)[0]
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Neue Stimme" in changed.content.decode()


def test_the_etag_depends_on_the_readers_csrf_cookie(report):
    reader, other = Client(), Client()
    etag = get(reader, report)[0]["ETag"]
    get(other, report)  # the other reader has a CSRF cookie of their own
    response = get(other, report, HTTP_IF_NONE_MATCH=etag)[0]
    assert response.status_code == 200


def test_gzip_readers_get_the_same_page_compressed_with_their_own_token(report, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    identity = get(Client(), report)[0]
    reader = Client(enforce_csrf_checks=True, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    responses = [get(reader, report)[0] for _ in range(2)]
    for response in responses:
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert len(response.content) < len(identity.content) / 2
    # gzip.decompress checks the CRC and the length in the trailer.
    pages = [gzip.decompress(response.content).decode() for response in responses]
    plain = identity.content.decode()
    for page in pages:
        assert TIMESTAMP.sub("", TOKEN.sub("", page)) == TIMESTAMP.sub("", TOKEN.sub("", plain))
    assert responses[0]["ETag"] != identity["ETag"]

    posted = reader.post(
        reverse("comments:post", kwargs={"slug": report.slug}),
        comment_form(pages[1]),
        REMOTE_ADDR="198.51.100.9",
    )
    assert posted.status_code == 302
    assert Comment.objects.filter(author_email="erika@example.org").exists()


def test_long_fresh_values_become_several_stored_blocks():
    value = bytes(range(256)) * 300  # longer than one stored deflate block holds
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    assert inflater.decompress(_stored_deflate_blocks(value) + _FINAL_DEFLATE_BLOCK) == value
    assert inflater.eof

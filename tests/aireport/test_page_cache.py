"""The article page is one page for every anonymous reader: byte-identical, public, cacheable.

Readers with cookies of the app's own (a pending comment, remembered details, a session) or with
a query string the app reads get a fresh, private page; a change by an editor or a moderator
shows at once; a cache that is down or busy never makes a reader wait or fail.
"""

import gzip
import threading
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from reports.models import Report
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db):
    report = SectionFactory(report__slug="cached-report", body="First version.").report
    report.record_content_change()
    return report


def get(client, report, path_suffix="", **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(report.get_absolute_url() + path_suffix, **headers)
    return response, len(queries)


def test_every_anonymous_reader_gets_the_same_bytes_from_one_query(report):
    first, rendering_queries = get(Client(), report)
    second, cached_queries = get(Client(), report)
    assert first.status_code == second.status_code == 200
    assert cached_queries == 1 < rendering_queries
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert not first["ETag"].startswith("W/")


def test_the_shared_page_is_public_for_a_few_seconds_and_sets_no_cookie(report):
    for response in (get(Client(), report)[0], get(Client(), report)[0]):
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {
            "public",
            "max-age=0",
            f"s-maxage={settings.PAGE_CACHE_MAX_AGE}",
            f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}",
        }
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


def test_the_page_holds_no_token_and_no_per_reader_value(report):
    page = get(Client(), report)[0].content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert 'name="timestamp" id="id_timestamp"' in page or 'name="timestamp"' in page
    assert 'name="timestamp" value=' not in page


@pytest.mark.parametrize("cookie", settings.PAGE_CACHE_PRIVATE_COOKIES)
def test_readers_with_cookies_of_the_app_always_get_a_fresh_private_page(report, cookie):
    get(Client(), report)  # fills the cache
    reader = Client()
    reader.cookies[cookie] = "something"
    response, queries = get(reader, report)
    assert queries > 1
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize("cookie", ["_ga", "AWSALB", "_pk_id.1.1fff"])
def test_other_cookies_do_not_turn_the_cache_off(report, cookie):
    get(Client(), report)
    reader = Client()
    reader.cookies[cookie] = "something"
    response, queries = get(reader, report)
    assert queries == 1
    assert "public" in response["Cache-Control"]


def test_unknown_query_parameters_get_the_cached_page(report):
    clean = get(Client(), report)[0]
    for suffix in ("?utm_source=newsletter", "?x=random-1", "?x=random-2&fbclid=abc"):
        response, queries = get(Client(), report, suffix)
        assert queries == 1
        assert response.content == clean.content


def test_query_parameters_the_app_reads_get_a_fresh_private_page(report):
    get(Client(), report)
    comment = Comment.objects.create(
        report=report, author_name="Ada", author_email="ada@example.org", text="Antwort bitte."
    )
    comment.status = Comment.Status.APPROVED
    comment.save()
    response, queries = get(Client(), report, f"?replytocom={comment.pk}")
    assert queries > 1
    assert "private" in response["Cache-Control"]
    assert "Antworte auf den Kommentar von Ada" in response.content.decode()


def test_staff_get_a_fresh_page(report):
    get(Client(), report)
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    response, queries = get(staff, report)
    assert queries > 1
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


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

    not_modified, queries = get(reader, report, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert queries == 1
    assert "public" in not_modified["Cache-Control"]
    assert "Accept-Encoding" in not_modified["Vary"]

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


@pytest.mark.parametrize(
    ("accept_encoding", "compressed"),
    [
        ("gzip, deflate, br", True),
        ("GZIP", True),
        ("*", True),
        ("gzip;q=0.5, identity", True),
        ("gzip;q=0", False),
        ("gzip;q=0, *;q=1", False),
        ("br", False),
        ("identity", False),
        ("", False),
    ],
)
def test_gzip_only_for_readers_who_accept_it(report, accept_encoding, compressed):
    plain = get(Client(), report)[0]
    response = get(Client(), report, HTTP_ACCEPT_ENCODING=accept_encoding)[0]
    assert "Accept-Encoding" in response["Vary"]
    if compressed:
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert response["ETag"] != plain["ETag"]
    else:
        assert "Content-Encoding" not in response
        assert response.content == plain.content


def test_a_host_outside_allowed_hosts_is_refused_even_when_cached(report):
    get(Client(), report)
    response = Client().get(report.get_absolute_url(), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert not response.cookies


def test_a_cache_that_is_down_serves_the_page_uncached(report):
    from django.core.cache.backends.redis import RedisCache

    from .conftest import free_port

    closed = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {})  # nothing listens there
    with mock.patch("aireport.page_cache.cache", closed):
        responses = [get(Client(), report)[0] for _ in range(2)]
    assert [response.status_code for response in responses] == [200, 200]
    assert all("First version." in response.content.decode() for response in responses)


@pytest.mark.django_db(transaction=True)
def test_one_render_per_version_and_readers_never_wait_for_it(report):
    """While one request renders a new version, the others get the previous one at once."""
    old_page = get(Client(), report)[0].content
    Comment.objects.create(
        report=report,
        status=Comment.Status.APPROVED,
        author_name="Neue Stimme",
        author_email="neu@example.org",
        text="Ein neuer Kommentar.",
    )
    rendering, release = threading.Event(), threading.Event()
    renders = []
    from reports import views

    real_render = views.render_report

    def slow_render(*args, **kwargs):
        renders.append(1)
        rendering.set()
        release.wait(timeout=30)
        return real_render(*args, **kwargs)

    results = {}
    with mock.patch.object(views, "render_report", slow_render):

        def first_reader():
            results["first"] = Client().get(report.get_absolute_url())
            connection.close()

        thread = threading.Thread(target=first_reader)
        thread.start()
        assert rendering.wait(timeout=30)
        others = [Client().get(report.get_absolute_url()) for _ in range(3)]
        release.set()
        thread.join(timeout=30)

    assert len(renders) == 1
    assert all(response.content == old_page for response in others)
    assert "Neue Stimme" in results["first"].content.decode()
    assert "Neue Stimme" in Client().get(report.get_absolute_url()).content.decode()


def test_the_form_timestamp_is_never_cached(report):
    response = Client().get(reverse("comments:timestamp"))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

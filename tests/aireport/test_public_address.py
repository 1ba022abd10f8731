"""Every absolute link comes from SITE_URL, whatever Host a request names.

Shared pages are cached for everyone by path, so a request with another allowed host name
(`localhost`, here allowed in the test settings) must not leave that name in the cached copy:
Django's Feed, left alone, builds its links from the request's Host.
"""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import caches
from django.test import Client

from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory, SectionFactory

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_pages")]

SHARED_PAGES = [
    "/",
    "/berichte/one/",
    "/berichte/one/aenderungen/",
    "/berichte/one/kommentare/feed/",
    "/berichte/one/kommentare/antworten/{comment}/",
    "/feed/",
    "/impressum/",
    "/datenschutz/",
    "/diskussionsregeln/",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.fixture
def pages(settings):
    settings.SITE_URL = "https://www.example.org"
    for cache in ("default", "shared"):
        caches[cache].clear()
    report = ReportFactory(slug="one")
    ReportFactory(slug="two")
    SectionFactory(report=report, title="Interpretability", body="See [the lead](#lead).")
    comment = CommentFactory(report=report, text="Siehe https://www.example.org/feed/")
    CommentFactory(report=report, parent=comment)
    return [url.format(comment=comment.pk) for url in SHARED_PAGES]


def test_a_request_for_another_host_leaves_no_trace_in_any_shared_page(pages):
    poisoner, reader = Client(HTTP_HOST="localhost"), Client()

    for url in pages:
        # Twice, and with a query string, as an attacker would try to fill the cache.
        for path in (url, url, f"{url}?x=1"):
            answer = poisoner.get(path)
            assert answer.status_code == 200, path
            assert b"localhost" not in answer.content, path
        served = reader.get(url)
        assert served.status_code == 200, url
        assert b"localhost" not in served.content, url
        assert b"testserver" not in served.content, url


def test_feed_links_name_the_public_address(pages):
    response = Client(HTTP_HOST="localhost").get("/berichte/one/kommentare/feed/")

    feed = ET.fromstring(response.content)  # noqa: S314 - our own output
    links = {link.get("href") for link in feed.iter(f"{ATOM}link")}
    assert "https://www.example.org/berichte/one/#kommentare" in links
    assert "https://www.example.org/berichte/one/kommentare/feed/" in links  # rel="self"
    entries = [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
    assert entries and all(e.startswith("https://www.example.org/") for e in entries)

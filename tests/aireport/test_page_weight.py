"""The article page stays light: HTML, CSS and JavaScript together under 60 KB before
compression, counted as production ships the files (minified: aireport/storage.py), and nothing
but the one stylesheet holds up the first paint.

What each further comment adds is checked in tests/comments/test_comment_list.py
(test_markup_per_comment_stays_small), next to the comment markup it measures.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse

#: The issue's budget for the page without comments, in bytes before compression.
PAGE_BUDGET = 60_000
#: What makes a stylesheet pull in further files before the page can be drawn.
CSS_IMPORT = re.compile(rb"@import\b", re.IGNORECASE)


def download(client: Client, url: str) -> bytes:
    """The bytes a browser receives for `url` (whitenoise streams static files)."""
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def article(seeded_report):
    """The seed article as a first-time reader gets it, with no comments yet."""
    client = Client()
    html = download(client, seeded_report.get_absolute_url())
    return client, html, BeautifulSoup(html.decode(), "html.parser")


def test_html_css_and_javascript_together_stay_under_60_kb(article, production_static):
    client, html, page = article
    stylesheets = [link["href"] for link in page.select("link[rel~=stylesheet]")]
    scripts = [script["src"] for script in page.select("script[src]")]
    assert stylesheets and scripts  # the budget covers the files the page really loads

    root, hashed = production_static
    shipped = [
        (root / hashed[url.removeprefix(settings.STATIC_URL)]).read_bytes()
        for url in stylesheets + scripts
    ]

    assert len(html) + sum(map(len, shipped)) < PAGE_BUDGET


def test_only_the_one_stylesheet_blocks_rendering(article):
    client, _, page = article
    stylesheets = page.select("link[rel~=stylesheet]")
    assert len(stylesheets) == 1
    assert stylesheets[0].find_parent("head") is not None
    assert not CSS_IMPORT.search(download(client, stylesheets[0]["href"]))
    assert page.select("style") == []

    # JSON-LD (type="application/ld+json") is data for search engines, never run or waited for.
    scripts = page.select('script:not([type="application/ld+json"])')
    assert scripts
    for script in scripts:
        assert script.has_attr("src"), "inline script"
        assert script.has_attr("defer") or script.has_attr("async"), script["src"]


@pytest.mark.parametrize("route", ["reports:changes", "reports:cite", "comments:mine"])
def test_the_pages_few_readers_open_bring_their_own_stylesheet(seeded_report, route):
    """The changelog's, the citation page's and "Meine Kommentare"'s styles are not in the
    article's stylesheet (the budget above); those pages load static/css/pages.css."""
    kwargs = {} if route.startswith("comments:") else {"slug": seeded_report.slug}
    html = download(Client(), reverse(route, kwargs=kwargs)).decode()
    page = BeautifulSoup(html, "html.parser")
    hrefs = [link["href"] for link in page.select("head link[rel~=stylesheet]")]

    assert any("css/site" in href for href in hrefs)
    assert any("css/pages" in href for href in hrefs)

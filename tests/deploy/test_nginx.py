"""The site behind nginx with deploy/nginx/ (tests/deploy/conftest.py starts both)."""

import re

import pytest
from bs4 import BeautifulSoup


@pytest.fixture(scope="module")
def article_path(site):
    found = site.shell(
        "from reports.models import Report\nprint(Report.objects.get().get_absolute_url())"
    )
    return found.strip().splitlines()[-1]


def cache_status(response) -> str:
    return response.getheader("X-Cache-Status", "")


def test_the_second_anonymous_get_is_a_cache_hit_with_the_same_bytes(site, article_path):
    first = site.request("GET", article_path)
    second = site.request("GET", article_path)

    assert first.status == second.status == 200
    assert cache_status(second) == "HIT"
    assert second.body == first.body
    assert "public" in second.getheader("Cache-Control")
    assert second.getheader("Set-Cookie") is None


def test_a_load_balancer_or_analytics_cookie_does_not_turn_the_cache_off(site, article_path):
    site.request("GET", article_path)

    response = site.request(
        "GET", article_path, headers={"Cookie": "SERVERID=web1; _ga=GA1.2.123.456"}
    )

    assert cache_status(response) == "HIT"


@pytest.mark.parametrize(
    "cookie", ["sessionid", "csrftoken", "messages", "comments_own", "comment_author"]
)
def test_a_request_with_one_of_the_apps_cookies_gets_a_fresh_private_page(
    site, article_path, cookie
):
    site.request("GET", article_path)

    response = site.request(
        "GET", article_path, headers={"Cookie": f"_ga=GA1.2.3; {cookie}=irgendwas"}
    )

    assert response.status == 200
    assert cache_status(response) == "BYPASS"
    assert "private" in response.getheader("Cache-Control")


def test_the_cookie_names_are_the_apps_own(settings):
    """deploy/nginx/http.conf lists the cookies that make a page private, as the app does."""
    from tests.deploy.conftest import DEPLOY

    pattern = re.search(r"\(\?:((?:\w+\|?)+)\)=", (DEPLOY / "http.conf").read_text())

    assert set(pattern[1].split("|")) == set(settings.PAGE_CACHE_PRIVATE_COOKIES)


def test_a_query_string_passes_the_cache(site, article_path):
    site.request("GET", article_path)

    response = site.request("GET", article_path + "?replytocom=1")

    assert cache_status(response) == "BYPASS"


def test_gzip_and_identity_are_cached_apart_and_served_as_asked(site, article_path):
    plain = [site.request("GET", article_path) for _ in range(2)][-1]
    gzipped = [
        site.request("GET", article_path, headers={"Accept-Encoding": "gzip, deflate, br"})
        for _ in range(2)
    ][-1]

    assert cache_status(plain) == cache_status(gzipped) == "HIT"
    assert plain.getheader("Content-Encoding") is None
    assert gzipped.getheader("Content-Encoding") == "gzip"


def test_static_files_come_through_the_cache_marked_immutable(site, article_path):
    page = BeautifulSoup(site.request("GET", article_path).body, "html.parser")
    stylesheet = page.find("link", rel="stylesheet")["href"]

    site.request("GET", stylesheet)
    response = site.request("GET", stylesheet)

    assert response.status == 200
    assert cache_status(response) == "HIT"
    assert "immutable" in response.getheader("Cache-Control")


def test_the_health_check_is_never_answered_from_the_cache(site):
    responses = [site.request("GET", "/health/") for _ in range(2)]

    assert [r.status for r in responses] == [200, 200]
    assert "HIT" not in {cache_status(r) for r in responses}

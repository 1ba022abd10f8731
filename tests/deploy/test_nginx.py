"""The site behind nginx with deploy/nginx/ (tests/deploy/conftest.py starts both)."""

import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup

FLOOD_MESSAGE = "Du schickst deine Kommentare zu schnell ab."


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
    from tests.deploy.nginx import DEPLOY

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


# --- Posting through the proxy ----------------------------------------------------------
# Each test posts from its own loopback address (127.0.0.x): nginx sees a different client,
# and the app must too, through X-Forwarded-For (PROXY_COUNT=1).


def post_comment(site, article_path, *, text, email, source, headers=None):
    """Fill in the comment form as a browser with JavaScript does (the timestamp is fetched)."""
    page = BeautifulSoup(site.request("GET", article_path, source=source).body, "html.parser")
    form = page.find("form", class_="comment-form")
    data = {
        field["name"]: field.get("value", "")
        for field in form.find_all("input")
        if field.get("name") and field.get("type") != "checkbox"
    }
    data[form.find("textarea")["name"]] = text
    data[form.find("input", type="email")["name"]] = email
    data[form.find("input", autocomplete="name")["name"]] = "Leserin hinter nginx"
    data["timestamp"] = site.request("GET", form["data-timestamp-url"], source=source).body
    return site.request(
        "POST",
        form["action"].split("#")[0],
        body=urlencode(data),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "same-origin",
            **(headers or {}),
        },
        source=source,
    )


def own_cookie(response) -> str:
    cookie = next(
        value
        for name, value in response.getheaders()
        if name.lower() == "set-cookie" and value.startswith("comments_own=")
    )
    return cookie.split(";", 1)[0]


def test_a_comment_posted_through_the_proxy_is_shown_to_its_author_never_from_the_cache(
    site, article_path
):
    text = "Über nginx geschickt, wartet noch auf Freischaltung."

    posted = post_comment(
        site, article_path, text=text, email="nginx-1@example.org", source="127.0.0.11"
    )

    assert posted.status == 302
    preview = site.request(
        "GET", urlsplit(posted.getheader("Location"))._replace(scheme="", netloc="").geturl()
    )
    with_cookie = site.request("GET", article_path, headers={"Cookie": own_cookie(posted)})
    for own_page in (preview, with_cookie):
        assert cache_status(own_page) == "BYPASS"
        assert text in own_page.body.decode()
        assert "wartet auf Freischaltung" in own_page.body.decode()
    site.request("GET", article_path)
    anonymous = site.request("GET", article_path)
    assert cache_status(anonymous) == "HIT"
    assert text not in anonymous.body.decode()


def test_an_approved_comment_appears_for_everyone_once_the_cached_copy_expires(site, article_path):
    text = "Freigeschaltet: jetzt für alle sichtbar."
    posted = post_comment(
        site, article_path, text=text, email="nginx-2@example.org", source="127.0.0.12"
    )
    comment_id = int(parse_qs(urlsplit(posted.getheader("Location")).query)["unapproved"][0])
    site.request("GET", article_path)
    cached = site.request("GET", article_path)
    assert cache_status(cached) == "HIT"
    # The documented freshness: what the app sends (PAGE_CACHE_MAX_AGE, docs/performance.md).
    max_age = int(re.search(r"s-maxage=(\d+)", cached.getheader("Cache-Control"))[1])

    site.shell(
        "from comments.actions import change_status\n"
        "from comments.audit import Via\n"
        "from comments.models import Comment\n"
        f"change_status(Comment.objects.filter(pk={comment_id}), Comment.Status.APPROVED, "
        "user=None, via=Via.IMPORT)"
    )
    time.sleep(max_age + 1)
    # The first request after expiry may still get the previous copy (STALE) while nginx
    # fetches the new one in the background; the requests right after it get the new page.
    statuses = []
    for _ in range(10):
        page = site.request("GET", article_path)
        statuses.append(cache_status(page))
        if text in page.body.decode():
            break
        time.sleep(0.5)

    assert text in page.body.decode(), statuses
    assert text not in cached.body.decode()


def test_flood_control_behind_the_proxy_tells_readers_apart_and_ignores_forged_addresses(
    site, article_path
):
    first = post_comment(
        site,
        article_path,
        text="Erster Kommentar.",
        email="nginx-3@example.org",
        source="127.0.0.13",
    )
    # The same reader again at once, pretending to be someone else.
    again = post_comment(
        site,
        article_path,
        text="Zweiter Kommentar, gleich danach.",
        email="nginx-4@example.org",
        source="127.0.0.13",
        headers={"X-Forwarded-For": "198.51.100.99"},
    )
    # Another reader behind the same proxy (nginx connects to gunicorn from one address).
    other = post_comment(
        site,
        article_path,
        text="Ein anderer Leser.",
        email="nginx-5@example.org",
        source="127.0.0.14",
    )

    assert first.status == 302
    assert again.status == 429
    assert FLOOD_MESSAGE in again.body.decode()
    assert other.status == 302


def form_post(site, article_path, body: str, source: str):
    return site.request(
        "POST",
        article_path + "kommentieren/",
        body=body.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "same-origin",
        },
        source=source,
    )


def test_the_longest_comment_reaches_the_app_and_a_larger_body_is_refused(site, article_path):
    """A comment of the longest allowed text in 4-byte characters, percent-encoded, is answered
    by the app (here: the form again, text kept, because the email is missing)."""
    longest = "🙂" * 65525
    kept = form_post(site, article_path, urlencode({"text": longest}), source="127.0.0.21")
    too_large = form_post(site, article_path, "text=" + "x" * (1024 * 1024), source="127.0.0.22")

    assert kept.status == 400
    assert "🙂" * 100 in kept.body.decode()
    assert too_large.status == 413


def test_comment_posts_are_rate_limited_per_address(site, article_path):
    statuses = [
        form_post(site, article_path, "text=", source="127.0.0.23").status for _ in range(13)
    ]
    other_reader = form_post(site, article_path, "text=", source="127.0.0.24")

    # The app answers the empty form (400) for the burst, then nginx refuses (429).
    assert statuses[:11] == [400] * 11
    assert statuses[-1] == 429
    assert other_reader.status == 400


def test_readers_reports_are_rate_limited_per_address_like_comments(site):
    def report(source):
        return site.request(
            "POST",
            "/kommentare/999999/melden/",
            body=b"reason=insult",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Sec-Fetch-Site": "same-origin",
            },
            source=source,
        )

    statuses = [report("127.0.0.25").status for _ in range(13)]
    # The app answers (no such comment: 404) for the burst, then nginx refuses (429).
    assert statuses[:11] == [404] * 11
    assert statuses[-1] == 429
    assert report("127.0.0.26").status == 404


def test_a_request_naming_another_host_leaves_no_trace_in_the_cached_pages_or_feeds(
    site, article_path
):
    """nginx keys its cache by host, the app's page cache by path: a request for `localhost`
    (an allowed host here) fills both, and readers of the real address must not get its links."""
    slug = article_path.strip("/").split("/")[-1]
    pages = [article_path, "/feed/", f"/berichte/{slug}/kommentare/feed/", "/sitemap.xml"]
    for path in pages:
        for attempt in (path, path, f"{path}?x=1"):
            poisoned = site.request("GET", attempt, headers={"Host": "localhost"})
            assert poisoned.status == 200, attempt
            assert b"localhost" not in poisoned.body, attempt
        served = site.request("GET", path)
        assert served.status == 200, path
        assert b"localhost" not in served.body, path
        assert site.url.encode() in served.body, path


def test_the_discussion_counter_is_cached_for_every_reader_cookies_or_not(site, article_path):
    """comments/live.py: asked by every reader every 30 s or so, answered from nginx's copy,
    also for readers who bring the app's own cookies."""
    counter = article_path + "kommentare/stand/"
    first = site.request("GET", counter)
    assert first.status == 200 and first.getheader("Content-Type") == "application/json"
    with_cookies = site.request(
        "GET", counter, headers={"Cookie": "comments_own=irgendwas; csrftoken=x"}
    )
    assert cache_status(with_cookies) == "HIT"
    assert with_cookies.body == first.body
    assert "public" in with_cookies.getheader("Cache-Control")

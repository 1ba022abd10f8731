"""Random junk in the report's address never makes the server fail (no 500).

A browser or a bot can send any bytes: every Unicode character, NUL, lone surrogates (as
their invalid UTF-8 bytes), broken percent escapes and very long values.
"""

from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

#: Percent escapes a careless client or an attacker might send.
ODD_ESCAPES = st.sampled_from(
    ["", "%", "%z", "%4", "%C3", "%C3%28", "%ED%A0%80", "%00", "%FF%FE", "%%", "%2F", "%2e%2e"]
)

#: Any bytes: random ones, or any text (lone surrogates included) as UTF-8 would carry it.
ANY_BYTES = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

MEGABYTE = b"a" * 1_000_000


def fetch(path_and_query: str):
    response = Client().get(path_and_query)
    return response.status_code


@pytest.fixture
def report_url(seeded_report):
    return seeded_report.get_absolute_url()


@pytest.mark.django_db
@FUZZ
@given(slug=ANY_BYTES, odd=ODD_ESCAPES)
@example(slug=b"\x00", odd="")
@example(slug="\ud800".encode("utf-8", "surrogatepass"), odd="%ED%A0%80")
@example(slug=MEGABYTE[:100_000], odd="")
def test_any_slug_gives_a_page_or_not_found(slug, odd):
    status = fetch(f"/berichte/{quote_from_bytes(slug, safe='')}{odd}/")

    assert status in (200, 301, 302, 400, 404)


@pytest.mark.django_db
@FUZZ
@given(key=ANY_BYTES, value=ANY_BYTES, odd=ODD_ESCAPES)
@example(key=b"q", value=MEGABYTE, odd="")
@example(key=b"\x00", value="\udfff".encode("utf-8", "surrogatepass"), odd="%")
def test_any_query_string_still_shows_the_article(report_url, key, value, odd):
    query = f"{quote_from_bytes(key, safe='')}={quote_from_bytes(value, safe='')}{odd}"

    status = fetch(f"{report_url}?{query}&{query}")

    assert status == 200


@pytest.mark.django_db
def test_junk_in_the_query_is_ignored_and_a_junk_slug_is_not_found(report_url):
    """A real slug with a junk query string is the article, a junk slug is "not found"."""
    assert fetch(f"{report_url}?%ED%A0%80=%00") == 200
    assert fetch("/berichte/%ED%A0%80%00/") == 404

"""Ticking "speichern" remembers name, email and website for a year; not ticking forgets them."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_flood_control(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def form_on(client, report):
    return BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")


def test_ticked_box_sets_a_cookie_for_about_a_year(post_comment):
    response = post_comment(remember="on", author_url="https://erika.example.org")
    cookie = response.cookies["comment_author"]
    assert cookie.value
    assert 360 * 86400 <= int(cookie["max-age"]) <= 370 * 86400
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_next_time_the_form_is_filled_in(post_comment, client, report):
    post_comment(remember="on", author_url="https://erika.example.org")
    page = form_on(client, report)
    assert page.select_one("#id_author_name")["value"] == "Erika Mustermann"
    assert page.select_one("#id_author_email")["value"] == "erika@example.org"
    assert page.select_one("#id_author_url")["value"] == "https://erika.example.org"
    assert page.select_one("#id_remember").has_attr("checked")
    assert page.select_one("#id_text").get_text().strip() == ""


def test_without_the_tick_no_cookie_and_no_prefill(post_comment, client, report):
    response = post_comment()
    assert (
        not response.cookies.get("comment_author") or not response.cookies["comment_author"].value
    )
    page = form_on(client, report)
    assert not page.select_one("#id_author_name").get("value")
    assert not page.select_one("#id_remember").has_attr("checked")


def test_without_the_tick_an_earlier_cookie_is_removed(post_comment, client, report):
    post_comment(remember="on")
    response = post_comment(text="Diesmal ohne Haken.")
    removed = response.cookies["comment_author"]
    assert removed.value == "" and removed["max-age"] == 0
    assert not form_on(client, report).select_one("#id_author_name").get("value")


def test_a_tampered_cookie_is_ignored(client, report):
    client.cookies["comment_author"] = "eyJhdXRob3JfbmFtZSI6Ik1hbGxvcnkifQ:forged:sig"
    assert not form_on(client, report).select_one("#id_author_name").get("value")

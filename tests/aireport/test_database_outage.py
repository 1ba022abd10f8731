"""While the database is out of reach, a reader gets a German 503 that keeps what they sent.

Without this page Django answers 500 ("Da ist etwas schiefgegangen") and the comment is gone;
the real outage (PostgreSQL stopped under two app servers) is in tests/deploy/test_cluster.py.
"""

from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError
from django.urls import reverse

from tests.clients import BrowserClient as Client
from tests.comments.conftest import form_data
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def post_while_the_database_is_down(data):
    report = ReportFactory(slug="bericht")
    url = reverse("comments:post", kwargs={"slug": report.slug})
    outage = OperationalError('connection to server at "127.0.0.1" failed: Connection refused')
    # The report is read first, so that is where an outage shows.
    with mock.patch("comments.views.get_object_or_404", side_effect=outage):
        response = Client(raise_request_exception=False).post(url, data, REMOTE_ADDR="203.0.113.9")
    return url, response


def test_a_comment_sent_during_an_outage_comes_back_to_send_again_with_its_text():
    text = "Gut"  # shorter than the name: the form's own text field is still the one shown
    url, response = post_while_the_database_is_down(
        form_data(text=text, author_name="Erika Mustermann", author_email="erika@example.org")
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    page = BeautifulSoup(response.content, "html.parser")
    assert "Wir können gerade nichts speichern (503)" in page.h1.text
    assert "nicht gespeichert" in page.text
    form = page.find("form", class_="kept-form")
    assert form["action"] == url
    assert form.find("textarea", attrs={"name": "text"}).text == text
    sent_again = {field["name"]: field["value"] for field in form.find_all("input")}
    assert sent_again["author_name"] == "Erika Mustermann"
    assert sent_again["author_email"] == "erika@example.org"
    assert "timestamp" in sent_again
    assert "Erika Mustermann · erika@example.org" in page.text


def test_markup_in_the_kept_text_is_shown_as_text():
    _, response = post_while_the_database_is_down(form_data(text="<script>alert(1)</script> x"))

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; x" in response.content


def test_a_page_read_during_an_outage_says_to_reload_not_that_the_site_is_broken():
    report = ReportFactory(slug="bericht")
    outage = OperationalError("server closed the connection unexpectedly")
    with mock.patch("reports.views.get_object_or_404", side_effect=outage):
        response = Client(raise_request_exception=False).get(report.get_absolute_url())

    assert response.status_code == 503
    assert "Bitte lade die Seite in ein paar Sekunden neu" in response.content.decode()
    assert b"<form" not in response.content.split(b"<main")[1]


def test_any_other_error_is_still_a_500():
    report = ReportFactory(slug="bericht")
    url = reverse("comments:post", kwargs={"slug": report.slug})
    with mock.patch("comments.views.get_object_or_404", side_effect=RuntimeError("a bug")):
        response = Client(raise_request_exception=False).post(url, form_data())

    assert response.status_code == 500

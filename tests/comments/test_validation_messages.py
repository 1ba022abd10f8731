"""Every mistake gets a German message by the field and in the summary; nothing typed is lost."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment

pytestmark = pytest.mark.django_db


def page_of(response):
    return BeautifulSoup(response.content, "html.parser")


def field_error(page, field_id):
    error = page.select_one(f"#{field_id}-error")
    return error.get_text() if error else None


def summary(page):
    return [" ".join(li.get_text().split()) for li in page.select(".form-errors li")]


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"author_name": ""}, "id_author_name", "Bitte gib deinen Namen ein."),
        ({"author_email": ""}, "id_author_email", "Bitte gib deine E-Mail-Adresse ein."),
        (
            {"author_email": "erika(at)example"},
            "id_author_email",
            "Bitte gib eine gültige E-Mail-Adresse ein.",
        ),
        ({"text": ""}, "id_text", "Bitte gib deinen Kommentartext ein."),
        ({"text": "  \n\t \r\n "}, "id_text", "Bitte gib deinen Kommentartext ein."),
        ({"text": "x" * 65526}, "id_text", "Dein Kommentar ist zu lang."),
        (
            {"text": "Hallo\x00Welt"},
            "id_text",
            "Bitte entferne die unzulässigen Steuerzeichen (Nullzeichen).",
        ),
        (
            {"author_name": "Eri\x00ka"},
            "id_author_name",
            "Bitte entferne die unzulässigen Steuerzeichen (Nullzeichen).",
        ),
        ({"author_name": "E" * 246}, "id_author_name", "Dein Name ist zu lang."),
        (
            {"author_email": "e" * 90 + "@example.org"},
            "id_author_email",
            "Deine E-Mail-Adresse ist zu lang.",
        ),
        (
            {"author_url": "javascript:alert(1)"},
            "id_author_url",
            "Bitte gib eine gültige Website-Adresse ein, die mit http:// oder https:// beginnt.",
        ),
        (
            {"author_url": "ftp://example.org/"},
            "id_author_url",
            "Bitte gib eine gültige Website-Adresse ein, die mit http:// oder https:// beginnt.",
        ),
        (
            {"author_url": "https://example.org/" + "a" * 200},
            "id_author_url",
            "Die Adresse deiner Website ist zu lang.",
        ),
    ],
)
def test_message_beside_the_field_and_in_the_summary(post_comment, fields, field_id, message):
    response = post_comment(**fields)
    assert response.status_code == 400
    page = page_of(response)
    assert field_error(page, field_id) == message
    assert any(entry.endswith(message) for entry in summary(page))
    assert page.select_one(f"#{field_id}")["aria-invalid"] == "true"
    assert f"{field_id}-error" in page.select_one(f"#{field_id}")["aria-describedby"]
    assert Comment.objects.count() == 0


def test_summary_links_to_each_field(post_comment):
    page = page_of(post_comment(author_name="", author_email="", text=""))
    links = [a["href"] for a in page.select(".form-errors a")]
    assert links == ["#id_text", "#id_author_name", "#id_author_email"]
    assert summary(page) == [
        "Bitte fülle die Pflichtfelder aus.",
        "Kommentar: Bitte gib deinen Kommentartext ein.",
        "Name: Bitte gib deinen Namen ein.",
        "E-Mail-Adresse: Bitte gib deine E-Mail-Adresse ein.",
    ]


def test_one_missing_field_gets_its_own_message_only(post_comment):
    """The plural "Pflichtfelder" only when more than one is missing."""
    page = page_of(post_comment(author_name=""))
    assert summary(page) == ["Name: Bitte gib deinen Namen ein."]
    assert "Pflichtfelder aus" not in page.get_text()


def test_everything_typed_comes_back(post_comment):
    typed = "Mein langer Gedanke <b>mit</b> Zeilen\nund Absätzen.\n\nEnde & aus."
    response = post_comment(
        text=typed,
        author_name="Jürgen „Jo“ Groß",
        author_email="kein-at-zeichen",
        author_url="https://jo.example.org/",
        remember="on",
    )
    page = page_of(response)
    # Browsers drop the newline right after <textarea>, as Django's widget writes it.
    assert page.select_one("#id_text").get_text().removeprefix("\n") == typed
    assert page.select_one("#id_author_name")["value"] == "Jürgen „Jo“ Groß"
    assert page.select_one("#id_author_email")["value"] == "kein-at-zeichen"
    assert page.select_one("#id_author_url")["value"] == "https://jo.example.org/"
    assert page.select_one("#id_remember").has_attr("checked")


def test_error_page_is_the_report_page_and_not_cached(post_comment, report):
    response = post_comment(text="")
    page = page_of(response)
    assert page.select_one("h1").get_text() == report.title
    assert "no-cache" in response["Cache-Control"]


def test_website_without_scheme_becomes_https(post_comment):
    response = post_comment(author_url="erika.example.org")
    assert response.status_code == 302
    assert Comment.objects.get().author_url == "https://erika.example.org"


def test_reply_to_unknown_comment_is_refused(post_comment):
    response = post_comment(parent="999")
    assert response.status_code == 400
    assert "Auf diesen Kommentar kann nicht geantwortet werden." in summary(page_of(response))


def test_get_leads_back_to_the_form(client, post_url, report):
    """A reloaded or shared address of a form with errors is not a dead end (was a 405)."""
    response = client.get(post_url)
    assert response.status_code == 303
    assert response["Location"] == f"{report.get_absolute_url()}#kommentarformular"
    assert client.get(post_url, follow=True).status_code == 200


def test_other_methods_are_still_refused(client, post_url):
    assert client.put(post_url).status_code == 405


def test_post_without_csrf_token_is_refused(post_url, report):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(post_url, {"text": "Hallo"})
    assert response.status_code == 403
    assert Comment.objects.count() == 0

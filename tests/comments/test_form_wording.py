"""The form reads exactly like a German WordPress comment form."""

import re

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_html(client, report):
    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")
    return page.select_one("#kommentarformular")


def label_text(form_html, field_id):
    return " ".join(form_html.select_one(f"label[for={field_id}]").get_text().split())


def test_heading_notes_and_button(form_html):
    assert form_html.select_one("h2#antworten .reply-title-text").get_text() == (
        "Schreibe einen Kommentar"
    )
    notes = " ".join(form_html.select_one(".comment-notes").get_text().split())
    assert notes == (
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Mehr dazu in der "
        "Datenschutzerklärung. Es gelten unsere Diskussionsregeln. "
        "Deine bisherigen Kommentare und die Antworten darauf: Meine Kommentare. "
        "Erforderliche Felder sind mit * markiert"
    )
    assert form_html.select_one(".comment-notes .required").get_text() == "*"
    assert form_html.select_one("button[type=submit]").get_text() == "Kommentar abschicken"


def test_labels_with_styled_required_marker(form_html):
    assert label_text(form_html, "id_text") == "Kommentar *"
    assert label_text(form_html, "id_author_name") == "Name *"
    assert label_text(form_html, "id_author_email") == "E-Mail-Adresse *"
    assert label_text(form_html, "id_author_url") == "Website"
    assert label_text(form_html, "id_remember") == (
        "Name, E-Mail-Adresse und Website in diesem Browser für meinen nächsten Kommentar "
        "speichern."
    )
    for field_id in ("id_text", "id_author_name", "id_author_email"):
        marker = form_html.select_one(f"label[for={field_id}] span.required")
        assert marker.get_text() == "*"
    assert form_html.select_one("label[for=id_author_url] .required") is None


def test_required_autocomplete_and_model_limits(form_html):
    text = form_html.select_one("textarea#id_text")
    assert text.has_attr("required") and text["maxlength"] == "65525"
    name = form_html.select_one("#id_author_name")
    assert name.has_attr("required") and name["maxlength"] == "245"
    assert name["autocomplete"] == "name"
    email = form_html.select_one("#id_author_email")
    assert email["type"] == "email" and email.has_attr("required")
    assert email["maxlength"] == "100" and email["autocomplete"] == "email"
    url = form_html.select_one("#id_author_url")
    assert url["type"] == "url" and not url.has_attr("required")
    assert url["maxlength"] == "200" and url["autocomplete"] == "url"
    assert form_html.select_one("#id_remember")["type"] == "checkbox"


def test_security_fields_are_present_but_hidden_from_people(form_html):
    # Empty on the shared page: the script fetches a signed timestamp when the reader types.
    assert not form_html.select_one("input[type=hidden][name=timestamp]").get("value")
    assert form_html.select_one("form")["data-timestamp-url"] == "/kommentare/zeitstempel/"
    honeypot = form_html.select_one("#id_honeypot")
    assert honeypot["tabindex"] == "-1"
    assert honeypot.find_parent(class_="comment-form-hp")["aria-hidden"] == "true"


def test_form_posts_to_the_comment_view_without_a_token(form_html, report):
    """Protected by Fetch Metadata instead (aireport/fetch_metadata.py): the page is shared."""
    form = form_html.select_one("form")
    assert form["method"] == "post"
    assert re.fullmatch(rf"/berichte/{report.slug}/kommentieren/#kommentarformular", form["action"])
    assert form.select_one("input[name=csrfmiddlewaretoken]") is None


def test_no_inline_styles_or_scripts_in_the_discussion(client, report):
    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")
    discussion = page.select_one("section.discussion")
    assert discussion.select("[style]") == []
    assert discussion.select("style") == []
    # JSON-LD in the head is data for search engines, not a script (tests/publication).
    scripts = page.select('script:not([type="application/ld+json"])')
    assert all(script.get("src") for script in scripts)

"""German error pages in the site's layout, with the right status codes."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.urls("tests.aireport.error_urls"), pytest.mark.django_db]


def assert_site_layout(html: str) -> None:
    assert '<html lang="de">' in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
    assert '<a href="/">Zur Startseite</a>' in html


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/kaputt/400/", 400, "Ungültige Anfrage (400)"),
        ("/kaputt/403/", 403, "Zugriff verweigert (403)"),
        ("/gibt-es-nicht/", 404, "Seite nicht gefunden (404)"),
        ("/berichte/gibt-es-nicht/", 404, "Seite nicht gefunden (404)"),
        ("/kaputt/500/", 500, "Da ist etwas schiefgegangen (500)"),
    ],
)
def test_each_error_has_its_german_page(path, status, heading):
    client = Client(raise_request_exception=False)

    response = client.get(path)

    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert_site_layout(html)
    assert "Content-Security-Policy" in response


def test_a_form_sent_without_its_csrf_cookie_explains_that_cookies_are_needed():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/{settings.ADMIN_URL}login/", {"username": "redakteurin", "password": "geheim"}
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "Das Formular konnte nicht geprüft werden (403)" in html
    assert "braucht das Formular ein Cookie dieser Website" in html
    assert "Bitte erlaube Cookies" in html
    assert_site_layout(html)


def test_a_form_with_its_csrf_token_passes_the_same_check():
    """The CSRF page above appears because the token was missing, not for every post."""
    client = Client(enforce_csrf_checks=True)
    form = client.get(f"/{settings.ADMIN_URL}login/")
    token = form.cookies[settings.CSRF_COOKIE_NAME].value

    response = client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": "redakteurin", "password": "geheim", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 200
    assert "Passwort für einen Staff-Account eingeben" in response.content.decode()

"""Security headers and cookie flags on the site's pages, with production's HTTPS settings."""

import pytest
from django.conf import settings

from tests.factories import UserFactory

#: Every kind of page the site serves: article, start page, error page, health, admin.
PAGES = ["article", "/", "/gibt-es-nicht/", "/health/", "admin_login"]

UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*", "http:"}


def page_url(name: str, report) -> str:
    if name == "article":
        return report.get_absolute_url()
    if name == "admin_login":
        return f"/{settings.ADMIN_URL}login/"
    return name


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def cookie_flags(response, name: str) -> dict:
    morsel = response.cookies[name]
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


@pytest.fixture
def report(seeded_report):
    return seeded_report


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_the_security_headers(client, report, https_on, name):
    response = client.get(page_url(name, report), secure=True)

    assert response.status_code in (200, 302, 404)
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    hsts = response["Strict-Transport-Security"]
    assert hsts == "max-age=63072000; includeSubDomains; preload"


def test_csp_allows_no_inline_or_eval_code_for_scripts_and_styles(client, report):
    directives = csp_directives(client.get(report.get_absolute_url()))

    for directive in ("default-src", "script-src", "style-src"):
        assert not UNSAFE_SOURCES & set(directives[directive]), directive
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]


def test_csp_forbids_framing_plugins_base_changes_and_foreign_form_targets(client, report):
    directives = csp_directives(client.get(report.get_absolute_url()))

    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


def test_the_article_loads_its_script_and_styles_from_files_not_inline(client, report):
    html = client.get(report.get_absolute_url()).content.decode()

    assert "<script src=" in html
    assert "<script>" not in html
    assert "<style" not in html
    assert ' style="' not in html
    assert " onclick=" not in html


def test_no_hsts_over_plain_http_when_https_is_off(client, report):
    """Test and development settings have HTTPS off: no HSTS that would lock a browser out."""
    response = client.get(report.get_absolute_url())

    assert "Strict-Transport-Security" not in response
    assert response.status_code == 200


def test_plain_http_is_redirected_permanently_to_https_on_the_same_host(client, report, https_on):
    response = client.get(report.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{report.get_absolute_url()}"


def test_the_health_check_answers_over_plain_http(client, db, https_on):
    """Load balancers probe the app server directly over http; a redirect means "down"."""
    response = client.get("/health/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_cookies_are_secure_httponly_and_same_site(client, https_on):
    UserFactory(username="redakteurin", is_staff=True, is_superuser=True)
    login_url = f"/{settings.ADMIN_URL}login/"

    form = client.get(login_url, secure=True)
    assert cookie_flags(form, "csrftoken") == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }
    logged_in = client.post(
        login_url,
        {"username": "redakteurin", "password": "correct horse battery staple"},
        secure=True,
    )
    assert logged_in.status_code == 302
    assert cookie_flags(logged_in, "sessionid") == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }


def test_without_https_cookies_are_not_marked_secure(client, db):
    """The flag follows HTTPS, so a development server over http keeps working."""
    response = client.get(f"/{settings.ADMIN_URL}login/")

    assert cookie_flags(response, "csrftoken")["secure"] is False

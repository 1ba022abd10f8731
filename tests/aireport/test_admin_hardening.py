"""The admin: a configurable address, throttled password guessing, sessions that end."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from aireport.proxies import ipware_settings
from tests.factories import UserFactory

from .conftest import production_env, run_django

PASSWORD = "correct horse battery staple"


def login_url() -> str:
    return f"/{settings.ADMIN_URL}login/?next=/{settings.ADMIN_URL}"


def log_in(client, username: str, password: str):
    return client.post(login_url(), {"username": username, "password": password})


@pytest.fixture
def editor(db):
    return UserFactory(username="redakteurin", is_staff=True, is_superuser=True)


def test_the_admin_lives_at_the_configured_path():
    result = run_django(
        "from django.urls import resolve, reverse, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/')\nexcept Resolver404:\n    print('no /admin/')\n",
        production_env(ADMIN_URL="/redaktion-7f3k/"),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["/redaktion-7f3k/", "no /admin/"]


def test_the_default_admin_login_page_is_german(client, db):
    response = client.get(login_url())

    assert response.status_code == 200
    assert "Anmelden" in response.content.decode()


def test_the_correct_password_is_refused_after_too_many_failures(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "redakteurin", "falsch")
        assert response.status_code == 200  # the form again, with its error
    locked = log_in(client, "redakteurin", "falsch")
    assert locked.status_code == 429

    response = log_in(client, "redakteurin", PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in page
    assert f"Nach {settings.AXES_FAILURE_LIMIT} falschen Passwörtern" in page
    assert "Bitte versuche es in 1\xa0Stunde wieder." in page
    assert '<link rel="stylesheet"' in page
    assert "_auth_user_id" not in client.session


def test_one_failure_less_than_the_limit_still_lets_the_editor_in(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "redakteurin", "falsch")

    response = log_in(client, "redakteurin", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_lockout_does_not_shut_out_other_accounts(client, editor):
    UserFactory(username="moderator", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "redakteurin", "falsch")

    response = log_in(client, "moderator", PASSWORD)

    assert response.status_code == 302


def test_the_admin_session_cookie_ends_with_the_browser(client, editor):
    response = log_in(client, "redakteurin", PASSWORD)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_the_admin_session_expires_on_the_server_after_its_age(client, editor):
    log_in(client, "redakteurin", PASSWORD)
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 200
    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)

    with mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=later):
        response = client.get(f"/{settings.ADMIN_URL}")

    assert response.status_code == 302
    assert response["Location"].startswith(f"/{settings.ADMIN_URL}login/")


def test_an_admin_session_lasts_eight_hours_by_default():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.fixture
def behind_one_proxy(settings):
    """Settings as production computes them with PROXY_COUNT=1 (nginx in front)."""
    for name, value in ipware_settings(1).items():
        setattr(settings, name, value)


def test_behind_a_proxy_a_lockout_shuts_out_only_the_guessing_client(
    client, editor, behind_one_proxy
):
    """Both readers come through the same proxy (REMOTE_ADDR); only X-Forwarded-For differs."""
    guesser = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    colleague = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.40"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url(), {"username": "redakteurin", "password": "falsch"}, **guesser)

    locked = client.post(login_url(), {"username": "redakteurin", "password": PASSWORD}, **guesser)
    let_in = client.post(
        login_url(), {"username": "redakteurin", "password": PASSWORD}, **colleague
    )

    assert locked.status_code == 429
    assert let_in.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@pytest.mark.parametrize(("proxy_count", "expected"), [("1", "198.51.100.7"), ("0", "127.0.0.1")])
def test_login_throttling_counts_the_address_the_proxy_saw_only_behind_a_proxy(
    proxy_count, expected
):
    """With PROXY_COUNT=0 a client could send any X-Forwarded-For; it must be ignored."""
    result = run_django(
        "from axes.helpers import get_client_ip_address\n"
        "from django.test import RequestFactory\n"
        "from aireport.proxies import client_ip\n"
        "request = RequestFactory().get('/', REMOTE_ADDR='127.0.0.1',"
        " HTTP_X_FORWARDED_FOR='198.51.100.7')\n"
        "print(get_client_ip_address(request), client_ip(request))",
        production_env(PROXY_COUNT=proxy_count),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"{expected} {expected}"


def test_a_successful_login_leaves_no_address_behind(client, editor):
    from axes.models import AccessLog

    assert log_in(client, "redakteurin", PASSWORD).status_code == 302
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/admin/", "/\\evil.example", "javascript:alert(1)"],
)
def test_a_login_with_an_unsafe_next_lands_on_the_admin_index(client, editor, next_url):
    response = client.post(
        f"{login_url()}?next={next_url}",
        {"username": "redakteurin", "password": PASSWORD, "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/{settings.ADMIN_URL}"
    assert client.get(response["Location"]).status_code == 200


def test_a_login_with_a_safe_next_goes_there(client, editor):
    target = f"/{settings.ADMIN_URL}reports/report/"

    response = client.post(
        f"{login_url()}?next={target}",
        {"username": "redakteurin", "password": PASSWORD, "next": target},
    )

    assert response["Location"] == target

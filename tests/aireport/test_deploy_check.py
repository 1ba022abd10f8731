"""`manage.py check --deploy` with production settings reports nothing."""

import subprocess
import sys

import pytest
from django.conf import settings

from .conftest import production_env, run_django


def manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=production_env(**env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def production_database(tmp_path_factory):
    """A migrated production database: the legal pages exist, still with their placeholders."""
    url = f"sqlite:///{tmp_path_factory.mktemp('deploy') / 'db.sqlite3'}"
    migrated = manage("migrate", "--noinput", DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr
    return url


def fill_in_legal_pages(database_url: str) -> None:
    result = run_django(
        "from legal.models import LegalPage, PLACEHOLDER\n"
        "for page in LegalPage.objects.all():\n"
        "    page.body = page.body.replace(PLACEHOLDER, 'Erika Mustermann')\n"
        "    page.save()\n",
        production_env(DATABASE_URL=database_url),
    )
    assert result.returncode == 0, result.stderr


def run_deploy_check(**env_overrides: str) -> subprocess.CompletedProcess:
    return manage("check", "--deploy", "--fail-level", "DEBUG", **env_overrides)


def test_the_deploy_check_warns_while_a_legal_page_is_not_filled_in(production_database):
    result = run_deploy_check(DATABASE_URL=production_database)

    assert result.returncode != 0
    assert "legal.W001" in result.stderr
    assert "Die Seite „Impressum“ enthält noch „[bitte ausfüllen]“." in result.stderr
    assert "Die Seite „Datenschutzerklärung“ enthält noch „[bitte ausfüllen]“." in result.stderr


def test_production_settings_pass_the_deploy_check_without_any_message(production_database):
    fill_in_legal_pages(production_database)

    result = run_deploy_check(DATABASE_URL=production_database)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_the_deploy_check_does_complain_when_https_is_off():
    """Proves the check above can fail: without HTTPS, HSTS and secure cookies are missing."""
    result = run_deploy_check(HTTPS="false")
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # SECURE_HSTS_SECONDS
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name"),
    ],
)
def test_production_refuses_to_start_without_a_real_key_and_hosts(override, message):
    result = run_deploy_check(**override)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize("email_url", ["consolemail://", "dummymail://", "filemail:///tmp/mail"])
def test_production_refuses_mail_that_is_never_delivered(email_url):
    """Moderators' emails hold readers' addresses and texts; printed, they end up in the log."""
    result = run_deploy_check(EMAIL_URL=email_url, ALLOW_CONSOLE_EMAIL="false")

    assert result.returncode != 0
    assert "EMAIL_URL must name a mail server" in result.stderr


def test_printed_mail_can_be_allowed_explicitly_and_a_mail_server_needs_no_permission():
    allowed = run_deploy_check(EMAIL_URL="consolemail://", ALLOW_CONSOLE_EMAIL="true")
    server = run_deploy_check(
        EMAIL_URL="smtp+tls://aireport:geheim@mail.example.org:587", ALLOW_CONSOLE_EMAIL="false"
    )

    assert allowed.returncode == 0, allowed.stderr
    assert server.returncode == 0, server.stderr


def test_development_may_print_mail():
    result = run_deploy_check(DEBUG="true", EMAIL_URL="consolemail://", ALLOW_CONSOLE_EMAIL="false")

    assert "EMAIL_URL must name a mail server" not in result.stderr

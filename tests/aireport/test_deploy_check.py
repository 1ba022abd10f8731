"""`manage.py check --deploy` with production settings reports nothing."""

import subprocess
import sys

import pytest
from django.conf import settings

from .conftest import production_env


def run_deploy_check(**env_overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=settings.BASE_DIR,
        env=production_env(**env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_without_any_message():
    result = run_deploy_check()
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

import json
import os
import secrets
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production server: DEBUG off, a real key, a host name, HTTPS on."""
    # settings_test.py puts its own values into os.environ; production has none of them.
    test_only = {"DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    test_only.add("ALLOW_CONSOLE_EMAIL")
    test_only.add("DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {key: value for key, value in os.environ.items() if key not in test_only}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "aireport.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "www.example.org",
            "CSRF_TRUSTED_ORIGINS": "https://www.example.org",
            "SITE_URL": "https://www.example.org",
            "HTTPS": "true",
            # Mail printed instead of sent: these processes send none that anyone reads.
            "EMAIL_URL": "consolemail://",
            "ALLOW_CONSOLE_EMAIL": "true",
        }
    )
    env.update(overrides)
    return env


def run_django(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Runs Python code after django.setup() in a fresh process with the given environment."""
    return subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Runs a manage.py command in a fresh process with the given environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


#: Settings whose production value depends on HTTPS being on.
HTTPS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
)


@pytest.fixture(scope="session")
def production_https_settings() -> dict:
    """The HTTPS-related settings exactly as aireport/settings.py computes them in production."""
    result = run_django(
        "import json\nfrom django.conf import settings\n"
        f"print(json.dumps({{name: getattr(settings, name) for name in {HTTPS_SETTINGS!r}}}))",
        production_env(),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def https_on(settings, production_https_settings):
    """The test settings switched to production's HTTPS behaviour."""
    for name, value in production_https_settings.items():
        setattr(settings, name, value)
    return settings


#: Ports for servers the tests start themselves (gunicorn, redis-server), all on 127.0.0.1.
PORTS = range(8300, 8400)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 8300 and 8399")


def wait_for_port(port: int, process: subprocess.Popen, seconds: float) -> None:
    """Until the server started as `process` accepts connections, it exits, or time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)

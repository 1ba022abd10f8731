"""scripts/serve PORT: the development site's SITE_URL, and so every link in its emails,
follows the port (scripts/dev-site-url), unless SITE_URL is set on purpose: then a warning."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SCRIPT = settings.BASE_DIR / "scripts" / "dev-site-url"


def dev_site_url(port: str, *, cwd, site_url: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    if site_url is not None:
        env["SITE_URL"] = site_url
    return subprocess.run(
        ["bash", str(SCRIPT), port], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )


def test_without_a_site_url_it_follows_the_port(tmp_path):
    (tmp_path / ".env").write_text("# Written by scripts/serve\nDEBUG=true\n")

    result = dev_site_url("9201", cwd=tmp_path)

    assert result.stdout.strip() == "http://127.0.0.1:9201"
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("source", "fix"),
    [("environment", "unset SITE_URL"), ("dotenv", "Ändere in .env die Zeile SITE_URL=")],
)
def test_a_site_url_set_on_purpose_for_another_port_is_kept_with_a_warning(tmp_path, source, fix):
    chosen = "http://127.0.0.1:8000"
    if source == "dotenv":
        (tmp_path / ".env").write_text(f"DEBUG=true\nSITE_URL='{chosen}'\n")

    result = dev_site_url(
        "9201", cwd=tmp_path, site_url=chosen if source == "environment" else None
    )

    assert result.stdout.strip() == chosen
    assert "läuft aber auf Port 9201" in result.stderr
    assert "Links in E-Mails" in result.stderr
    assert fix in result.stderr
    assert "http://127.0.0.1:9201" in result.stderr


def test_a_site_url_on_the_same_port_is_kept_quietly(tmp_path):
    (tmp_path / ".env").write_text("SITE_URL=http://192.0.2.5:9201\n")

    result = dev_site_url("9201", cwd=tmp_path)

    assert result.stdout.strip() == "http://192.0.2.5:9201"
    assert result.stderr == ""


def test_serve_exports_it_before_the_worker_and_the_server_start():
    serve = (settings.BASE_DIR / "scripts" / "serve").read_text()

    exported = serve.index("export SITE_URL")
    assert 'SITE_URL="$(bash scripts/dev-site-url "$port")"' in serve
    assert exported < serve.index("task_worker") < serve.index("runserver")


def test_the_settings_take_the_exported_address():
    """An exported variable wins over .env (django-environ's read_env), so the worker's
    emails link to the served port."""
    code = "from django.conf import settings\nprint(settings.SITE_URL)"
    env = {**os.environ, "SITE_URL": "http://127.0.0.1:9201", "DEBUG": "true"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:9201"

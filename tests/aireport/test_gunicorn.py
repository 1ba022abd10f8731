"""The production application server: gunicorn with aireport/gunicorn_conf.py."""

import json
import os
import runpy
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import free_port, manage, production_env, wait_for_port

CONFIG = Path(settings.BASE_DIR) / "aireport" / "gunicorn_conf.py"


def load_config(monkeypatch, **env: str) -> dict:
    for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults_suit_one_machine_behind_a_reverse_proxy(monkeypatch):
    config = load_config(monkeypatch)

    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] == 2 * os.cpu_count() + 1
    assert config["threads"] == 1
    assert config["accesslog"] == "-"
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert config["wsgi_app"] == "aireport.wsgi:application"


def test_the_environment_sets_address_workers_threads_and_trusted_proxies(monkeypatch):
    config = load_config(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:8080",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="4",
        FORWARDED_ALLOW_IPS="10.0.0.2",
    )

    assert (config["bind"], config["workers"], config["threads"]) == ("0.0.0.0:8080", 3, 4)
    assert config["forwarded_allow_ips"] == "10.0.0.2"


@pytest.fixture
def gunicorn_server(tmp_path):
    port = free_port()
    env = production_env(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp_path),
        PROXY_COUNT="1",
    )
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage(env, "migrate", "--noinput")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(CONFIG)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_port(port, server, seconds=30)
    yield server, f"http://127.0.0.1:{port}"
    if server.poll() is None:
        server.terminate()
    server.wait(timeout=30)


def test_gunicorn_serves_the_site_and_logs_json_lines_to_stdout(gunicorn_server):
    server, base_url = gunicorn_server

    with urllib.request.urlopen(f"{base_url}/health/", timeout=10) as response:
        status, body = response.status, json.load(response)
    server.terminate()
    stdout, stderr = server.communicate(timeout=30)

    assert (status, body["status"]) == (200, "ok")
    records = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    assert stderr == ""
    assert any(
        record["logger"] == "gunicorn.access" and '"GET /health/ HTTP/1.1" 200' in record["message"]
        for record in records
    )
    assert any("Listening at" in record["message"] for record in records)


def test_the_access_log_keeps_only_shortened_addresses_and_no_browser_details(gunicorn_server):
    """As in the database: IPv4 to /24, IPv6 to /48; no user agent, referrer or query."""
    server, base_url = gunicorn_server
    for address in ("198.51.100.23", "2001:db8:abcd:12::99"):
        request = urllib.request.Request(
            f"{base_url}/health/?name=Petra-Privat",
            headers={
                "X-Forwarded-For": address,
                "User-Agent": "Geheimbrowser/1.0 (Petras Laptop)",
                "Referer": "https://example.net/petra-privat",
            },
        )
        urllib.request.urlopen(request, timeout=10).close()
    server.terminate()
    stdout, _ = server.communicate(timeout=30)

    access = [
        record["message"]
        for record in map(json.loads, filter(str.strip, stdout.splitlines()))
        if record["logger"] == "gunicorn.access"
    ]
    assert [line.split(" ", 1)[0] for line in access] == ["198.51.100.0", "2001:db8:abcd::"]
    assert all('"GET /health/ HTTP/1.1" 200' in line for line in access)
    for secret in ("198.51.100.23", ":12::99", "Geheimbrowser", "Petra"):
        assert secret not in stdout

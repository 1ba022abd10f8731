"""The load balancer's health check (`/health/`): 503 only when the database cannot serve
readers; a cache outage degrades the site and is reported with a 200 (docs/deployment.md)."""

import json

import pytest
from django.db import connection

from .conftest import free_port, manage, production_env, run_django

REDIS = "django.core.cache.backends.redis.RedisCache"


def health_in_process(client):
    """Status and body, without the task queue's figures (shown by the first test)."""
    response = client.get("/health/")
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    body.pop("tasks", None)
    return response.status_code, body


@pytest.mark.django_db
def test_health_is_ok_when_database_and_cache_work(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "tasks": {
            "waiting": 0,
            "running": 0,
            "stuck": 0,
            "failed_last_hour": 0,
            "oldest_waiting_seconds": 0,
        },
    }


@pytest.mark.django_db
def test_a_cache_on_a_closed_port_is_reported_but_the_site_stays_in_service(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": REDIS, "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }

    assert health_in_process(client) == (
        200,
        {"status": "ok", "database": "ok", "cache": "unavailable"},
    )


@pytest.mark.django_db
def test_a_redis_stopped_while_the_site_runs_is_reported_and_its_return_noticed(
    client, settings, redis_server
):
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": redis_server.url}}
    assert health_in_process(client)[1]["cache"] == "ok"

    redis_server.stop()
    stopped = health_in_process(client)
    redis_server.start()
    back = health_in_process(client)

    assert stopped == (200, {"status": "ok", "database": "ok", "cache": "unavailable"})
    assert back == (200, {"status": "ok", "database": "ok", "cache": "ok"})


@pytest.fixture
def read_only_database(transactional_db):
    """The test database refuses writes, as a read-only file or a standby would."""
    on, off = (
        ("PRAGMA query_only = ON", "PRAGMA query_only = OFF")
        if connection.vendor == "sqlite"
        else ("SET default_transaction_read_only = on", "SET default_transaction_read_only = off")
    )
    with connection.cursor() as cursor:
        cursor.execute(on)
    yield
    with connection.cursor() as cursor:
        cursor.execute(off)


def test_a_database_that_refuses_writes_is_unhealthy(client, read_only_database):
    assert health_in_process(client) == (
        503,
        {"status": "error", "database": "read-only", "cache": "ok"},
    )


def test_an_unreachable_database_is_unhealthy():
    """A PostgreSQL server that does not answer (nothing listens on the port)."""
    result = health_in_subprocess(
        production_env(
            DATABASE_URL=f"postgres://aireport:aireport@127.0.0.1:{free_port()}/aireport"
        )
    )
    assert result == (503, {"status": "error", "database": "unreachable", "cache": "ok"})


# --- SQLite's file -----------------------------------------------------------------------


def health_in_subprocess(env, before: str = "", between: str = "") -> tuple:
    """GET /health/ in a fresh production process; `between` runs after a first GET."""
    code = f"""
import json, os
from pathlib import Path
from django.db import connection
from django.test import Client
client = Client(HTTP_HOST="www.example.org")
{before}
response = client.get("/health/")
{between}
if {bool(between)!r}:
    response = client.get("/health/")
print("RESULT " + json.dumps([response.status_code, response.json()]))
"""
    result = run_django(code, env)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    status, body = json.loads(line.removeprefix("RESULT "))
    body.pop("tasks", None)
    return status, body


@pytest.fixture
def sqlite_env(tmp_path):
    path = tmp_path / "db.sqlite3"
    return path, production_env(DATABASE_URL=f"sqlite:///{path}", CACHE_URL="locmemcache://")


def test_migrate_creates_the_database_file_on_a_fresh_machine(sqlite_env):
    path, env = sqlite_env

    manage(env, "migrate", "--noinput")

    assert path.is_file()
    assert health_in_subprocess(env) == (200, {"status": "ok", "database": "ok", "cache": "ok"})


def test_the_site_never_creates_a_missing_database_file(sqlite_env):
    path, env = sqlite_env

    status, body = health_in_subprocess(env)

    assert (status, body["database"]) == (503, "missing")
    assert not path.exists()
    result = run_django("from django.db import connection\nconnection.ensure_connection()", env)
    assert "unable to open database file" in result.stderr
    assert not path.exists()


def test_a_database_file_moved_away_while_running_is_unhealthy_and_not_recreated(sqlite_env):
    path, env = sqlite_env
    manage(env, "migrate", "--noinput")

    status, body = health_in_subprocess(
        env,
        before="assert client.get('/health/').status_code == 200",
        between=f"os.rename({str(path)!r}, {str(path)!r} + '.weg')\n"
        "first = client.get('/health/')\n"
        "assert first.status_code == 503, first.content\n"
        # The next request opens a new connection, as a worker does after CONN_MAX_AGE.
        "connection.close()",
    )

    assert (status, body) == (503, {"status": "error", "database": "missing", "cache": "ok"})
    assert not path.exists()


def test_a_database_without_the_schema_is_unhealthy(sqlite_env):
    """An empty file: what plain SQLite used to leave behind after the file was moved away."""
    path, env = sqlite_env
    path.touch()

    assert health_in_subprocess(env) == (
        503,
        {"status": "error", "database": "incomplete", "cache": "ok"},
    )

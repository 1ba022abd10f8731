"""The load balancer's health check and the JSON log lines on stdout."""

import json
import logging
import sys
from unittest import mock

import pytest
from django.db import OperationalError, connection

from aireport.log_format import JsonFormatter

from .conftest import production_env, run_django


@pytest.mark.django_db
def test_health_reports_ok_when_the_database_answers(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "tasks": {"waiting": 0, "oldest_waiting_seconds": 0},
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_reports_503_when_the_database_fails(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    assert "no-store" in response["Cache-Control"]


def test_a_log_record_with_a_traceback_is_one_json_line():
    try:
        raise ValueError("Zeile eins\nZeile zwei")
    except ValueError:
        record = logging.getLogger("aireport").makeRecord(
            "aireport", logging.ERROR, __file__, 1, "Fehler bei %s", ("ä/ö",), sys.exc_info()
        )
    record.status_code = 500

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "aireport"
    assert entry["message"] == "Fehler bei ä/ö"
    assert entry["status"] == 500
    assert "ValueError: Zeile eins\nZeile zwei" in entry["exception"]


def test_production_logs_go_to_stdout_one_json_object_per_line():
    result = run_django(
        "import logging\n"
        "logging.getLogger('django.request').warning('Not Found: %s', '/x', "
        "extra={'status_code': 404})\n"
        "logging.getLogger('aireport').error('zwei\\nZeilen')\n",
        production_env(),
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    without_time = [{key: value for key, value in e.items() if key != "time"} for e in entries]
    assert {
        "level": "WARNING",
        "logger": "django.request",
        "message": "Not Found: /x",
        "status": 404,
    } in without_time
    assert entries[-1]["message"] == "zwei\nZeilen"

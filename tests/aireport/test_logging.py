"""The JSON log lines on stdout."""

import json
import logging
import sys

import pytest
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from aireport.log_format import JSON_FORMATTER

from .conftest import manage, production_env, run_django


def test_a_log_record_with_a_traceback_is_one_json_line():
    try:
        raise ValueError("Zeile eins\nZeile zwei")
    except ValueError:
        record = logging.getLogger("aireport").makeRecord(
            "aireport", logging.ERROR, __file__, 1, "Fehler bei %s", ("ä/ö",), sys.exc_info()
        )
    record.status_code = 500

    options = {key: value for key, value in JSON_FORMATTER.items() if key != "()"}
    line = JsonFormatter(**options).format(record)

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


@pytest.mark.django_db
def test_failed_logins_are_logged_with_a_shortened_address_and_no_browser(client, caplog):
    caplog.set_level(logging.INFO)

    client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": "redakteurin", "password": "falsch"},
        REMOTE_ADDR="198.51.100.23",
        HTTP_USER_AGENT="Geheimbrowser/1.0",
    )

    axes_lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("198.51.100.0" in line and "redakteurin" in line for line in axes_lines)
    assert "198.51.100.23" not in caplog.text
    assert "Geheimbrowser" not in caplog.text


def test_a_command_whose_output_is_data_prints_only_the_data(tmp_path):
    """docs/privacy.md: `manage.py export_personal_data ADDRESS > erika.json`. The log shares
    stdout with the commands, so a start-up log line would spoil the reader's file."""
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'leer.sqlite3'}")
    manage(env, "migrate", "--noinput")

    exported = manage(env, "export_personal_data", "erika@example.org").stdout

    assert json.loads(exported)["email"] == "erika@example.org"

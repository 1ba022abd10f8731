"""The JSON log lines on stdout."""

import json
import logging
import sys

from aireport.log_format import JsonFormatter

from .conftest import production_env, run_django


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

"""A worker killed (kill -9) while it sends an email: the task does not stay RUNNING for ever.

Real processes, a real SQLite file and a mail server that accepts the connection and never
answers: the first worker hangs in the middle of the send and is killed; /health/ reports the
task as stuck; a new worker takes it back and the email is sent, once (aireport/worker.py)."""

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings

from tests.aireport.conftest import free_port, manage, production_env, run_django

STUCK_AFTER = 3


class SilentMailServer:
    """Accepts connections and never says a word (a mail server that hangs)."""

    def __init__(self):
        self.port = free_port()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.connected = threading.Event()
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(connection)
            self.connected.set()

    def close(self):
        for connection in self.held:
            connection.close()
        self.listener.close()


def worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "task_worker", "--no-reload", "--no-startup-delay"]
        + ["--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


HEALTH = (
    "import json\nfrom django.test import Client\n"
    "response = Client().get('/health/', HTTP_HOST='www.example.org', secure=True)\n"
    "print(json.dumps(response.json()))"
)
REPORT_A_COMMENT = """
from comments.models import Comment
from comments.notices import submit_notice
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory
comment = CommentFactory(report=ReportFactory(), status=Comment.Status.APPROVED)
submit_notice(comment=comment, reason="insult", explanation="Beleidigend.", reporter_email="")
"""


def health(env) -> dict:
    result = run_django(HEALTH, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_worker_killed_in_the_middle_of_a_send_leaves_no_mail_behind(tmp_path):
    silent = SilentMailServer()
    outbox = tmp_path / "outbox"
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        EMAIL_URL=f"smtp://127.0.0.1:{silent.port}",
        EMAIL_TIMEOUT="120",
        COMMENTS_MODERATOR_EMAILS="moderation@example.org",
        TASKS_STUCK_AFTER_SECONDS=str(STUCK_AFTER),
        TASKS_HEARTBEAT_SECONDS="0.5",
    )
    env.pop("CACHE_URL", None)
    manage(env, "migrate", "--verbosity", "0")
    created = run_django(REPORT_A_COMMENT, env)
    assert created.returncode == 0, created.stderr

    first = worker(env)
    try:
        assert silent.connected.wait(30), "the worker never reached the mail server"
        # Alive, only slow: its heartbeat keeps the task its own past the limit.
        time.sleep(STUCK_AFTER + 1)
        alive = health(env)
        assert alive["tasks"]["running"] == 1 and alive["tasks"]["stuck"] == 0
        assert alive["status"] == "ok"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
        silent.close()

    time.sleep(STUCK_AFTER + 1)
    stuck = health(env)
    assert stuck["status"] == "degraded"
    assert stuck["tasks"]["stuck"] == 1 and stuck["tasks"]["running"] == 1

    # The mail server is back (here: mail written to files, one per message).
    # (django-environ reads the path after the third slash: an absolute one needs a fourth.)
    manage({**env, "EMAIL_URL": f"filemail:///{outbox}"}, "task_worker", "--batch")

    mails = [path.read_text() for path in Path(outbox).iterdir()]
    assert len(mails) == 1
    assert "Subject: =?utf-8?q?Kommentar_gemeldet" in mails[0]
    after = health(env)
    assert after["status"] == "ok"
    assert after["tasks"]["stuck"] == 0 and after["tasks"]["running"] == 0

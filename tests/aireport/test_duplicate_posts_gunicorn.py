"""A double click, or the same form sent from two tabs at once, stores the comment once.

Several gunicorn workers each check for a duplicate before they insert, so two identical
requests arriving together could both pass the check; the database's unique constraint on
(report, normalised email + text) lets only one row in, and the other worker answers with
"Doppelter Kommentar entdeckt" (409). Flood control is switched off here, so that the
database alone is shown (flood control per worker process would not stop it anyway).
"""

import http.client
import sqlite3
import subprocess
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from .conftest import free_port, production_env, run_django, wait_for_port
from .test_gunicorn import CONFIG

WORKERS = 4
SAME_POSTS = 12
DUPLICATE = "Doppelter Kommentar entdeckt"


@pytest.fixture
def gunicorn_with_workers(tmp_path):
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    database = tmp_path / "db.sqlite3"
    env = production_env(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(WORKERS),
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="false",
        SITE_URL=origin,
        CSRF_TRUSTED_ORIGINS=origin,
        STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"sqlite:///{database}",
        COMMENTS_FLOOD_SECONDS="0",
    )
    prepared = run_django(
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from reports.models import Report\n"
        "Report.objects.create(title='AI Safety', slug='ai-safety', status='published')\n",
        env,
    )
    assert prepared.returncode == 0, prepared.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(CONFIG)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_port(port, server, seconds=30)
    yield port, database
    server.terminate()
    server.wait(timeout=30)


def request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode()
    finally:
        connection.close()


def test_identical_posts_at_the_same_moment_store_one_comment(gunicorn_with_workers):
    port, database = gunicorn_with_workers
    status, headers, page = request(port, "GET", "/berichte/ai-safety/")
    assert status == 200
    form = BeautifulSoup(page, "html.parser").select_one("form.comment-form")
    fields = {
        field["name"]: field.get("value", "")
        for field in form.select("input[name]")
        if field.get("type") == "hidden"
    }
    fields.update(
        text="Ein Gedanke, zweimal abgeschickt.",
        author_name="Erika Mustermann",
        author_email="erika@example.org",
        author_url="",
    )
    cookies = "; ".join(
        value.split(";", 1)[0] for name, value in headers if name.lower() == "set-cookie"
    )
    post_headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://127.0.0.1:{port}",
        "Referer": f"http://127.0.0.1:{port}/berichte/ai-safety/",
        "Sec-Fetch-Site": "same-origin",
        "Cookie": cookies,
    }
    body = urllib.parse.urlencode(fields)
    start = threading.Barrier(SAME_POSTS)

    def post(_):
        start.wait()
        return request(port, "POST", form["action"].split("#")[0], body, post_headers)

    with ThreadPoolExecutor(max_workers=SAME_POSTS) as pool:
        responses = list(pool.map(post, range(SAME_POSTS)))

    statuses = sorted(status for status, _, _ in responses)
    assert statuses == [302] + [409] * (SAME_POSTS - 1), statuses
    assert all(DUPLICATE in page for status, _, page in responses if status == 409)
    with sqlite3.connect(database) as db:
        (rows,) = db.execute("SELECT count(*) FROM comments_comment").fetchone()
    assert rows == 1

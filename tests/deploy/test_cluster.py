"""The several-machines shape (scripts/cluster): two app servers, a worker, PostgreSQL and Redis
behind nginx, and what readers and moderators notice when one part after the other fails.

One cluster serves the whole module (starting it takes seconds, each test minutes otherwise);
the tests run in file order, the ones that break parts last. Everything listens on 127.0.0.1 in
its own port range (18100–18199) and its own folder; only the cluster's own processes are
stopped, by the PIDs it wrote down. Without PostgreSQL, Redis or nginx the module is skipped
locally and fails in CI (.ci/run). About 2.5 minutes on two shared cores, 40 s of it the
first `up` (initdb, migrate, collectstatic).
"""

import concurrent.futures
import http.client
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from tests.aireport.conftest import manage
from tests.browser.conftest import open_page
from tests.deploy.conftest import Site
from tests.deploy.nginx import nginx_binary
from tests.deploy.test_nginx import FLOOD_MESSAGE, post_comment
from tests.tooling import tool_unavailable

ROOT = Path(settings.BASE_DIR)
#: Short freshness, so that the tests can wait for it: what the app sends as s-maxage and
#: stale-while-revalidate, and what nginx obeys.
MAX_AGE, STALE = 2, 3
ADMIN_PASSWORD = "Cluster-Passwort-2026!"  # noqa: S105 - a throw-away account


def load_cluster_module():
    spec = importlib.util.spec_from_file_location("cluster", ROOT / "scripts" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_ports(count: int) -> list[int]:
    """Ports of the cluster's own range that nobody listens on (other tests use 8300–8399)."""
    found = []
    for port in range(18100, 18200):
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError("not enough free ports between 18100 and 18199")


class AppServer(Site):
    """One app server, asked directly: as nginx would, it says who the client is."""

    def request(self, method="GET", path="/", *, headers=None, body=None, source="127.0.0.1"):
        headers = {"X-Forwarded-For": source, **(headers or {})}
        return super().request(method, path, headers=headers, body=body, source=source)


@dataclass
class Cluster:
    parts: object  # scripts/cluster.py's Cluster: PIDs, ports, folder
    env: dict
    nginx: Site
    apps: dict = field(default_factory=dict)

    def command(self, *args: str) -> str:
        result = subprocess.run(
            ["bash", "scripts/cluster", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, code: str) -> str:
        return manage(self.parts.app_env(), "shell", "-c", code).stdout.strip().splitlines()[-1]

    def kill(self, part: str) -> None:
        """kill -9 of the part and everything it started: a machine that dies."""
        pid = self.parts.pid(part)
        assert pid is not None, f"{part} is not running"
        os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self.parts.pid(part) is not None and time.monotonic() < deadline:
            time.sleep(0.05)

    def requests_served(self, part: str) -> int:
        """GETs in the app server's access log (it keeps growing over restarts)."""
        return self.parts.log_file(part).read_bytes().count(b'"GET ')


@pytest.fixture(scope="module")
def cluster():
    missing = [
        name
        for name, present in {
            "nginx": nginx_binary(),
            "redis-server": shutil.which("redis-server"),
            "postgresql": list(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        }.items()
        if not present
    ]
    if missing:
        tool_unavailable(f"{', '.join(missing)} missing (scripts/bootstrap postgresql)")
    # Not under pytest's own temporary folder: as root, PostgreSQL runs as `postgres`, who
    # may not enter it.
    folder = Path(tempfile.mkdtemp(prefix="aireport-cluster-test-"))
    shutil.rmtree(folder)
    nginx_port, app1, app2, postgres, redis = free_ports(5)
    test_only = {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS"}
    env = {key: value for key, value in os.environ.items() if key not in test_only}
    env.update(
        CLUSTER_DIR=str(folder),
        CLUSTER_NGINX_PORT=str(nginx_port),
        CLUSTER_APP1_PORT=str(app1),
        CLUSTER_APP2_PORT=str(app2),
        CLUSTER_POSTGRES_PORT=str(postgres),
        CLUSTER_REDIS_PORT=str(redis),
        # The form's timestamp is fetched right before posting; no waiting in these tests.
        COMMENTS_MIN_SECONDS="0",
        PAGE_CACHE_MAX_AGE=str(MAX_AGE),
        PAGE_CACHE_STALE_SECONDS=str(STALE),
        AXES_FAILURE_LIMIT="3",
    )
    parts = load_cluster_module().Cluster(environ=env)
    running = Cluster(parts, env, Site(parts.url, nginx_port, env, folder / "nginx" / "error.log"))
    try:
        started = time.monotonic()
        output = running.command("up")
        assert parts.url in output
        print(f"cluster up in {time.monotonic() - started:.1f} s")
        for name in ("app1", "app2"):
            running.apps[name] = AppServer(parts.app_url(name), parts.ports[name], env, None)
        yield running
    finally:
        running.command("down")
        assert all(state["pid"] is None for state in parts.status().values())
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def article_path(cluster):
    return cluster.shell(
        "from reports.models import Report\nprint(Report.objects.get().get_absolute_url())"
    )


@pytest.fixture(scope="module")
def admin_user(cluster):
    cluster.shell(
        "from django.contrib.auth.models import User\n"
        f"User.objects.create_superuser('chefin', 'chefin@example.org', {ADMIN_PASSWORD!r})\n"
        "print('ok')"
    )
    return "chefin"


class AdminBrowser:
    """A staff member's browser on one app server: cookies, CSRF token, forms as sent."""

    def __init__(self, server: AppServer):
        self.base = server.url
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def open(self, path: str, data: list | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = Request(self.base + path, data=body, headers={"X-Forwarded-For": "127.0.0.1"})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, username: str, password: str):
        login = f"/{settings.ADMIN_URL}login/"
        _, page = self.open(login)
        return self.open(
            login, [*form_fields(page, "login-form"), *credentials(username, password)]
        )


def credentials(username, password):
    return [("username", username), ("password", password), ("next", f"/{settings.ADMIN_URL}")]


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser sends for the form as it stands: inputs, checked boxes, text areas,
    selected options (submit buttons are added by the caller)."""
    form = BeautifulSoup(page, "html.parser").find("form", id=form_id)
    sent = []
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            sent.append((name, element.text.removeprefix("\n")))
        elif element.name == "select":
            chosen = element.find_all("option", selected=True)
            if not chosen and not element.has_attr("multiple"):
                chosen = element.find_all("option")[:1]
            sent.extend((name, option.get("value", option.text)) for option in chosen)
        else:
            kind = element.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                continue
            if kind in ("checkbox", "radio") and not element.has_attr("checked"):
                continue
            sent.append((name, element.get("value", "on" if kind == "checkbox" else "")))
    return sent


def comment_id(response) -> int:
    location = response.getheader("Location")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    if "unapproved" in query:
        return int(query["unapproved"][0])
    return int(re.search(r"#c(\d+)$", location)[1])


def stored(cluster, texts) -> dict[str, int]:
    """How often each text is stored."""
    found = cluster.shell(
        "import json\nfrom comments.models import Comment\n"
        f"texts = {list(texts)!r}\n"
        "print(json.dumps({t: Comment.objects.filter(text=t).count() for t in texts}))"
    )
    import json

    return json.loads(found)


def wait_for(predicate, seconds: float, step: float = 0.2):
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


# --- Two servers, one site ---------------------------------------------------------------


def test_the_cluster_reports_each_part_running(cluster):
    status = cluster.command("status")

    for part in ("postgres", "redis", "app1", "app2", "worker", "nginx"):
        assert re.search(rf"^{part}\s+running, PID \d+", status, re.MULTILINE), status
    health = cluster.nginx.request("GET", "/health/")
    assert health.status == 200
    assert b'"database": "ok"' in health.body
    assert b'"cache": "ok"' in health.body


def test_an_approval_on_one_server_shows_through_nginx_and_on_the_other_within_s_maxage(
    cluster, article_path, admin_user
):
    app1, app2 = cluster.apps["app1"], cluster.apps["app2"]
    text = "Freigegeben auf Server 1, sichtbar überall."
    posted = post_comment(app2, article_path, text=text, email="c1@example.org", source="127.1.0.1")
    assert posted.status == 302
    pk = comment_id(posted)
    # Both app servers' page cache (shared, in Redis) and nginx's hold the page without it.
    for server in (app1, app2, cluster.nginx, cluster.nginx):
        assert text not in server.request("GET", article_path).body.decode()
    moderator = AdminBrowser(app1)
    moderator.log_in(admin_user, ADMIN_PASSWORD)
    changelist = f"/{settings.ADMIN_URL}comments/comment/"
    _, page = moderator.open(changelist + "?status__exact=pending")

    status, _ = moderator.open(
        changelist,
        [
            *[(n, v) for n, v in form_fields(page, "changelist-form") if n != "action"],
            ("action", "approve"),
            ("_selected_action", pk),
        ],
    )
    approved_at = time.monotonic()

    assert status == 200
    assert text in app2.request("GET", article_path).body.decode()
    assert text in app1.request("GET", article_path).body.decode()
    shown = wait_for(
        lambda: text in cluster.nginx.request("GET", article_path).body.decode(),
        seconds=MAX_AGE + STALE + 2,
    )
    assert shown
    assert time.monotonic() - approved_at <= MAX_AGE + 2


def test_flood_control_counts_across_both_servers(cluster, article_path):
    first = post_comment(
        cluster.apps["app1"],
        article_path,
        text="Zuerst.",
        email="f1@example.org",
        source="127.2.0.1",
    )
    # The same reader at once, on the other server, with another address.
    again = post_comment(
        cluster.apps["app2"],
        article_path,
        text="Gleich danach.",
        email="f2@example.org",
        source="127.2.0.1",
    )

    assert first.status == 302
    assert again.status == 429
    assert FLOOD_MESSAGE in again.body.decode()


def test_the_login_lockout_counts_failures_on_both_servers(cluster, admin_user):
    app1, app2 = AdminBrowser(cluster.apps["app1"]), AdminBrowser(cluster.apps["app2"])
    # AXES_FAILURE_LIMIT=3: the third wrong password locks, wherever the first two were tried.
    statuses = [staff.log_in(admin_user, "falsch")[0] for staff in (app1, app2, app1)]

    assert statuses == [200, 200, 429]
    status, page = AdminBrowser(cluster.apps["app2"]).log_in(admin_user, ADMIN_PASSWORD)

    assert status == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in page
    cluster.shell(f"from axes.utils import reset\nreset(username={admin_user!r})\nprint('ok')")


def test_a_published_draft_is_live_on_both_servers_at_once_and_nginx_follows_within_its_window(
    cluster, article_path, admin_user
):
    app1, app2 = cluster.apps["app1"], cluster.apps["app2"]
    for server in (app2, cluster.nginx, cluster.nginx):
        server.request("GET", article_path)
    cached = cluster.nginx.request("GET", article_path)
    assert cached.getheader("X-Cache-Status") in ("HIT", "UPDATING", "STALE")
    editor = AdminBrowser(app1)
    editor.log_in(admin_user, ADMIN_PASSWORD)
    pk = cluster.shell("from reports.models import Report\nprint(Report.objects.get().pk)")
    change = f"/{settings.ADMIN_URL}reports/report/{pk}/change/"
    _, page = editor.open(change)
    lead = f"Neue Einleitung, veröffentlicht auf Server 1 um {time.time():.0f}."
    data = [
        (name, lead if name == "lead" else value)
        for name, value in form_fields(page, "report_form")
        if name != "change_note"
    ]

    status, _ = editor.open(
        change, [*data, ("change_note", "Einleitung neu"), ("_publish", "Veröffentlichen")]
    )
    published_at = time.monotonic()

    assert status == 200
    assert lead in app2.request("GET", article_path).body.decode()
    assert lead in app1.request("GET", article_path).body.decode()
    seen = wait_for(
        lambda: lead in cluster.nginx.request("GET", article_path).body.decode(),
        seconds=MAX_AGE + STALE + 3,
    )
    assert seen, "nginx served the old page longer than s-maxage + stale-while-revalidate"
    assert time.monotonic() - published_at <= MAX_AGE + STALE + 1


# --- Parts failing -----------------------------------------------------------------------


class Poster:
    """Readers posting through nginx, each from an address of their own (127.x.y.z), so that
    neither nginx's rate limit nor the app's flood control holds them back."""

    def __init__(self, cluster, article_path, prefix: str):
        page = BeautifulSoup(cluster.nginx.request("GET", article_path).body, "html.parser")
        form = page.find("form", class_="comment-form")
        self.action = form["action"].split("#")[0]
        self.fixed = {
            f["name"]: f.get("value", "")
            for f in form.find_all("input")
            if f.get("name") and f.get("type") != "checkbox"
        }
        self.fixed["timestamp"] = cluster.nginx.request("GET", form["data-timestamp-url"]).body
        self.cluster = cluster
        self.prefix = prefix
        self.answers: dict[str, int] = {}
        self.lock = threading.Lock()

    def post(self, number: int, second_octet: int) -> int:
        text = f"{self.prefix} Kommentar {number}: unter Last geschickt."
        data = {
            **self.fixed,
            "text": text,
            "author_name": f"Leserin {number}",
            "author_email": f"{self.prefix.lower()}{number}@example.org",
        }
        source = f"127.{second_octet}.{number // 250}.{number % 250 + 1}"
        try:
            response = self.cluster.nginx.request(
                "POST",
                self.action,
                body=urllib.parse.urlencode(data),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Sec-Fetch-Site": "same-origin",
                },
                source=source,
            )
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0  # no answer at all
        with self.lock:
            self.answers[text] = status
        return status


def test_an_app_server_killed_under_posting_load_loses_no_answered_post_and_rejoins(
    cluster, article_path
):
    poster = Poster(cluster, article_path, "Last")
    get_statuses = []
    stop_reading = threading.Event()

    def read():
        number = 0
        while not stop_reading.is_set():
            number += 1
            # A query string passes nginx's cache: every read reaches an app server.
            try:
                response = cluster.nginx.request("GET", f"{article_path}?leser={number}")
                get_statuses.append(response.status)
            except OSError:
                get_statuses.append(0)

    reader = threading.Thread(target=read)
    reader.start()
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(poster.post, number, 50) for number in range(120)]
        wait_for(lambda: len(poster.answers) >= 30, seconds=60, step=0.02)
        cluster.kill("app1")
        killed_after = len(poster.answers)
        concurrent.futures.wait(futures, timeout=120)
    time.sleep(1)
    stop_reading.set()
    reader.join(timeout=30)

    counts = stored(cluster, poster.answers)
    print(f"kill -9 after {killed_after} answers: {Counter(poster.answers.values())}")
    answered = [text for text, status in poster.answers.items() if 200 <= status < 400]
    assert killed_after < 120
    assert len(answered) >= 60, poster.answers
    assert all(counts[text] == 1 for text in answered), "an answered post is missing"
    assert all(count <= 1 for count in counts.values()), "a post was stored twice"
    assert set(poster.answers.values()) <= {302, 502, 0}, poster.answers
    assert get_statuses and set(get_statuses) == {200}, get_statuses

    served = cluster.requests_served("app1")
    cluster.command("up")
    rejoined = wait_for(
        lambda: (
            cluster.nginx.request("GET", f"{article_path}?wieder=1").status == 200
            and cluster.requests_served("app1") > served + 1  # + its own /health/ at start
        ),
        seconds=30,
    )
    assert rejoined, "nginx never sent a request to the restarted server"


def mails_about(cluster, texts) -> dict[str, int]:
    folder = cluster.parts.folder / "mail"
    mail = "".join(path.read_text() for path in folder.glob("*")) if folder.exists() else ""
    return {text: mail.count(text) for text in texts}


def test_mail_waiting_while_the_worker_is_killed_is_sent_once_after_its_restart(
    cluster, article_path
):
    cluster.kill("worker")
    poster = Poster(cluster, article_path, "Warte")
    for number in range(5):
        assert poster.post(number, 60) == 302
    texts = list(poster.answers)
    time.sleep(2)
    assert set(mails_about(cluster, texts).values()) == {0}
    waiting = cluster.nginx.request("GET", "/health/").body.decode()
    assert re.search(r'"waiting": [1-9]', waiting), waiting

    cluster.command("up")

    sent = wait_for(lambda: set(mails_about(cluster, texts).values()) == {1}, seconds=30)
    assert sent, mails_about(cluster, texts)
    time.sleep(2)
    assert set(mails_about(cluster, texts).values()) == {1}


def test_pages_and_posting_go_on_while_redis_is_stopped_and_after_it_is_back(cluster, article_path):
    poster = Poster(cluster, article_path, "Redis")
    cluster.command("stop", "redis")
    try:
        health = cluster.apps["app1"].request("GET", "/health/")
        page = cluster.nginx.request("GET", f"{article_path}?ohne-redis=1")
        while_down = poster.post(1, 70)
    finally:
        cluster.command("up")
    after = poster.post(2, 70)

    assert health.status == 200
    assert b'"cache": "unavailable"' in health.body
    assert page.status == 200
    assert (while_down, after) == (302, 302)
    assert set(stored(cluster, poster.answers).values()) == {1}


def test_postgresql_stopped_gives_503_and_the_text_back_and_recovers_by_itself(
    cluster, article_path
):
    poster = Poster(cluster, article_path, "Datenbank")
    text = "Während die Datenbank schläft geschrieben."
    cluster.command("stop", "postgres")
    try:
        health = [server.request("GET", "/health/") for server in cluster.apps.values()]
        response = cluster.nginx.request(
            "POST",
            poster.action,
            body=urllib.parse.urlencode(
                {
                    **poster.fixed,
                    "text": text,
                    "author_name": "Erika Dunkel",
                    "author_email": "dunkel@example.org",
                }
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Sec-Fetch-Site": "same-origin",
            },
            source="127.80.0.1",
        )
        page = cluster.nginx.request("GET", article_path)
    finally:
        cluster.command("up")

    assert [r.status for r in health] == [503, 503]
    assert all(b'"database": "unreachable"' in r.body for r in health)
    assert response.status == 503
    kept = BeautifulSoup(response.body, "html.parser")
    assert "Wir können gerade nichts speichern" in kept.h1.text
    assert kept.find("textarea", attrs={"name": "text"}).text == text
    assert "Erika Dunkel · dunkel@example.org" in kept.text
    assert page.status == 200  # the last good copy from nginx's cache
    # Back without anyone touching the app servers: their connections recover by themselves.
    recovered = wait_for(
        lambda: all(s.request("GET", "/health/").status == 200 for s in cluster.apps.values()),
        seconds=30,
    )
    assert recovered
    assert poster.post(1, 80) == 302
    assert stored(cluster, [text, *poster.answers]) == {text: 0, **dict.fromkeys(poster.answers, 1)}
    # The worker lost its database too, and is back: the moderators hear of the new comment.
    assert wait_for(lambda: set(mails_about(cluster, poster.answers).values()) == {1}, seconds=30)


@pytest.mark.browser
def test_a_post_no_app_server_answers_gets_nginx_page_and_back_finds_the_text_in_the_form(
    cluster,
    article_path,
    browser,
):
    """nginx never resends a POST, so its own 502 page must tell the reader what to do; the
    browser's Back really brings the form back with the text (Chromium)."""
    url = cluster.nginx.url + article_path
    page = open_page(browser, url)
    page.goto(url)  # nginx now holds the page as a browser asks for it (gzip)
    cluster.command("stop", "app1")
    cluster.command("stop", "app2")
    try:
        page.goto(url)
        page.fill("textarea[name=text]", "Mein Text, der nicht verloren gehen darf.")
        page.fill("input[name=author_name]", "Erika Zurück")
        page.fill("input[name=author_email]", "zurueck@example.org")
        with page.expect_navigation():
            page.click("form.comment-form [type=submit]")
        answer = page.text_content("main")
        page.go_back()
        kept = page.input_value("textarea[name=text]")
    finally:
        page.context.close()
        cluster.command("up")

    assert "Die Seite ist gerade nicht erreichbar (502)" in answer
    assert "Zurück-Taste" in answer
    assert "Dein Text steht noch darin" in answer
    assert kept == "Mein Text, der nicht verloren gehen darf."

#!/usr/bin/env python3
"""Load figures for the production setup, measured side by side in one run.

Starts gunicorn on 127.0.0.1 with production settings on a throw-away SQLite database holding
the seed report and 200 approved comments, then drives it with wrk (Debian's package):

  (a) the article page, as a reader gets it from Django (page cache on);
  (b) the same page's HTML as a static file, served by the same server through whitenoise:
      the limit we measure against;
  (c) posting comments (each a different reader, text and address);
  (d) the article page through nginx with deploy/nginx/ (its test variant: plain http), which
      keeps the public page in its proxy cache;
  (e) the same bytes as a static file from the same nginx: the limit for (d).

Prints requests/s and p50/p99 latency for each, the ratios a/b and d/e, the page weight,
Lighthouse's four category scores, and the uncached render time of page 1 of a discussion
grown to 5,000 comments. Every load is bounded in time and goes to 127.0.0.1 only.

With --cluster, instead: scripts/cluster (PostgreSQL, Redis, two app servers, a worker, nginx
over both; scripts/cluster.py) with the same seed and comments, measured side by side:

  (f) the article page through nginx with two app servers;
  (g) posting comments through nginx to two app servers on PostgreSQL: req/s, p99, stored and
      lost (answered 2xx/3xx but not stored), each post a new reader from an address of its own
      (127.x.y.z), so that neither nginx's rate limit nor the flood control holds it back;
  (h) the same posting with the second app server stopped: the gain of the second is g/h.

With --live, instead: gunicorn and nginx as for (d), measured side by side:

  (i) the article page through nginx;
  (j) the discussion's counter (comments/live.py) through nginx, at the same connections;
  (k) the counter's bytes as a static file from the same nginx: the limit for (j);
  (l) --readers readers (1,000) each asking the counter every --poll-seconds (30 s, each at
      a random phase, so about 33 requests/s in all) for --live-seconds (120 s), in real
      time, not compressed, while a comment is approved every 20 s: how many of those
      requests reached the app (gunicorn's access log), per discussion change, and how long
      readers took to see each change. Time-bounded and counted; 127.0.0.1 only.

Usage: .venv/bin/python scripts/benchmark.py [--seconds 10] [--connections 16] [--workers N]
       .venv/bin/python scripts/benchmark.py --cluster [--seconds 10] [--connections 16]
       .venv/bin/python scripts/benchmark.py --live [--readers 1000] [--live-seconds 120]
"""

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "HTTPS": "false",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "STATIC_ROOT": str(workdir / "static"),
            "SITE_URL": "http://127.0.0.1",
            "LOG_LEVEL": "WARNING",
            # The load generator is one machine; the proxy header says which reader it is.
            "PROXY_COUNT": "1",
            "COMMENTS_MIN_SECONDS": "1",
            "EMAIL_URL": "dummymail://",
            "ALLOW_CONSOLE_EMAIL": "true",
            "DJANGO_SETTINGS_MODULE": "aireport.settings",
        }
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def prepare_database(env, comment_count: int) -> str:
    """Migrate, import the seed and add approved threaded comments; returns the article path."""
    manage(env, "migrate", "--noinput")
    manage(env, "import_report")
    code = f"""
from comments.models import Comment
from reports.models import Report
report = Report.objects.get()
comments = []
for number in range({comment_count}):
    parent = comments[number // 3] if number >= 3 and number % 2 else None
    comments.append(Comment.objects.create(
        report=report, parent=parent, status=Comment.Status.APPROVED,
        author_name=f"Leserin {{number}}", author_email=f"leserin{{number}}@example.org",
        text=f"Kommentar {{number}}: Ein Gedanke zum Bericht, mit etwas Text, damit er "
             f"so lang ist wie ein echter Kommentar. https://example.org/{{number}}",
    ))
print(report.get_absolute_url())
"""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


class FormReader(HTMLParser):
    """Finds the comment form's fields, so the load test posts what a browser would."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.action = None
        self.timestamp_url = None
        self.fields: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.in_form, self.action = True, attrs.get("action")
            self.timestamp_url = attrs.get("data-timestamp-url")
        elif self.in_form and tag in ("input", "textarea") and attrs.get("name"):
            self.fields[attrs["name"]] = {"tag": tag, **attrs}

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def lua_post_script(path: str, fields: dict, cookie: str) -> str:
    """A wrk script posting a new comment each request, as a different reader."""
    fixed = {name: f.get("value", "") for name, f in fields.items() if f.get("type") == "hidden"}
    text_field = next(n for n, f in fields.items() if f["tag"] == "textarea")
    email_field = next(n for n, f in fields.items() if f.get("type") == "email")
    name_field = next(n for n, f in fields.items() if f.get("autocomplete") == "name")
    fixed_body = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in fixed.items())
    return f"""
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  counter = 0
  math.randomseed(id * 7919 + os.time())
end
function request()
  counter = counter + 1
  local reader = id .. "-" .. counter .. "-" .. math.random(1, 1000000000)
  local body = "{fixed_body}&{name_field}=Leser+" .. reader .. "&{email_field}=leser" .. reader ..
    "%40example.org&{text_field}=Last-Kommentar+" .. reader
  local ip = math.random(1, 223) .. "." .. math.random(0, 255) .. "." .. math.random(0, 255) ..
    "." .. math.random(1, 254)
  return wrk.format("POST", "{path}", {{
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin",
    ["Cookie"] = "{cookie}",
    ["X-Forwarded-For"] = ip,
  }}, body)
end
"""


def run_wrk(
    url: str, seconds: int, connections: int, script: Path | None = None, gzip: bool = False
) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if gzip:
        command += ["-H", "Accept-Encoding: gzip"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout

    def latency_ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match[1])
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in match.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "p50": latency_ms("50"),
        "p99": latency_ms("99"),
        "errors": errors,
    }


def lighthouse(url: str) -> dict | None:
    """Lighthouse's four category scores (mobile defaults), and the audits that cost points;
    None without Lighthouse, {"failed": reason} when a run fails."""
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists() or not shutil.which("chromium"):
        return None
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium")}
    result = subprocess.run(
        [
            str(binary),
            url,
            "--output=json",
            "--quiet",
            f"--chrome-flags={CHROMIUM_FLAGS}",
            "--only-categories=performance,accessibility,best-practices,seo",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        lines = result.stderr.strip().splitlines() or [f"exit code {result.returncode}"]
        return {"failed": lines[-1][:200]}
    report = json.loads(result.stdout)
    if os.environ.get("BENCHMARK_LIGHTHOUSE_JSON"):
        name = "page2" if "seite-" in url else "article"
        Path(os.environ["BENCHMARK_LIGHTHOUSE_JSON"] + f"-{name}.json").write_text(result.stdout)
    scores = {name: round(c["score"] * 100) for name, c in report["categories"].items()}
    weighted = {
        ref["id"] for c in report["categories"].values() for ref in c["auditRefs"] if ref["weight"]
    }
    lost = [
        f"{audit_id} {audit['score']:.2f}"
        + (f" ({audit['displayValue']})" if audit.get("displayValue") else "")
        for audit_id, audit in report["audits"].items()
        if audit_id in weighted and audit.get("score") is not None and audit["score"] < 1
    ]
    return {"scores": scores, "lost": lost}


def lighthouse_rows(base: str, article_path: str, page_two_path: str) -> list:
    """Lighthouse on the article and on page 2 of its discussion."""
    return [
        (label, lighthouse(base + path))
        for label, path in (("article", article_path), ("comments page 2", page_two_path))
    ]


def print_lighthouse(rows) -> None:
    for label, result in rows:
        if result is None:
            print(
                f"Lighthouse, {label}: not run "
                "(needs npm's lighthouse in node_modules and chromium)"
            )
            continue
        if "failed" in result:
            print(f"Lighthouse, {label}: the run failed ({result['failed']}); run it again")
            continue
        scores = ", ".join(f"{k} {v}" for k, v in result["scores"].items())
        lost = f"   points lost: {'; '.join(result['lost'])}" if result["lost"] else ""
        print(f"Lighthouse, {label}: {scores}{lost}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument(
        "--discussion-only",
        action="store_true",
        help="only the uncached render of page 1 of a 5,000-comment discussion (no wrk, nginx)",
    )
    parser.add_argument(
        "--lighthouse-only",
        action="store_true",
        help="only Lighthouse on the article and on page 2 of its discussion (no wrk, nginx)",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="rows (i)-(l): the discussion counter through nginx, and 1,000 polling readers",
    )
    parser.add_argument("--readers", type=int, default=1000, help="--live: polling readers")
    parser.add_argument(
        "--poll-seconds", type=int, default=30, help="--live: each reader's polling interval"
    )
    parser.add_argument(
        "--live-seconds", type=int, default=120, help="--live: how long the readers poll"
    )
    parser.add_argument("--rounds", type=int, default=2, help="--cluster: rounds of posting rows")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="rows (f)-(h): scripts/cluster with two app servers on PostgreSQL behind nginx",
    )
    args = parser.parse_args()
    if args.cluster:
        return cluster_rows(args)
    if args.live:
        return live_rows(args)
    if args.discussion_only:
        return discussion_only()
    if args.lighthouse_only:
        return lighthouse_only(args)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="aireport-bench-"))
    env = production_env(workdir)
    article_path = prepare_database(env, args.comments)
    manage(env, "collectstatic", "--noinput")

    # (b) The article's HTML, rendered once, becomes a static file of the same server.
    import django

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.test import Client

    html = Client().get(article_path, HTTP_HOST="127.0.0.1").content
    static_copy = Path(env["STATIC_ROOT"]) / "benchmark" / "article.html"
    static_copy.parent.mkdir(parents=True)
    static_copy.write_bytes(html)
    # whitenoise serves a .gz twin when the browser accepts it, as for collected files.
    static_copy.with_name("article.html.gz").write_bytes(gzip.compress(html, 9))
    # (e) The same bytes, as a file nginx serves from disk.
    nginx_static = workdir / "nginx-static"
    nginx_static.mkdir()
    (nginx_static / "article.html").write_bytes(html)

    server, port, base = start_gunicorn(env, args.workers)
    nginx, nginx_base, nginx_static_base = start_nginx(workdir, port, nginx_static)
    try:
        # Warm every worker's cache, then measure (a) and (b) back to back.
        run_wrk(base + article_path, 2, args.connections)
        article = run_wrk(base + article_path, args.seconds, args.connections)
        static = run_wrk(base + "/static/benchmark/article.html", args.seconds, args.connections)
        # The same two as browsers ask for them: gzip-compressed.
        article_gz = run_wrk(base + article_path, args.seconds, args.connections, gzip=True)
        static_gz = run_wrk(
            base + "/static/benchmark/article.html", args.seconds, args.connections, gzip=True
        )

        # (c) Posting: the form as a browser gets it, then one new reader per request.
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = FormReader()
        form.feed(opener.open(base + article_path).read().decode())
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        if form.timestamp_url:
            # The signed timestamp the form's script fetches when a reader starts typing.
            stamp = opener.open(base + form.timestamp_url).read().decode()
            form.fields["timestamp"] = {"tag": "input", "type": "hidden", "value": stamp}
        script = workdir / "post.lua"
        post_path = (form.action or article_path).split("#")[0]
        script.write_text(lua_post_script(post_path, form.fields, cookie))
        time.sleep(int(env["COMMENTS_MIN_SECONDS"]) + 0.5)
        count_before = comment_count(env)
        posting = run_wrk(base + post_path, args.seconds, args.connections, script)
        stored = comment_count(env) - count_before

        # (d) and (e): nginx in front. Warm its cache, then the page and the file back to back.
        run_wrk(nginx_base + article_path, 2, args.connections)
        proxied = run_wrk(nginx_base + article_path, args.seconds, args.connections)
        nginx_file = run_wrk(nginx_static_base + "/article.html", args.seconds, args.connections)

        page_two = article_path.rstrip("/") + "/kommentare/seite-2/"
        scores = [] if args.no_lighthouse else lighthouse_rows(base, article_path, page_two)
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    rows = [article, static, article_gz, static_gz, posting, proxied, nginx_file]
    print_report(args, rows, stored, html, scores)
    print_long_discussion(article_path)
    shutil.rmtree(workdir, ignore_errors=True)


def start_gunicorn(env, workers: int):
    """gunicorn with the production configuration, access log included (discarded here)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "aireport/gunicorn_conf.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)},
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/health/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server, port, base


def lighthouse_only(args):
    workdir = Path(tempfile.mkdtemp(prefix="aireport-bench-"))
    env = production_env(workdir)
    article_path = prepare_database(env, args.comments)
    manage(env, "collectstatic", "--noinput")
    server, _, base = start_gunicorn(env, args.workers)
    try:
        page_two = article_path.rstrip("/") + "/kommentare/seite-2/"
        print_lighthouse(lighthouse_rows(base, article_path, page_two))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    shutil.rmtree(workdir, ignore_errors=True)


def discussion_only():
    workdir = Path(tempfile.mkdtemp(prefix="aireport-bench-"))
    env = production_env(workdir)
    manage(env, "migrate", "--noinput")
    manage(env, "import_report")
    manage(env, "collectstatic", "--noinput")
    import django

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    django.setup()
    from reports.models import Report

    print_long_discussion(Report.objects.get().get_absolute_url())
    shutil.rmtree(workdir, ignore_errors=True)


def start_nginx(workdir: Path, gunicorn_port: int, static_dir: Path):
    """nginx with deploy/nginx/ in front of gunicorn, plus a plain static server for (e)."""
    sys.path.insert(0, str(ROOT))
    from tests.deploy.nginx import free_ports, nginx_binary, write_nginx_prefix

    binary = nginx_binary()
    if binary is None:
        sys.exit("nginx is missing: apt-get install nginx")
    proxy_port, static_port = free_ports(2)
    config = write_nginx_prefix(
        workdir / "nginx",
        nginx_port=proxy_port,
        gunicorn_port=gunicorn_port,
        workers="auto",
        extra=f"server {{ listen 127.0.0.1:{static_port}; root {static_dir}; }}",
    )
    nginx = subprocess.Popen(
        [binary, "-p", str(workdir / "nginx"), "-c", str(config)], stdout=subprocess.DEVNULL
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", static_port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return nginx, f"http://127.0.0.1:{proxy_port}", f"http://127.0.0.1:{static_port}"


# Sentences readers of the report might write; a comment strings some of them together.
SENTENCES = (
    "Danke für den ausführlichen Bericht, besonders der Teil über Interpretierbarkeit.",
    "Ich frage mich, wie belastbar die Zahlen zu den Evaluierungen wirklich sind.",
    "Die Methodik im Abschnitt über Agenten hätte ich gern genauer erklärt bekommen.",
    "Das deckt sich mit dem, was wir in unserem Team im letzten Jahr beobachtet haben.",
    "Mir fehlt eine Einordnung, was das für kleinere Labore bedeutet.",
    "Gute Zusammenfassung, aber die Kritik an den Benchmarks kommt etwas zu kurz.",
    "Wer Zeit hat, sollte sich auch die Originalstudie ansehen, sie ist gut lesbar.",
    "Ist bekannt, ob die Ergebnisse mit offenen Modellen nachgestellt wurden?",
    "Spannend finde ich vor allem die Frage, wie man Täuschung zuverlässig misst.",
    "Das Kapitel zur Regulierung liest sich sehr europäisch, was ich gut finde.",
    "Ich bin skeptisch: Viele dieser Fortschritte sind schwer unabhängig zu prüfen.",
    "Vielleicht wäre eine Grafik zur Entwicklung über die letzten Jahre hilfreich.",
    "Als Lehrerin interessiert mich, wie man das Schülerinnen und Schülern erklärt.",
    "Die Begriffe Alignment und Safety werden hier sauberer getrennt als sonst üblich.",
    "Den Hinweis auf die fehlenden Daten aus der Industrie halte ich für zentral.",
    "Kann jemand eine gute Einführung in mechanistische Interpretierbarkeit empfehlen?",
    "Mich überzeugt das Argument nicht ganz, aber es ist gut begründet.",
    "Bemerkenswert, wie schnell sich die Lage seit dem letzten Bericht verändert hat.",
    "In der Praxis sieht das oft anders aus, zumindest in mittelständischen Firmen.",
    "Danke auch für die klaren Quellenangaben, das ist leider nicht selbstverständlich.",
)
LINKS = ("https://transformer-circuits.pub/", "https://distill.pub/", "https://arxiv.org/")


def seed_discussion(report, total: int, *, seed: int = 2026, reply_share: float = 0.55) -> None:
    """`total` approved comments shaped like a real discussion (same seed, same discussion).

    Text lengths follow a log-normal distribution with a median of about 280 characters (a few
    sentences; some comments run to 2,000 characters in several paragraphs), one in eight
    carries a web address. 45 % start a thread (1 - `reply_share`); replies go to one of the
    100 newest threads, busier threads attracting more, to the thread's first comment or to
    another reply in it, nested up to COMMENTS_MAX_DEPTH. Readers are a pool of 800 names,
    some with a website.
    """
    import random
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from comments.models import Comment

    rng = random.Random(seed)
    first = (
        "Anna",
        "Jonas",
        "Miriam",
        "Tobias",
        "Leyla",
        "Stefan",
        "Katrin",
        "Ömer",
        "Julia",
        "Felix",
        "Sabine",
        "Lukas",
        "Nadia",
        "Paul",
        "Ingrid",
        "Mehmet",
        "Clara",
        "Jan",
    )
    last = (
        "Becker",
        "Schmidt",
        "Yılmaz",
        "Wagner",
        "Hoffmann",
        "Kowalski",
        "Neumann",
        "Weber",
        "Krüger",
        "Schulz",
        "Nguyen",
        "Fischer",
        "Braun",
        "Zimmermann",
        "Lange",
        "Hartmann",
    )
    readers = [
        (
            f"{rng.choice(first)} {rng.choice(last)}",
            f"leser{n}@example.org",
            f"https://blog{n}.example.de/" if rng.random() < 0.15 else "",
        )
        for n in range(800)
    ]
    start = timezone.now() - timedelta(days=60)
    max_depth = settings.COMMENTS_MAX_DEPTH
    threads: list[list[Comment]] = []
    comments = []
    said = set()
    for number in range(total):
        length = min(max(rng.lognormvariate(5.63, 0.8), 40), 2000)  # median e^5.63 ≈ 280
        paragraphs, paragraph = [], []
        pool = rng.sample(SENTENCES, len(SENTENCES))  # no sentence twice in one comment
        while pool and sum(map(len, paragraph)) + sum(map(len, sum(paragraphs, []))) < length:
            paragraph.append(pool.pop())
            if len(paragraph) >= 3 and rng.random() < 0.4:
                paragraphs.append(paragraph)
                paragraph = []
        paragraphs.append(paragraph)
        text = "\n\n".join(" ".join(p) for p in paragraphs if p)
        if rng.random() < 0.125:
            text += " " + rng.choice(LINKS)
        name, email, url = rng.choice(readers)
        while (email, text) in said:  # a reader does not say the same thing twice
            name, email, url = rng.choice(readers)
        said.add((email, text))
        parent = None
        if threads and rng.random() < reply_share:
            recent = threads[-100:]
            thread = rng.choices(recent, weights=[len(t) for t in recent])[0]
            candidates = [c for c in thread if c.depth < max_depth]
            parent = thread[0] if rng.random() < 0.6 else rng.choice(candidates or thread[:1])
        comment = Comment(
            id=number + 1,
            report=report,
            parent=parent,
            status=Comment.Status.APPROVED,
            author_name=name,
            author_email=email,
            author_url=url,
            text=text,
            created_at=start + timedelta(minutes=15 * number),
        )
        comment.depth = parent.depth + 1 if parent else 1
        if parent is None:
            threads.append([comment])
        else:
            next(t for t in reversed(threads) if t[0].pk == _root(parent).pk).append(comment)
        comments.append(comment)
    Comment.objects.bulk_create(comments, batch_size=500)


def _root(comment):
    while comment.parent is not None:
        comment = comment.parent
    return comment


def print_long_discussion(article_path: str, total: int = 5000, runs: int = 9):
    """Page 1 of a discussion of `total` approved comments (seed_discussion), rendered without
    the page cache (as for the first reader after every change): median time and size. Three
    times: threaded as a real discussion, with the threads folded as readers get them
    (COMMENTS_FOLD_ABOVE); the same with every reply shown; and the same number of comments
    as single comments without replies."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from comments.models import Comment
    from reports.models import Report

    report = Report.objects.get()
    fold_above = settings.COMMENTS_FOLD_ABOVE
    shapes = (
        ("threaded, replies folded", 0.55, fold_above),
        ("threaded, every reply shown", 0.55, 0),
        ("single comments", 0.0, fold_above),
    )
    seeded = None
    for shape, reply_share, fold in shapes:
        settings.COMMENTS_FOLD_ABOVE = fold
        if seeded != reply_share:
            Comment.objects.filter(report=report).delete()
            seed_discussion(report, total, reply_share=reply_share)
            seeded = reply_share
        client = Client(HTTP_HOST="127.0.0.1")
        client.get(article_path)  # loads the middleware once, as a running worker has
        timings, cpu = [], []
        for _ in range(runs):
            cache.clear()
            started, cpu_started = time.perf_counter(), time.process_time()
            html = client.get(article_path).content.decode()
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        if os.environ.get("BENCHMARK_SAVE_PAGE") and shape == shapes[0][0]:
            Path(os.environ["BENCHMARK_SAVE_PAGE"]).write_text(html)
        size = len(html.encode())
        shown = html.count('class="comment"')
        texts = re.findall(r'<div class="comment-content"[^>]*>(.*?)</div>', html, re.S)
        text_kib = sum(len(text.encode()) for text in texts) / 1024
        print(
            f"uncached render of page 1 with {total:,} comments ({shape}): "
            f"{sorted(timings)[runs // 2]:.0f} ms (median of {runs}; best {min(timings):.0f} ms; "
            f"CPU {sorted(cpu)[runs // 2]:.0f} ms), {size / 1024:.1f} KiB ({size / 1000:.1f} KB), "
            f"{shown} comments shown, their text {text_kib:.1f} KiB   (aim: < 150 ms, < 100 KB)"
        )
    settings.COMMENTS_FOLD_ABOVE = fold_above


def comment_count(env) -> int:
    result = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from comments.models import Comment; print(Comment.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def print_report(args, rows, stored, html, scores):
    article, static, article_gz, static_gz, posting, proxied, nginx_file = rows
    print(
        f"\naireport benchmark: {os.cpu_count()} cores, gunicorn {args.workers} workers, "
        f"wrk 2 threads, {args.connections} connections, {args.seconds} s each, "
        f"{args.comments} approved comments\n"
    )
    print(f"{'':42} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    labels = (
        "(a) article page (Django)",
        "(b) same HTML, static (whitenoise)",
        "(a) article page, gzip",
        "(b) same HTML, static, gzip",
        "(c) posting comments",
        "(d) article page through nginx",
        "(e) same bytes, static file from nginx",
    )
    for label, row in zip(labels, rows, strict=True):
        print(
            f"{label:42} {row['rps']:9.0f} {row['p50']:8.2f} {row['p99']:8.2f} {row['errors']:7d}"
        )
    print(f"\nratio a/b: {article['rps'] / static['rps']:.2f}   (aim: >= 0.5)")
    print(f"ratio a/b, gzip: {article_gz['rps'] / static_gz['rps']:.2f}")
    print(f"ratio d/e: {proxied['rps'] / nginx_file['rps']:.2f}   (aim: >= 0.8)")
    print(f"p99 of (a): {article['p99']:.1f} ms   (aim: < 50 ms at 16 connections)")
    print(
        f"comments: {posting['requests']} answered, {stored} stored (requests still in flight "
        f"when wrk stops are stored but not counted), {stored / args.seconds:.0f}/s   "
        "(aim: >= 100/s, all stored, no errors)"
    )
    print(
        f"article HTML with {args.comments} comments: {len(html) / 1024:.1f} KiB, "
        f"{len(gzip.compress(html)) / 1024:.1f} KiB gzip-compressed"
    )
    print_lighthouse(scores)


# --- The cluster (--cluster): rows (f), (g), (h) ---------------------------------------------


def cluster_rows(args):
    """Two app servers behind nginx on PostgreSQL (scripts/cluster.py), then one; with
    psycopg-pool importable also two with the connection pool. Posting rows alternate, round
    after round, so that a busy moment of the shared machine does not fall on one row only."""
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    import importlib.util

    from cluster import Cluster  # scripts/cluster.py, beside this file

    folder = Path(tempfile.mkdtemp(prefix="aireport-bench-cluster-"))
    shutil.rmtree(folder)  # the cluster creates it, readable for PostgreSQL's own user
    names = ("nginx", "app1", "app2", "postgres", "redis")
    ports = dict(zip(names, free_ports_in(range(18200, 18300), len(names)), strict=True))
    environ = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "CLUSTER_DIR": str(folder),
        **{f"CLUSTER_{name.upper()}_PORT": str(port) for name, port in ports.items()},
        "CLUSTER_WORKERS": str(args.workers),
        "COMMENTS_MIN_SECONDS": "0",
    }
    variants = {"g": (False, 2), "h": (False, 1)}
    if importlib.util.find_spec("psycopg_pool"):
        variants["g pool"] = (True, 2)
    cluster = Cluster(environ=environ)
    cluster.up()
    posting = {name: [] for name in variants}
    try:
        env = cluster.app_env()
        article_path = seed_comments(env, args.comments)
        page = cluster.url + article_path
        run_wrk(page, 2, args.connections)
        article = run_wrk(page, args.seconds, args.connections)
        form = FormReader()
        form.feed(urllib.request.urlopen(page).read().decode())
        stamp = urllib.request.urlopen(cluster.url + form.timestamp_url).read().decode()
        form.fields["timestamp"] = {"tag": "input", "type": "hidden", "value": stamp}
        octet = 100
        for _ in range(args.rounds):
            for name, (pool, servers) in variants.items():
                arrange(cluster, pool=pool, servers=servers, probe=page)
                posting[name].append(
                    post_through_nginx(
                        cluster, env, form, args, first_octet=octet, label=f"R{octet}"
                    )
                )
                octet += 5
    finally:
        cluster.down()
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"\naireport cluster: {os.cpu_count()} cores shared by everything (PostgreSQL, Redis, "
        f"nginx, app servers of {args.workers} gunicorn workers each, the worker, the load "
        f"generators), {args.connections} connections, {args.seconds} s per row and round, "
        f"{args.rounds} rounds\n"
    )
    print(
        f"{'':56} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'stored':>7} {'lost':>5} {'twice':>5}"
    )
    print(
        f"{'(f) article through nginx, two app servers':56} {article['rps']:7.0f} "
        f"{article['p50']:7.2f} {article['p99']:7.2f}   errors {article['errors']}"
    )
    labels = {
        "g": "(g) posting through nginx, two app servers",
        "h": "(h) posting through nginx, one app server",
        "g pool": "(g) the same with the psycopg pool (DATABASE_POOL)",
    }
    totals = {name: combine(rows) for name, rows in posting.items()}
    for name, row in totals.items():
        print(
            f"{labels[name]:56} {row['rps']:7.1f} {row['p50']:7.1f} {row['p99']:7.1f} "
            f"{row['stored']:7d} {row['lost']:5d} {row['twice']:5d}   answers {row['answers']}"
        )
    rounds = {name: [round(row["rps"], 1) for row in rows] for name, rows in posting.items()}
    print(f"  req/s per round: {rounds}")
    gain = totals["g"]["rps"] / totals["h"]["rps"]
    print(f"\ngain of the second app server for posting, g/h: {gain:.2f}")
    if "g pool" in totals:
        ratio = totals["g pool"]["rps"] / totals["g"]["rps"]
        print(f"pool against persistent connections: {ratio:.2f}")


def arrange(cluster, *, pool: bool, servers: int, probe: str) -> None:
    """The app servers as a row needs them: with the pool or not, one or two running."""
    saved = json.loads(cluster.settings_file.read_text())
    if saved.get("DATABASE_POOL", "false") != ("true" if pool else "false"):
        saved["DATABASE_POOL"] = "true" if pool else "false"
        cluster.settings_file.write_text(json.dumps(saved, indent=2))
        cluster.stop("app1")
        cluster.stop("app2")
    if servers == 1:
        cluster.stop("app2")
        return
    restarted = cluster.pid("app1") is None or cluster.pid("app2") is None
    cluster.up()
    if restarted:
        # nginx tries a server that failed again after fail_timeout (10 s): until then it
        # sends everything to the other one.
        served = cluster.log_file("app2").read_bytes().count(b'"GET ')
        deadline = time.monotonic() + 15
        number = 0
        while time.monotonic() < deadline:
            number += 1
            urllib.request.urlopen(f"{probe}?warm={number}").read()
            if cluster.log_file("app2").read_bytes().count(b'"GET ') > served + 1:
                break
            time.sleep(0.2)


def combine(rows: list[dict]) -> dict:
    latencies = sorted(ms for row in rows for ms in row["latencies"])
    answers = {}
    for row in rows:
        for status, count in row["answers"].items():
            answers[status] = answers.get(status, 0) + count
    return {
        "rps": sum(row["answered"] for row in rows) / sum(row["elapsed"] for row in rows),
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "stored": sum(row["stored"] for row in rows),
        "lost": sum(row["lost"] for row in rows),
        "twice": sum(row["twice"] for row in rows),
        "answers": answers,
    }


def free_ports_in(candidates: range, count: int) -> list[int]:
    found = []
    for port in candidates:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    sys.exit(f"fewer than {count} free ports in {candidates}")


def seed_comments(env, count: int) -> str:
    code = f"""
from comments.models import Comment
from reports.models import Report
report = Report.objects.get()
Comment.objects.bulk_create(
    Comment(report=report, status=Comment.Status.APPROVED, author_name=f"Leserin {{n}}",
            author_email=f"leserin{{n}}@example.org",
            text=f"Kommentar {{n}}: Ein Gedanke zum Bericht, so lang wie ein echter Kommentar.")
    for n in range({count})
)
print(report.get_absolute_url())
"""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def post_through_nginx(cluster, env, form, args, *, first_octet: int, label: str) -> dict:
    """`args.connections` readers at a time post for `args.seconds` seconds, each post a new
    reader (name, email, text) from an address of its own; then the database says which texts
    it holds."""
    import concurrent.futures
    import http.client
    import threading

    fixed = {n: f.get("value", "") for n, f in form.fields.items() if f.get("type") == "hidden"}
    action = form.action.split("#")[0]
    port = cluster.ports["nginx"]
    answers, latencies = {}, []
    lock = threading.Lock()
    counter = iter(range(10**7))
    deadline = time.monotonic() + args.seconds

    def one_reader():
        while time.monotonic() < deadline:
            with lock:
                number = next(counter)
            text = f"{label} {number}: ein Kommentar unter Last, mit etwas Text wie ein echter."
            body = urllib.parse.urlencode(
                {
                    **fixed,
                    "text": text,
                    "author_name": f"Leserin {number}",
                    "author_email": f"{label.lower()}{number}@example.org",
                }
            )
            source = f"127.{first_octet + number // 62500}.{number // 250 % 250}.{number % 250 + 1}"
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", port, timeout=30, source_address=(source, 0)
                )
                connection.request(
                    "POST",
                    action,
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Sec-Fetch-Site": "same-origin",
                    },
                )
                response = connection.getresponse()
                response.read()
                status = response.status
                connection.close()
            except (OSError, http.client.HTTPException):
                status = 0
            with lock:
                answers[text] = status
                latencies.append((time.monotonic() - started) * 1000)

    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.connections) as pool:
        for future in [pool.submit(one_reader) for _ in range(args.connections)]:
            future.result()
    elapsed = time.monotonic() - began
    stored_texts = json.loads(
        subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-c",
                "import json\nfrom comments.models import Comment\n"
                f"print(json.dumps(list(Comment.objects.filter(text__startswith={label + ' '!r})"
                ".values_list('text', flat=True))))",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    answered = {text for text, status in answers.items() if 200 <= status < 400}
    statuses = sorted(answers.values())
    return {
        "rps": len(answered) / elapsed,
        "answered": len(answered),
        "elapsed": elapsed,
        "latencies": latencies,
        "stored": len(set(stored_texts)),
        "lost": len(answered - set(stored_texts)),
        "twice": len(stored_texts) - len(set(stored_texts)),
        "answers": {status: statuses.count(status) for status in sorted(set(statuses))},
    }


#: --live: a comment is approved this often while the readers poll.
CHANGE_EVERY_SECONDS = 20


def live_rows(args):
    """Rows (i)-(l): see the module's docstring."""
    import random
    import threading
    from concurrent.futures import ThreadPoolExecutor

    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="aireport-bench-"))
    env = production_env(workdir)
    article_path = prepare_database(env, args.comments)
    manage(env, "collectstatic", "--noinput")
    counter_path = article_path + "kommentare/stand/"
    changes = args.live_seconds // CHANGE_EVERY_SECONDS
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from comments import actions
    from comments.audit import Via
    from comments.models import Comment
    from reports.models import Report

    report = Report.objects.get()
    waiting = [
        Comment.objects.create(
            report=report,
            author_name=f"Neu {n}",
            author_email=f"neu{n}@example.org",
            text=f"Ein neuer Kommentar Nummer {n}.",
            status=Comment.Status.PENDING,
        ).pk
        for n in range(changes)
    ]
    from django.test import Client

    counter_body = Client().get(counter_path, HTTP_HOST="127.0.0.1").content
    nginx_static = workdir / "nginx-static"
    nginx_static.mkdir()
    (nginx_static / "stand.json").write_bytes(counter_body)

    access_log = workdir / "gunicorn-access.log"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with access_log.open("w") as log:
        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "--config", "aireport/gunicorn_conf.py"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(args.workers)},
            stdout=log,
            start_new_session=True,
        )
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/health/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    nginx, nginx_base, nginx_static_base = start_nginx(workdir, port, nginx_static)

    def app_counter_requests() -> int:
        return sum(counter_path in line for line in access_log.read_text().splitlines())

    try:
        run_wrk(nginx_base + article_path, 2, args.connections)
        run_wrk(nginx_base + counter_path, 2, args.connections)
        proxied = run_wrk(nginx_base + article_path, args.seconds, args.connections)
        counter = run_wrk(nginx_base + counter_path, args.seconds, args.connections)
        counter_file = run_wrk(nginx_static_base + "/stand.json", args.seconds, args.connections)

        # (l) The polling readers, in real time: each at a random phase of its interval.
        rng = random.Random(2026)
        start = time.monotonic() + 1
        asks = sorted(
            (start + rng.uniform(0, args.poll_seconds) + k * args.poll_seconds, reader)
            for reader in range(args.readers)
            for k in range(args.live_seconds // args.poll_seconds)
        )
        change_times: list[float] = []
        lags: list[float] = []
        known = [json.loads(counter_body)["count"]] * args.readers
        lock = threading.Lock()
        errors = [0]

        def ask(reader):
            try:
                with urllib.request.urlopen(nginx_base + counter_path, timeout=5) as response:
                    count = json.loads(response.read())["count"]
            except OSError:
                with lock:
                    errors[0] += 1
                return
            now = time.monotonic()
            with lock:
                if count > known[reader]:
                    # The change this reader sees first: the oldest it had not seen yet.
                    lags.append(now - change_times[known[reader] - initial])
                    known[reader] = count

        def approve_in_turn():
            for n, pk in enumerate(waiting):
                time.sleep(max(0, start + (n + 0.5) * CHANGE_EVERY_SECONDS - time.monotonic()))
                with lock:
                    change_times.append(time.monotonic())
                actions.change_status(
                    Comment.objects.filter(pk=pk),
                    Comment.Status.APPROVED,
                    user=None,
                    via=Via.IMPORT,
                )

        initial = known[0]
        before = app_counter_requests()
        changer = threading.Thread(target=approve_in_turn)
        changer.start()
        with ThreadPoolExecutor(max_workers=64) as pool:
            for when, reader in asks:
                time.sleep(max(0, when - time.monotonic()))
                pool.submit(ask, reader)
        changer.join()
        reached = app_counter_requests() - before
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"\nThe discussion counter: {len(counter_body)} bytes; {args.workers} gunicorn workers; "
        f"{args.connections} connections, {args.seconds} s per row"
    )
    print(f"{'':46} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, row in (
        ("(i) article page through nginx", proxied),
        ("(j) discussion counter through nginx", counter),
        ("(k) the counter's bytes as nginx static file", counter_file),
    ):
        print(
            f"{label:46} {row['rps']:9.0f} {row['p50']:8.2f} {row['p99']:8.2f} {row['errors']:7d}"
        )
    print(f"ratio j/k: {counter['rps'] / counter_file['rps']:.2f}")
    print(
        f"\n(l) {args.readers} readers polling every {args.poll_seconds} s for "
        f"{args.live_seconds} s: {len(asks)} requests ({errors[0]} failed), "
        f"{len(change_times)} discussion changes"
    )
    print(f"  requests that reached the app: {reached} ({reached / max(1, len(asks)):.2%})")
    print(f"  per discussion change: {reached / max(1, len(change_times)):.1f}")
    if lags:
        lags.sort()
        print(
            f"  a reader saw a change after: median {lags[len(lags) // 2]:.1f} s, "
            f"max {lags[-1]:.1f} s ({len(lags)} sightings)"
        )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

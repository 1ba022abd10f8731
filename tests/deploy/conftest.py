"""nginx with deploy/nginx/ (the test variant: plain http on 127.0.0.1) in front of gunicorn.

The fixture starts gunicorn with the production settings behind one proxy (BEHIND_PROXY,
PROXY_COUNT=1) on a throw-away SQLite database holding the seed report, and nginx as a
subprocess with its own prefix, so nothing on the machine is touched. Without nginx the tests
are skipped locally and fail in CI, like the other tools (tests/tooling.py).
"""

import http.client
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.aireport.conftest import manage, production_env, wait_for_port
from tests.deploy.nginx import free_ports, nginx_binary, write_nginx_prefix
from tests.tooling import tool_unavailable


@dataclass
class Site:
    url: str
    port: int
    env: dict
    nginx_log: Path

    def request(self, method="GET", path="/", *, headers=None, body=None, source="127.0.0.1"):
        """One request through nginx, from the loopback address `source` (127.0.0.0/8)."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            response.body = response.read()
            return response
        finally:
            connection.close()

    def shell(self, code: str) -> str:
        """Python code in the site's own database (manage.py shell)."""
        return manage(self.env, "shell", "-c", code).stdout


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    binary = nginx_binary()
    if binary is None:
        tool_unavailable("nginx is missing (apt-get install nginx)")
    workdir = tmp_path_factory.mktemp("nginx-site")
    nginx_port, gunicorn_port = free_ports(2)
    origin = f"http://127.0.0.1:{nginx_port}"
    env = production_env(
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        STATIC_ROOT=str(workdir / "static"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="false",
        SITE_URL=origin,
        CSRF_TRUSTED_ORIGINS=origin,
        BEHIND_PROXY="true",
        PROXY_COUNT="1",
        GUNICORN_BIND=f"127.0.0.1:{gunicorn_port}",
        WEB_CONCURRENCY="2",
        LOG_LEVEL="WARNING",
        # The form's timestamp is fetched right before posting; no waiting in these tests.
        COMMENTS_MIN_SECONDS="0",
        CACHE_URL="locmemcache://nginx-tests",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput")
    manage(env, "import_report")
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "aireport/gunicorn_conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    config = write_nginx_prefix(
        workdir / "nginx", nginx_port=nginx_port, gunicorn_port=gunicorn_port
    )
    nginx = subprocess.Popen(
        [binary, "-p", str(workdir / "nginx"), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(gunicorn_port, gunicorn, seconds=60)
        wait_for_port(nginx_port, nginx, seconds=20)
        if nginx.poll() is not None:
            pytest.fail(f"nginx did not start: {nginx.stderr.read()}")
        yield Site(origin, nginx_port, env, workdir / "nginx" / "error.log")
    finally:
        stop(nginx)
        stop(gunicorn)

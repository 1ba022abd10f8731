#!/usr/bin/env python3
"""The several-machines shape of aireport, on one machine, with the engines production uses.

    scripts/cluster up       start whatever is not running (again), wait for /health/ via nginx
    scripts/cluster down     stop everything `up` started, by the PIDs it wrote down
    scripts/cluster status   each part: running or not, its PID and address
    scripts/cluster stop P   stop one part (postgres, redis, app1, app2, worker, nginx)

The parts: a private PostgreSQL cluster (initdb in the folder, not the machine's own), Redis,
two gunicorn app servers with the production settings (app1 migrates, app2 runs with
MIGRATE=false), one `manage.py task_worker` for the emails, and nginx with deploy/nginx/ (its
plain-http variant) with both app servers in its upstream. Everything listens on 127.0.0.1.

Set from the environment (defaults in brackets):
  CLUSTER_DIR            the folder for data, logs and PID files [/tmp/aireport-cluster]
  CLUSTER_NGINX_PORT     the address readers use [18080]
  CLUSTER_APP1_PORT      first app server [18001]
  CLUSTER_APP2_PORT      second app server [18002]
  CLUSTER_POSTGRES_PORT  PostgreSQL [18432]
  CLUSTER_REDIS_PORT     Redis [18379]
  CLUSTER_WORKERS        gunicorn workers per app server [2]
Any other setting of .env.example (COMMENTS_MIN_SECONDS, PAGE_CACHE_MAX_AGE, …) passes through
to the app servers and the worker at the first `up`; the folder keeps them (settings.json), so
a part started again later runs with the same ones. Mail goes to files in the folder (mail/)
unless EMAIL_URL names a server.

As root, PostgreSQL runs as the `postgres` user (it refuses to run as root); nginx's workers as
root, so that they can read the folder.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.deploy.nginx import nginx_binary, write_nginx_prefix  # noqa: E402

PARTS = ("postgres", "redis", "app1", "app2", "worker", "nginx")
#: What a part's command line contains: a PID file whose process now runs something else
#: (the PID was reused) is not ours to stop.
SIGNATURES = {
    "postgres": "postgres",
    "redis": "redis-server",
    "app1": "gunicorn",
    "app2": "gunicorn",
    "worker": "task_worker",
    "nginx": "nginx",
}
DEFAULT_PORTS = {"nginx": 18080, "app1": 18001, "app2": 18002, "postgres": 18432, "redis": 18379}
#: Settings of the test environment that a production server never has.
TEST_ONLY = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST"}


class Cluster:
    def __init__(self, folder: Path | None = None, environ: dict | None = None):
        environ = dict(os.environ if environ is None else environ)
        self.environ = environ
        self.folder = Path(
            folder or environ.get("CLUSTER_DIR", Path(tempfile.gettempdir()) / "aireport-cluster")
        )
        self.ports = {
            part: int(environ.get(f"CLUSTER_{part.upper()}_PORT", default))
            for part, default in DEFAULT_PORTS.items()
        }
        self.workers = environ.get("CLUSTER_WORKERS", "2")

    # --- addresses and files ---------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['nginx']}"

    def app_url(self, part: str) -> str:
        return f"http://127.0.0.1:{self.ports[part]}"

    def pid_file(self, part: str) -> Path:
        if part == "postgres":
            return self.folder / "postgres" / "data" / "postmaster.pid"
        return self.folder / f"{part}.pid"

    def log_file(self, part: str) -> Path:
        return self.folder / f"{part}.log"

    def pid(self, part: str) -> int | None:
        """The part's PID while it runs, else None (a stale PID file is ignored)."""
        try:
            pid = int(self.pid_file(part).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return None
        if SIGNATURES[part] not in command or Path(f"/proc/{pid}/stat").read_text().split()[2] in (
            "Z",
            "X",
        ):
            return None
        return pid

    @property
    def settings_file(self) -> Path:
        return self.folder / "settings.json"

    def app_env(self) -> dict:
        """The environment of the app servers and the worker: fixed at the first `up`."""
        saved = json.loads(self.settings_file.read_text())
        env = {k: v for k, v in self.environ.items() if k not in TEST_ONLY}
        env.update(saved)
        return env

    def write_settings(self) -> None:
        if self.settings_file.exists():
            return
        password = secrets.token_urlsafe(24)
        (self.folder / "postgres").mkdir(parents=True, exist_ok=True)
        (self.folder / "postgres-password").write_text(password)
        origin = self.url
        settings = {
            "DJANGO_SETTINGS_MODULE": "aireport.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": origin,
            "CSRF_TRUSTED_ORIGINS": origin,
            "HTTPS": "false",
            "BEHIND_PROXY": "true",
            "PROXY_COUNT": "1",
            "DATABASE_URL": (
                f"postgres://aireport:{password}@127.0.0.1:{self.ports['postgres']}/aireport"
            ),
            # Short timeouts: a Redis that is gone must not hold a request.
            "CACHE_URL": (
                f"redis://127.0.0.1:{self.ports['redis']}/0"
                "?socket_connect_timeout=1&socket_timeout=1"
            ),
            "STATIC_ROOT": str(self.folder / "static"),
            "MEDIA_ROOT": str(self.folder / "media"),
            # Four slashes: django-environ drops the first of the path's.
            "EMAIL_URL": f"filemail:///{self.folder / 'mail'}",
            "ALLOW_CONSOLE_EMAIL": "true",
            "COMMENTS_MODERATOR_EMAILS": "moderation@example.org",
            "WEB_CONCURRENCY": self.workers,
            "LOG_LEVEL": "WARNING",
        }
        # The caller's own choices of the tunable settings win (a real EMAIL_URL, …).
        settings.update({k: v for k, v in self.environ.items() if k in PASS_THROUGH})
        self.settings_file.write_text(json.dumps(settings, indent=2))
        self.settings_file.chmod(0o600)

    # --- the parts ---------------------------------------------------------------------
    def up(self) -> None:
        fresh = not self.folder.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)
        self.write_settings()
        if self.pid("postgres") is None:
            self.start_postgres()
        if self.pid("redis") is None:
            self.start_redis()
        if self.pid("app1") is None:
            self.start_app("app1", migrate=True, seed=fresh)
        if self.pid("app2") is None:
            self.start_app("app2", migrate=False)
        if self.pid("worker") is None:
            self.start_worker()
        if self.pid("nginx") is None:
            self.start_nginx()
        self.wait_healthy(self.url, seconds=90)

    def down(self) -> None:
        for part in reversed(PARTS):
            self.stop(part)

    def stop(self, part: str, sig: int = signal.SIGTERM) -> None:
        pid = self.pid(part)
        if pid is None:
            return
        if part == "postgres":
            # Its "fast" shutdown (SIGINT) ends the sessions and stops cleanly.
            os.kill(pid, signal.SIGINT if sig == signal.SIGTERM else sig)
        else:
            # Each part runs in a session of its own: the signal reaches all its processes
            # (gunicorn's workers, the worker's restart loop and its task_worker).
            os.killpg(pid, sig)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.pid(part) == pid:
            time.sleep(0.1)
        if self.pid(part) == pid and sig != signal.SIGKILL:
            self.stop(part, signal.SIGKILL)
        if part != "postgres":
            self.pid_file(part).unlink(missing_ok=True)

    def status(self) -> dict:
        return {
            part: {
                "pid": self.pid(part),
                "address": f"127.0.0.1:{self.ports[part]}" if part in self.ports else None,
            }
            for part in PARTS
        }

    def spawn(self, part: str, command: list[str], env: dict | None = None) -> int:
        """Starts a part in its own session (a Ctrl-C in the terminal does not reach it)."""
        port = self.ports.get(part)
        if port is not None:
            ensure_free(port, part)
        with self.log_file(part).open("ab") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid_file(part).write_text(f"{process.pid}\n")
        if port is not None:
            wait_for_port(port, process, part, seconds=60)
        return process.pid

    def as_postgres(self, command: list[str]) -> list[str]:
        """PostgreSQL refuses to run as root: as root, its commands run as `postgres`."""
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def start_postgres(self) -> None:
        binaries = postgres_binaries()
        home = self.folder / "postgres"
        data = home / "data"
        home.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(home, "postgres", "postgres")
        password_file = self.folder / "postgres-password"
        if not (data / "PG_VERSION").exists():
            pwfile = home / "pwfile"
            pwfile.write_text(password_file.read_text() + "\n")
            if os.geteuid() == 0:
                shutil.chown(pwfile, "postgres", "postgres")
            pwfile.chmod(0o600)
            run(
                self.as_postgres(
                    [str(binaries / "initdb"), "-D", str(data), "-U", "aireport"]
                    + ["--pwfile", str(pwfile), "--auth", "scram-sha-256"]
                    + ["--encoding", "UTF8", "--locale", "C.UTF-8"]
                )
            )
            pwfile.unlink()
            fresh = True
        else:
            fresh = False
        ensure_free(self.ports["postgres"], "postgres")
        options = (
            f"-p {self.ports['postgres']} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={home} -c max_connections=100 -c fsync=on"
        )
        run(
            self.as_postgres(
                [str(binaries / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data)]
                + ["-l", str(home / "postgres.log"), "-o", options]
            )
        )
        if fresh:
            env = {
                **os.environ,
                "PGPASSWORD": password_file.read_text(),
                "PGHOST": "127.0.0.1",
                "PGPORT": str(self.ports["postgres"]),
                "PGUSER": "aireport",
            }
            run([str(binaries / "createdb"), "aireport"], env=env)

    def start_redis(self) -> None:
        self.spawn(
            "redis",
            [shutil.which("redis-server") or "redis-server", "--port", str(self.ports["redis"])]
            + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
            + ["--dir", str(self.folder), "--maxmemory", "256mb"]
            + ["--maxmemory-policy", "allkeys-lru"],
        )

    def manage(self, *args: str) -> None:
        run([sys.executable, "manage.py", *args], env=self.app_env())

    def start_app(self, part: str, *, migrate: bool, seed: bool = False) -> None:
        """As scripts/serve-production does it: collectstatic, migrate on one server only
        (MIGRATE=false on the other), then gunicorn."""
        env = {**self.app_env(), "GUNICORN_BIND": f"127.0.0.1:{self.ports[part]}"}
        env["MIGRATE"] = "true" if migrate else "false"
        if not (self.folder / "static" / "staticfiles.json").exists():
            self.manage("collectstatic", "--noinput", "--verbosity", "0")
        if migrate:
            self.manage("migrate", "--noinput", "--verbosity", "0")
        if seed:
            self.manage("import_report")
        self.spawn(
            part,
            [sys.executable, "-m", "gunicorn", "--config", "aireport/gunicorn_conf.py"],
            env=env,
        )

    def start_worker(self) -> None:
        """task_worker exits when the database goes away; like systemd's Restart=always
        (docs/deployment.md), a loop starts it again."""
        interval = self.environ.get("CLUSTER_WORKER_INTERVAL", "1")
        self.spawn(
            "worker",
            ["bash", "-c", RESTART_LOOP, "worker"]
            + [sys.executable, "manage.py", "task_worker", "--no-reload", "--interval", interval],
            env=self.app_env(),
        )

    def start_nginx(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise SystemExit("nginx is missing (apt-get install nginx)")
        prefix = self.folder / "nginx"
        shutil.rmtree(prefix, ignore_errors=True)
        config = write_nginx_prefix(
            prefix,
            nginx_port=self.ports["nginx"],
            gunicorn_ports=(self.ports["app1"], self.ports["app2"]),
            workers="2",
        )
        self.spawn("nginx", [binary, "-p", str(prefix), "-c", str(config)])

    def wait_healthy(self, base: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(base + "/health/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{base}/health/ did not answer 200 within {seconds:.0f} s")
            time.sleep(0.3)


RESTART_LOOP = 'while true; do "$@"; echo "exited with $?, again in 2 s" >&2; sleep 2; done'

#: Settings a caller may give the cluster beyond those it sets itself (.env.example's).
PASS_THROUGH = {
    "EMAIL_URL",
    "COMMENTS_MODERATOR_EMAILS",
    "COMMENTS_MIN_SECONDS",
    "COMMENTS_FLOOD_SECONDS",
    "COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS",
    "COMMENTS_MODERATION_WORDS",
    "COMMENTS_BLOCKLIST_WORDS",
    "PAGE_CACHE_MAX_AGE",
    "PAGE_CACHE_STALE_SECONDS",
    "AXES_FAILURE_LIMIT",
    "DATABASE_POOL",
    "CONN_MAX_AGE",
    "GUNICORN_THREADS",
    "EMAIL_MAX_ATTEMPTS",
    "RELEASE",
    "ADMIN_URL",
}


def postgres_binaries() -> Path:
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        raise SystemExit("PostgreSQL is missing (apt-get install postgresql)")
    return versions[-1].parent


def run(command: list[str], env: dict | None = None) -> None:
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command[:4])} … failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )


def ensure_free(port: int, part: str) -> None:
    with socket.socket() as sock:
        # As the servers themselves bind: connections of a previous run (TIME_WAIT) do not
        # count, only another listener does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(
                f"port {port} for {part} is taken: choose another with CLUSTER_{part.upper()}_PORT"
            ) from None


def wait_for_port(port: int, process: subprocess.Popen, part: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{part} exited at start (code {process.returncode}); see its log")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{part} did not listen on port {port} within {seconds:.0f} s")


def main(argv: list[str]) -> int:
    cluster = Cluster()
    match argv:
        case ["up"]:
            cluster.up()
            print(f"aireport cluster: {cluster.url}/ (folder {cluster.folder})")
        case ["down"]:
            cluster.down()
        case ["status"]:
            for part, state in cluster.status().items():
                running = f"running, PID {state['pid']}" if state["pid"] else "stopped"
                where = f" on {state['address']}" if state["address"] else ""
                print(f"{part:9} {running}{where}")
        case ["stop", part] if part in PARTS:
            cluster.stop(part)
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

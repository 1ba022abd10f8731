"""nginx with deploy/nginx/ in a throw-away prefix: the test variant (plain http on 127.0.0.1)
in front of a gunicorn. Used by tests/deploy/ and by scripts/benchmark.py."""

import os
import shutil
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy" / "nginx"
NGINX_CONF = """
worker_processes {workers};
{user}
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    include aireport/test-plain-http.conf;
    {extra}
}}
"""


def free_ports(count: int) -> list[int]:
    """Distinct free ports (each held open until all are found)."""
    held = []
    try:
        for port in range(8300, 8400):
            sock = socket.socket()
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                sock.close()
                continue
            held.append(sock)
            if len(held) == count:
                return [s.getsockname()[1] for s in held]
        raise RuntimeError(f"fewer than {count} free ports in {range(8300, 8400)}")
    finally:
        for sock in held:
            sock.close()


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def write_nginx_prefix(
    prefix: Path,
    *,
    nginx_port: int,
    gunicorn_port: int | None = None,
    gunicorn_ports: tuple[int, ...] = (),
    extra: str = "",
    workers: str = "1",
) -> Path:
    """An nginx prefix whose conf/aireport/ holds deploy/nginx/ with the test values filled in:
    one app server (`gunicorn_port`) or several (`gunicorn_ports`, scripts/cluster.py)."""
    ports = gunicorn_ports or (gunicorn_port,)
    site = prefix / "conf" / "aireport"
    site.mkdir(parents=True)
    (prefix / "temp").mkdir()
    for name in ("http.conf", "server.conf"):
        (site / name).symlink_to(DEPLOY / name)
    variant = (DEPLOY / "test-plain-http.conf").read_text()
    for placeholder, value in {
        "@UPSTREAM_SERVERS@": "\n    ".join(f"server 127.0.0.1:{port};" for port in ports),
        "@NGINX_PORT@": str(nginx_port),
        "@CACHE_DIR@": str(prefix / "cache"),
    }.items():
        variant = variant.replace(placeholder, value)
    (site / "test-plain-http.conf").write_text(variant)
    config = prefix / "conf" / "nginx.conf"
    # As root, nginx's workers would run as nobody, who cannot read the test's folders.
    user = "user root;" if os.geteuid() == 0 else ""
    config.write_text(NGINX_CONF.format(user=user, prefix=prefix, extra=extra, workers=workers))
    return config

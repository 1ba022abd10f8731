"""The production configuration (deploy/nginx/aireport.conf, with TLS) is valid for nginx."""

import shutil
import subprocess

from tests.deploy.nginx import DEPLOY, nginx_binary
from tests.tooling import tool_unavailable


def test_the_production_configuration_passes_nginx_t(tmp_path):
    binary = nginx_binary()
    if binary is None or shutil.which("openssl") is None:
        tool_unavailable("nginx or openssl is missing (apt-get install nginx openssl)")
    certificates = tmp_path / "certificates"
    certificates.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=www.example.org", "-keyout", str(certificates / "privkey.pem")]
        + ["-out", str(certificates / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "conf" / "aireport"
    site.mkdir(parents=True)
    for name in ("http.conf", "server.conf"):
        (site / name).symlink_to(DEPLOY / name)
    # Only the machine's paths change: certificates and cache folder.
    production = (DEPLOY / "aireport.conf").read_text()
    for machine_path, test_path in {
        "/etc/letsencrypt/live/www.example.org": str(certificates),
        "/var/cache/nginx/aireport": str(tmp_path / "cache"),
    }.items():
        assert machine_path in production
        production = production.replace(machine_path, test_path)
    (site / "aireport.conf").write_text(production)
    config = tmp_path / "conf" / "nginx.conf"
    config.write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{\n  proxy_temp_path {tmp_path}/proxy;\n  include aireport/aireport.conf;\n}}\n"
    )

    result = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr

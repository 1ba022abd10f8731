"""What goes into the logs, and how: one JSON object per line on stdout (python-json-logger),
for Django and for gunicorn alike, so a log collector can parse it without rules.

Fields: time, level, logger, message, and where present status (HTTP status of a failed
request) and exception (the traceback). Client addresses are logged shortened, like the ones
stored with comments (IPv4 /24, IPv6 /48); user agents, referrers and query strings are not
logged at all (docs/privacy.md lists everything that is logged).
"""

from types import SimpleNamespace

from gunicorn.glogging import Logger
from pythonjsonlogger.core import RESERVED_ATTRS

from aireport.proxies import client_ip, shorten_ip

#: The formatter for logging's dictConfig (settings.LOGGING and aireport/gunicorn_conf.py).
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": ["levelname", "name", "message"],
    "rename_fields": {
        "levelname": "level",
        "name": "logger",
        "status_code": "status",
        "exc_info": "exception",
    },
    "timestamp": "time",
    "json_ensure_ascii": False,
    # Besides logging's own attributes: Django's request object (its repr says nothing the
    # message does not) and the dev server's duplicate time.
    "reserved_attrs": [*RESERVED_ATTRS, "request", "server_time"],
}

#: gunicorn's access log line: shortened client address, request without query string,
#: status, bytes, milliseconds. No user agent, no referrer.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def shortened_client(meta) -> str:
    """The client's address as the app sees it (behind PROXY_COUNT proxies), shortened."""
    return shorten_ip(client_ip(SimpleNamespace(META=meta))) or "-"


class PrivateAccessLogger(Logger):
    """gunicorn's logger, with the client address shortened and no browser details."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = shortened_client(environ)
        atoms["a"] = atoms["f"] = "-"
        return atoms


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a client in its log lines: no user agent, a shortened address."""
    return f"{{username: {username!r}, network: {shorten_ip(ip_address)!r}}}"

"""gunicorn settings, read from the environment (scripts/serve-production uses this file).

GUNICORN_BIND        address to listen on; default 127.0.0.1:8000, reached only through the proxy
WEB_CONCURRENCY      worker processes; default 2 × CPU cores + 1
GUNICORN_THREADS     threads per worker; default 1 (more threads help while a request waits)
GUNICORN_TIMEOUT     seconds before a silent worker is restarted; default 30
GUNICORN_MAX_REQUESTS requests before a worker is recycled; default 100 000 (± 10 %)
FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers gunicorn and the app trust; default
                     127.0.0.1,::1
"""

import os
from pathlib import Path

import environ

from aireport.log_format import ACCESS_LOG_FORMAT, JSON_FORMATTER, PrivateAccessLogger
from aireport.proxies import DEFAULT_FORWARDED_ALLOW_IPS

env = environ.Env()
# The same .env as the Django settings, read before gunicorn forks its workers.
env.read_env(Path(__file__).resolve().parent.parent / ".env")

wsgi_app = "aireport.wsgi:application"
bind = env.str("GUNICORN_BIND", default="127.0.0.1:8000")
workers = env.int("WEB_CONCURRENCY", default=2 * (os.cpu_count() or 1) + 1)
threads = env.int("GUNICORN_THREADS", default=1)
timeout = env.int("GUNICORN_TIMEOUT", default=30)
graceful_timeout = timeout
keepalive = 5
# Load Django once in the master: workers start (and restart) by forking, in milliseconds.
preload_app = True
# Recycle workers now and then, staggered, so a slow leak never takes all of them at once.
# Not too often: a busy worker serves a thousand requests a second, and each new worker
# starts with an empty local page cache.
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=100_000)
max_requests_jitter = max_requests // 10
# The same list the app trusts with X-Forwarded-For (aireport/proxies.py).
forwarded_allow_ips = env.str("FORWARDED_ALLOW_IPS", default=",".join(DEFAULT_FORWARDED_ALLOW_IPS))
# No gunicornc control socket: its default path is per user, so two servers on one machine
# (say, the site and a benchmark) would fight over it.
control_socket_disable = True

# One JSON object per line on stdout, like the application's own log (aireport/log_format.py):
# client addresses shortened as in the database, no user agent, referrer or query string.
accesslog = "-"
errorlog = "-"
access_log_format = ACCESS_LOG_FORMAT
logger_class = PrivateAccessLogger
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": JSON_FORMATTER},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}

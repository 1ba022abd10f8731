"""Settings for aireport, read from the environment in this one place.

Every variable is listed with its meaning in `.env.example`. Defaults are safe for
production: DEBUG is off, and with DEBUG off the site refuses to start without a real
SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from aireport.log_format import JSON_FORMATTER
from aireport.proxies import DEFAULT_FORWARDED_ALLOW_IPS, ipware_settings, trusted_networks

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 40 characters when DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host(s) when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "aireport.queue_app.TaskQueueConfig",
    "reversion",
    "axes",
    "aireport",
    "reports",
    "comments",
    "legal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aireport.middleware.UndecodableCharsetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "aireport.page_cache.SharedPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aireport.urls"
WSGI_APPLICATION = "aireport.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aireport.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite by default. WAL lets readers and one writer work side by side, the busy timeout
# makes writers queue instead of failing, and IMMEDIATE transactions take the write lock
# up front, so a read-then-write transaction never dies with "database is locked".
# A missing SQLite file is an error, never silently created empty: only `migrate` creates it
# (aireport/sqlite_backend).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "aireport.sqlite_backend"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Keep connections open between requests: opening one (and, on SQLite, running the PRAGMAs)
# would otherwise cost more than the query a cached page needs. The health check before a
# connection is reused finds one that a database restart broke, so a server recovers by itself.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL only: psycopg's connection pool instead (needs the psycopg-pool package). Measured
# no faster with gunicorn's one-thread workers (docs/deployment.md), so off by default.
if env.bool("DATABASE_POOL", default=False):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_POOL needs a PostgreSQL DATABASE_URL.")
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
        "timeout": 10,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Backups keep datetimes to the microsecond (aireport/exact_json.py).
SERIALIZATION_MODULES = {"json-exact": "aireport.exact_json"}

# --- Cache ----------------------------------------------------------------------------
# Local memory by default; several app servers must share one (redis://…) so that page
# fragments, flood control and login throttling agree across them.
# django-environ maps redis:// to django-redis whenever that package happens to be installed;
# Django's own Redis backend needs only the redis client, so it is named explicitly.
_CACHE_URL = env.str("CACHE_URL", default="locmemcache://aireport")
_REDIS = _CACHE_URL.split("://", 1)[0] in ("redis", "rediss", "rediscache")
CACHES = {
    "default": env.cache_url_config(
        _CACHE_URL, backend="django.core.cache.backends.redis.RedisCache" if _REDIS else None
    ),
}
# What every worker must agree on (comment flood control): Redis when configured, otherwise a
# table in the database, shared by all gunicorn workers (created by `manage.py createcachetable`,
# which scripts/serve and scripts/serve-production run).
CACHES["shared"] = (
    CACHES["default"]
    if _REDIS
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "shared_cache"}
)

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Only failed logins are kept (for the lockout); successful ones would store every staff
# member's full IP address and browser for good.
AXES_DISABLE_ACCESS_LOG = True
# No "AXES: BEGIN version …" log line at every start: the log goes to stdout, and commands
# whose output is data (`export_personal_data > erika.json`) must print nothing else.
AXES_VERBOSE = False
# Client addresses (login throttling, comment flood control) behind PROXY_COUNT proxies.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
vars().update(ipware_settings(PROXY_COUNT))
# Only these peers may name the client in X-Forwarded-For (gunicorn reads the same variable).
FORWARDED_ALLOW_IPS = env.list("FORWARDED_ALLOW_IPS", default=list(DEFAULT_FORWARDED_ALLOW_IPS))
trusted_networks(tuple(FORWARDED_ALLOW_IPS))  # a typo stops the start, not the first request
AXES_CLIENT_IP_CALLABLE = "aireport.proxies.client_ip"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# Its log lines name a client by user name and shortened address only (docs/privacy.md).
AXES_CLIENT_STR_CALLABLE = "aireport.log_format.axes_client_str"
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
# After a login whose `next` is missing or points elsewhere (an unsafe host): the admin's start
# page, not Django's /accounts/profile/, which this site does not have.
LOGIN_REDIRECT_URL = "admin:index"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "de"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Generated files (the reports' preview cards), served by the app under /media/ with long caching.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "aireport.storage.MinifiedStaticFilesStorage"},
}

# --- Security -------------------------------------------------------------------------
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain http; a redirect would count as "unhealthy".
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
)
SECURE_HSTS_SECONDS = 63072000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "aireport.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# --- Email ----------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Mail that is never delivered (console, file, memory, dummy) would put the moderators' emails,
# with readers' addresses and texts, into the log, and nobody would moderate. With DEBUG off
# that needs an explicit ALLOW_CONSOLE_EMAIL=true.
_UNDELIVERED = {"console", "filebased", "locmem", "dummy"}
if (
    not DEBUG
    and EMAIL_CONFIG["EMAIL_BACKEND"].split(".")[-2] in _UNDELIVERED
    and not env.bool("ALLOW_CONSOLE_EMAIL", default=False)
):
    raise ImproperlyConfigured(
        "EMAIL_URL must name a mail server (smtp+tls://…) when DEBUG is off; "
        f"{EMAIL_CONFIG['EMAIL_BACKEND']} delivers nothing. "
        "Set ALLOW_CONSOLE_EMAIL=true to allow it anyway."
    )
# A mail server that hangs must not hold a reader's request (the moderators' email is sent
# right after a comment is saved).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="aireport <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Who publishes the site: page titles, footer, feeds, structured data and email sender name.
SITE_NAME = env.str("SITE_NAME", default="aireport")
SITE_PUBLISHER = env.str("SITE_PUBLISHER", default="aireport")
SITE_CONTACT_EMAIL = env.str("SITE_CONTACT_EMAIL", default="")

# --- Task queue -----------------------------------------------------------------------
# Emails go out from a queue in the database; `manage.py task_worker` sends them (scripts/serve
# runs it beside the server, production as a second process: docs/publication.md).
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}
# A task RUNNING under a worker without a heartbeat for this long is stuck: /health/ says
# "degraded" and the next worker queues it again (aireport/worker.py, docs/reliability.md).
TASKS_STUCK_AFTER_SECONDS = env.int("TASKS_STUCK_AFTER_SECONDS", default=5 * 60)
# How often a worker writes its heartbeat; well below the limit above.
TASKS_HEARTBEAT_SECONDS = env.float("TASKS_HEARTBEAT_SECONDS", default=30)
# Attempts for one email before it is given up (waits 1, 4, 16, 64 … minutes between them).
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=6)
# Part of every cached page's key: a new release never serves pages cached by the old one.
RELEASE = env.str("RELEASE", default="1")

# --- Shared pages (aireport/page_cache.py) ---------------------------------------------
# Seconds a proxy or CDN may keep an anonymous page (s-maxage), and may then serve it stale while
# it asks again: an approved comment shows within about PAGE_CACHE_MAX_AGE seconds. Browsers
# always ask again (max-age=0) and get 304 while nothing changed.
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=5)
PAGE_CACHE_STALE_SECONDS = env.int("PAGE_CACHE_STALE_SECONDS", default=30)
# Seconds a page stays in the app's own cache; every change makes a new version anyway.
PAGE_CACHE_TIMEOUT = 60 * 60 * 24
COMMENTS_OWN_COOKIE = "comments_own"
COMMENTS_AUTHOR_COOKIE = "comment_author"
# The app's own cookies: a request with any of them gets a fresh, private page. Other cookies
# (a load balancer's, analytics) do not matter. deploy/nginx/aireport.conf lists the same names.
PAGE_CACHE_PRIVATE_COOKIES = [
    SESSION_COOKIE_NAME,
    CSRF_COOKIE_NAME,
    "messages",
    COMMENTS_OWN_COOKIE,
    COMMENTS_AUTHOR_COOKIE,
]
# Query parameters the app reads (reply to a comment, "Diskutieren" a section without
# JavaScript, the signed preview of one's own pending comment); any other parameter is ignored
# and the shared page is served.
PAGE_CACHE_QUERY_PARAMETERS = [
    "replytocom",
    "abschnitt",
    "unapproved",
    "moderation-hash",
    "drucken",  # "Drucken mit Kommentaren" (reports.views.PRINT_PARAMETER)
]

# --- Comments -------------------------------------------------------------------------
COMMENTS_MODERATOR_EMAILS = env.list("COMMENTS_MODERATOR_EMAILS", default=[])
# Moderation rules (comments/spam.py). Words match case-insensitively anywhere in
# name, email, website or text, as in WordPress's "Comment Moderation"/"Disallowed Keys".
COMMENTS_MODERATION_WORDS = env.list("COMMENTS_MODERATION_WORDS", default=[])
COMMENTS_BLOCKLIST_WORDS = env.list("COMMENTS_BLOCKLIST_WORDS", default=[])
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
COMMENTS_MIN_SECONDS = env.int("COMMENTS_MIN_SECONDS", default=3)
COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS = env.bool("COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS", default=True)
COMMENTS_MAX_DEPTH = env.int("COMMENTS_MAX_DEPTH", default=5)
COMMENTS_FLOOD_SECONDS = env.int("COMMENTS_FLOOD_SECONDS", default=15)
COMMENTS_FLOOD_CACHE = "shared"
# A form timestamp older than this asks the reader to send the form again (text kept).
COMMENTS_FORM_MAX_AGE_SECONDS = env.int("COMMENTS_FORM_MAX_AGE_SECONDS", default=60 * 60 * 24)
COMMENTS_IP_RETENTION_DAYS = env.int("COMMENTS_IP_RETENTION_DAYS", default=7)
# The rules above are the defaults of the admin's "Diskussion" record (comments/rules.py).
COMMENTS_HOLD_AFTER_NOTICES = env.int("COMMENTS_HOLD_AFTER_NOTICES", default=0)
# At most this many confirmation emails to one address a day (no mail bombing a stranger).
COMMENTS_CONFIRMATION_EMAILS_PER_DAY = env.int("COMMENTS_CONFIRMATION_EMAILS_PER_DAY", default=3)
COMMENTS_TRASH_DAYS = env.int("COMMENTS_TRASH_DAYS", default=30)
# How long the desk offers "Rückgängig" after an action; a statement of reasons waits as long.
COMMENTS_UNDO_SECONDS = env.int("COMMENTS_UNDO_SECONDS", default=120)
COMMENTS_NOTICE_RETENTION_DAYS = env.int("COMMENTS_NOTICE_RETENTION_DAYS", default=365)
# Long discussions (comments/paging.py): top-level threads per page (0 = all on one page),
# and whether page 1 holds the oldest threads (WordPress's default) or the newest.
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=50)
COMMENTS_ORDER = env.str("COMMENTS_ORDER", default="oldest")
# A page of the discussion that would hold more comments than this shows each thread's first
# comment and "3 Antworten anzeigen" instead of the replies (0 = never fold).
COMMENTS_FOLD_ABOVE = env.int("COMMENTS_FOLD_ABOVE", default=50)
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=0)
if COMMENTS_ORDER not in ("oldest", "newest"):
    raise ImproperlyConfigured('COMMENTS_ORDER must be "oldest" or "newest".')

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": JSON_FORMATTER,
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

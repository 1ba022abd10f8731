"""Settings for the test suite: fast hashing, in-memory cache and mail, no HTTPS."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("HTTPS", "false")
# Test mail goes to memory (EMAIL_BACKEND below), which production refuses without this.
os.environ.setdefault("ALLOW_CONSOLE_EMAIL", "true")
# Playwright's sync API runs an event loop in the test thread; Django's async-safety check
# would otherwise refuse database access from the live_server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, so tests see their emails in the outbox; the tests of the queue itself
# switch to the database backend and run the worker (tests/publication/test_task_queue.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the app folders, as in development: no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
SITE_URL = "http://testserver"
# Preview cards drawn while testing go to a temporary folder, not into the project.
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"aireport-test-media-{os.getpid()}")

# A file, not memory, so that the SQLite test database runs in WAL mode like the real one
# and parallel writers (threads, the live server) share it. One file per test process.
if DATABASES["default"]["ENGINE"] == "aireport.sqlite_backend":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"aireport-test-{os.getpid()}.sqlite3")
    }

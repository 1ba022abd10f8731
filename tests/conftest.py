import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from reports.seed import import_report, read_seed_file
from tests.aireport.conftest import free_port, wait_for_port
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.clients import BrowserClient
from tests.tooling import tool_unavailable

SEED_PATH = Path(settings.BASE_DIR) / "seeds" / "000_1776a3e05bf6af61.txt"


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and counters must not leak from one test into the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def client():
    """pytest-django's client, sending the headers every current browser sends."""
    return BrowserClient()


@pytest.fixture
def seed_path() -> Path:
    return SEED_PATH


@pytest.fixture
def seeded_report(db):
    """The seed report as the import command stores it."""
    from reports.models import Report

    import_report(read_seed_file(SEED_PATH))
    return Report.objects.get()


class RedisServer:
    """A throwaway redis-server on 127.0.0.1 (Debian's package) that a test may stop and start
    again on the same port."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process, seconds=10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def legal_pages(db):
    """Impressum, Datenschutz and Diskussionsregeln as their migrations create them.
    Transactional tests flush every row, migration data included, so they are created again
    here when missing."""
    import importlib

    from django.apps import apps

    from legal.models import LegalPage

    importlib.import_module("legal.migrations.0002_initial_pages").create_pages(apps, None)
    importlib.import_module("legal.migrations.0004_discussion_rules_text").create_page(apps, None)
    return {page.slug: page for page in LegalPage.objects.all()}


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        tool_unavailable("redis-server is missing (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


#: Static files as production stores them (aireport/storage.py: minified, hashed, compressed).
PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "aireport.storage.MinifiedStaticFilesStorage"},
}


@pytest.fixture(scope="session")
def production_static(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """collectstatic with production's storage, once per run: the folder and the manifest's
    map from each file's name to its hashed name."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((root / "staticfiles.json").read_text())
    return root, manifest["paths"]


#: The Nu HTML Checker, from npm's `vnu-jar` package pinned in package.json.
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def html_errors():
    """A function that returns the Nu HTML Checker's errors for a document (HTML by default;
    `"--css"` for a stylesheet), or for files given as paths, in one run of the checker.

    Java and `npm ci` are needed; without them the test skips locally and fails in CI."""
    java = shutil.which("java")
    if java is None:
        tool_unavailable("Java is not installed")
    if not VNU_JAR.is_file():
        tool_unavailable("vnu.jar is missing; run `npm ci`")

    def check(document: str | list[Path], *options: str) -> list[str]:
        files = [str(path) for path in document] if isinstance(document, list) else ["-"]
        result = subprocess.run(
            [java, "-jar", str(VNU_JAR), *options, "--format", "json", "--stdout", *files],
            input=document.encode() if files == ["-"] else None,
            capture_output=True,
            timeout=180,
            check=False,
        )
        messages = json.loads(result.stdout)["messages"]
        return [
            f"{Path(m['url']).name + ' ' if files != ['-'] and 'url' in m else ''}"
            f"line {m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()}]"
            for m in messages
            if m["type"] == "error" or m.get("subType") == "fatal"
        ]

    return check


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole run: the browser tests and the
    cluster's share it, since a second sync Playwright in one process is refused."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        tool_unavailable("Playwright is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        tool_unavailable(f"Chromium not found at {CHROMIUM}")

    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        except Error as error:
            tool_unavailable(f"Chromium did not start: {error.message.splitlines()[0]}")
        yield chromium
        chromium.close()

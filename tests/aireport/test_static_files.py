"""Static files as production serves them: hashed names, compressed copies, cached for good."""

import gzip
import shutil
import subprocess
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client

from tests.conftest import PRODUCTION_STORAGES
from tests.tooling import tool_unavailable


@pytest.fixture
def collected_static(settings, production_static):
    """The collected files served by whitenoise as in production (no autorefresh)."""
    root, paths = production_static
    settings.STATIC_ROOT = root
    settings.STORAGES = PRODUCTION_STORAGES
    settings.WHITENOISE_AUTOREFRESH = False
    return root, paths


def test_collectstatic_writes_hashed_files_with_gzip_and_brotli_copies(collected_static):
    root, paths = collected_static

    for name in ("css/site.css", "js/report.js"):
        hashed = paths[name]
        assert hashed != name
        original = (root / hashed).read_bytes()
        assert gzip.decompress((root / f"{hashed}.gz").read_bytes()) == original
        assert brotli.decompress((root / f"{hashed}.br").read_bytes()) == original


def test_hashed_files_are_served_compressed_with_a_far_future_immutable_cache(
    collected_static,
):
    _, paths = collected_static
    client = Client()  # a new client builds the middleware, so whitenoise sees the files

    response = client.get(f"/static/{paths['css/site.css']}", HTTP_ACCEPT_ENCODING="gzip, br")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert "Accept-Encoding" in response["Vary"]


def test_unhashed_names_are_served_but_only_cached_briefly(collected_static):
    """Someone who links /static/css/site.css directly must see a new version soon."""
    response = Client().get("/static/css/site.css")

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"


@pytest.mark.django_db
def test_pages_link_the_hashed_files(collected_static):
    _, paths = collected_static

    html = Client(raise_request_exception=False).get("/gibt-es-nicht/").content.decode()

    assert f'href="/static/{paths["css/site.css"]}"' in html


def test_our_stylesheet_and_scripts_ship_minified_and_the_admins_as_django_wrote_them(
    collected_static,
):
    root, paths = collected_static
    source = settings.BASE_DIR / "static"

    for name in ("css/site.css", "js/report.js", "js/comments.js", "js/quote.js"):
        shipped = (root / paths[name]).read_text()
        written = (source / name).read_text()
        assert len(shipped) < 0.9 * len(written), name
        assert "/*" not in shipped and "\n  " not in shipped, name
    # The stylesheet keeps its rules: the dark scheme and the print styles are still there.
    stylesheet = (root / paths["css/site.css"]).read_text()
    assert "@media (prefers-color-scheme:dark)" in stylesheet
    assert "@media print" in stylesheet

    admin_script = "admin/js/actions.js"
    assert (root / paths[admin_script]).read_bytes() == (
        Path(admin.__file__).parent / "static" / admin_script
    ).read_bytes()


def test_minified_scripts_are_still_valid_javascript(collected_static):
    root, paths = collected_static
    node = shutil.which("node") or tool_unavailable("node (nodejs) is not installed")
    for name in ("js/report.js", "js/comments.js", "js/quote.js", "js/section-editor.js"):
        result = subprocess.run(
            [node, "--check", str(root / paths[name])], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr

"""Static files as production serves them: hashed names, compressed copies, cached for good."""

import gzip
import json

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic with production's storage, once for this module."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def collected_static(settings, static_root):
    """The collected files served by whitenoise as in production (no autorefresh)."""
    settings.STATIC_ROOT = static_root
    settings.STORAGES = PRODUCTION_STORAGES
    settings.WHITENOISE_AUTOREFRESH = False
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    return static_root, manifest["paths"]


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

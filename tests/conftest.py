from pathlib import Path

import pytest
from django.conf import settings

from reports.seed import import_report, read_seed_file

SEED_PATH = Path(settings.BASE_DIR) / "seeds" / "000_1776a3e05bf6af61.txt"


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and counters must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seed_path() -> Path:
    return SEED_PATH


@pytest.fixture
def seeded_report(db):
    """The seed report as the import command stores it."""
    from reports.models import Report

    import_report(read_seed_file(SEED_PATH))
    return Report.objects.get()


@pytest.fixture
def legal_pages(db):
    """Impressum and Datenschutz as their migration creates them. Transactional tests flush
    every row, migration data included, so they are created again here when missing."""
    import importlib

    from django.apps import apps

    from legal.models import LegalPage

    migration = importlib.import_module("legal.migrations.0002_initial_pages")
    migration.create_pages(apps, None)
    return {page.slug: page for page in LegalPage.objects.all()}

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

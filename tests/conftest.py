from pathlib import Path

import pytest
from django.conf import settings

from reports.seed import import_report, read_seed_file

SEED_PATH = Path(settings.BASE_DIR) / "seeds" / "000_1776a3e05bf6af61.txt"


@pytest.fixture
def seed_path() -> Path:
    return SEED_PATH


@pytest.fixture
def seeded_report(db):
    """The seed report as the import command stores it."""
    from reports.models import Report

    import_report(read_seed_file(SEED_PATH))
    return Report.objects.get()

"""What a backup holds: the site's own data, its revisions and the people who made them.

Sessions, login attempts (django-axes) and content types are left out: they are rebuilt or
expire on their own, and content types travel as natural keys ("reports.report").
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings

#: Data of installed libraries that belongs in a backup, besides the project's own apps.
LIBRARY_MODELS = ("auth.User", "auth.Group", "admin.LogEntry", "reversion")


def project_app_labels() -> list[str]:
    """Apps with models whose code lives in this repository (not in site-packages)."""
    base = Path(settings.BASE_DIR).resolve()
    labels = []
    for app_config in apps.get_app_configs():
        path = Path(app_config.path).resolve()
        if not path.is_relative_to(base) or "site-packages" in path.parts:
            continue
        if any(app_config.get_models()):
            labels.append(app_config.label)
    return labels


def backup_labels() -> list[str]:
    """Arguments for dumpdata: every model whose rows a restore must bring back."""
    return [*project_app_labels(), *LIBRARY_MODELS]

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


def rows_made_by_migrations() -> list:
    """Rows that `migrate` creates, which a restore into a fresh database replaces.

    The staff groups travel by natural key (their name), so the backup's groups update them.
    The legal pages count as long as they hold their placeholders: the admin saves no page
    with one left, so such a page is still the migration's template, not the operator's text.
    """
    return [
        apps.get_model("auth", "Group").objects.all(),
        apps.get_model("legal", "LegalPage").objects.unfinished(),
    ]


def load_over_rows_made_by_migrations(load) -> None:
    """Runs `load` (loaddata) after taking the migrations' legal pages out of the way: the
    backup's pages may have other ids for the same slugs. A page the backup lacks (added by a
    later migration) comes back as it was."""
    LegalPage = apps.get_model("legal", "LegalPage")
    templates = list(LegalPage.objects.unfinished())
    LegalPage.objects.filter(pk__in=[page.pk for page in templates]).delete()
    load()
    restored = set(LegalPage.objects.values_list("slug", flat=True))
    for page in templates:
        if page.slug not in restored:
            page.pk = None
            page.save()

"""Loads a backup written by `backup` into a migrated database, all or nothing.

Into an empty database (freshly migrated) it needs no option: the rows `migrate` made (staff
groups, the legal pages' templates) are replaced by the backup's. A database that already holds
data is refused unless the operator says what should happen to it: `--flush` deletes it first,
`--merge` writes the backup's rows over it (rows with the same id are overwritten, newer rows
are kept).
"""

import functools
from pathlib import Path

from django.apps import apps
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from aireport.backup import (
    backup_labels,
    load_over_rows_made_by_migrations,
    rows_made_by_migrations,
)


def rows_in_the_way() -> dict[str, int]:
    """Models of the backup that already hold rows, with their counts; the rows `migrate`
    made are no data of the site."""
    models = []
    for label in backup_labels():
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models())
    made = {rows.model: rows for rows in rows_made_by_migrations()}
    counts = {}
    for model in models:
        rows = model._default_manager.all()
        if model in made:
            rows = rows.exclude(pk__in=made[model].values("pk"))
        if count := rows.count():
            counts[model._meta.label] = count
    return counts


class Command(BaseCommand):
    help = "Stellt eine mit `backup` geschriebene .json.gz-Sicherung wieder her."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Die Sicherungsdatei (…json.gz).")
        what_happens_to_existing_data = parser.add_mutually_exclusive_group()
        what_happens_to_existing_data.add_argument(
            "--flush",
            action="store_true",
            help="Vorher ALLE Daten der Datenbank löschen (auch Sitzungen), damit danach "
            "genau der Stand der Sicherung gilt.",
        )
        what_happens_to_existing_data.add_argument(
            "--merge",
            action="store_true",
            help="Die Zeilen der Sicherung über die vorhandenen Daten schreiben: gleiche ids "
            "werden überschrieben, neuere Zeilen bleiben.",
        )

    def handle(self, *args, path, flush=False, merge=False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"Keine Sicherung unter {source}.")
        with transaction.atomic():
            if flush:
                call_command("flush", interactive=False, verbosity=0)
            elif not merge and (existing := rows_in_the_way()):
                found = ", ".join(f"{label}: {count}" for label, count in existing.items())
                raise CommandError(
                    f"Die Datenbank enthält schon Daten ({found}). Nichts wurde geändert. "
                    "--flush löscht sie vorher, --merge schreibt die Sicherung darüber "
                    "(gleiche ids werden überschrieben)."
                )
            load = functools.partial(call_command, "loaddata", str(source), verbosity=0)
            if flush or merge:
                load()
            else:
                load_over_rows_made_by_migrations(load)
        self.stdout.write(f"Sicherung wiederhergestellt: {source}")

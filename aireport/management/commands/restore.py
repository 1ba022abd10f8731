"""Loads a backup written by `backup` into a migrated database, all or nothing.

Into an empty database (freshly migrated) it needs no option. A database that already holds
data is refused unless the operator says what should happen to it: `--flush` deletes it first,
`--merge` writes the backup's rows over it (rows with the same id are overwritten, newer rows
are kept).
"""

from pathlib import Path

from django.apps import apps
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from aireport.backup import backup_labels

#: Rows that `migrate` itself creates (the staff groups); their presence is no data of the site.
CREATED_BY_MIGRATIONS = {"auth.group"}


def rows_in_the_way() -> dict[str, int]:
    """Models of the backup that already hold rows, with their counts."""
    models = []
    for label in backup_labels():
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models())
    counts = {}
    for model in models:
        if model._meta.label_lower in CREATED_BY_MIGRATIONS:
            continue
        if count := model._default_manager.count():
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
            call_command("loaddata", str(source), verbosity=0)
        self.stdout.write(f"Sicherung wiederhergestellt: {source}")

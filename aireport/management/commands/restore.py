"""Loads a backup written by `backup` into a migrated database, all or nothing."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction


class Command(BaseCommand):
    help = "Stellt eine mit `backup` geschriebene .json.gz-Sicherung wieder her."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Die Sicherungsdatei (…json.gz).")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Vorher ALLE Daten der Datenbank löschen (auch Sitzungen), damit danach "
            "genau der Stand der Sicherung gilt.",
        )

    def handle(self, *args, path, flush=False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"Keine Sicherung unter {source}.")
        with transaction.atomic():
            if flush:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(source), verbosity=0)
        self.stdout.write(f"Sicherung wiederhergestellt: {source}")

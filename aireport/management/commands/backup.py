"""Writes the site's data to a gzip-compressed JSON file that `restore` reads back.

Works the same on SQLite and PostgreSQL (and between them). On SQLite, --sqlite-copy writes a
consistent copy of the whole database file instead, through SQLite's online backup API.
"""

import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from aireport.backup import backup_labels


class Command(BaseCommand):
    help = "Sichert Berichte, Revisionen, Kommentare und Benutzer in eine .json.gz-Datei."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="Zieldatei (…json.gz); Vorgabe: var/backups/aireport-JJJJMMTT-HHMMSS.json.gz",
        )
        parser.add_argument(
            "--sqlite-copy",
            action="store_true",
            help="Nur SQLite: eine Kopie der ganzen Datenbankdatei statt JSON schreiben.",
        )

    def handle(self, *args, path=None, sqlite_copy=False, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        suffix = "sqlite3" if sqlite_copy else "json.gz"
        target = Path(path or Path(settings.BASE_DIR) / "var" / "backups" / f"aireport-{stamp}")
        if path is None:
            target = target.with_name(f"{target.name}.{suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if sqlite_copy:
            self.copy_sqlite(target)
        else:
            self.dump(target)
        self.stdout.write(f"Sicherung geschrieben: {target}")

    def dump(self, target: Path) -> None:
        if not target.name.endswith(".json.gz"):
            raise CommandError("Die Sicherung braucht die Endung .json.gz.")
        # One transaction, so every table is read at the same moment; PostgreSQL needs
        # REPEATABLE READ for that, SQLite gives a snapshot to any transaction.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command(
                "dumpdata",
                *backup_labels(),
                format="json-exact",
                natural_foreign=True,
                natural_primary=True,
                output=str(target),
                verbosity=0,
            )

    def copy_sqlite(self, target: Path) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                "--sqlite-copy geht nur mit SQLite; für PostgreSQL die JSON-Sicherung "
                "oder pg_dump verwenden."
            )
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()

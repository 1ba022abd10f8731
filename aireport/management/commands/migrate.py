"""Django's `migrate`, which also creates the SQLite database file on a fresh machine.

At run time the site opens SQLite with `mode=rw` and never creates a missing file
(aireport/sqlite_backend); creating the database is this command's job alone.
"""

from pathlib import Path

from django.core.management.commands import migrate
from django.db import connections


class Command(migrate.Command):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor == "sqlite" and not connection.is_in_memory_db():
            # A file of zero bytes is an empty SQLite database.
            Path(connection.settings_dict["NAME"]).touch(exist_ok=True)
        return super().handle(*args, **options)

"""Django's `migrate`, which also creates the SQLite database file on a fresh machine.

At run time the site opens SQLite with `mode=rw` and never creates a missing file
(aireport/sqlite_backend); creating the database is this command's job alone.
"""

from pathlib import Path

from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections


class Command(migrate.Command):
    def execute(self, *args, **options):
        # Before the system checks, which already connect (JSONField support, for one).
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor == "sqlite" and not connection.is_in_memory_db():
            # A file of zero bytes is an empty SQLite database.
            Path(connection.settings_dict["NAME"]).touch(exist_ok=True)
        return super().execute(*args, **options)

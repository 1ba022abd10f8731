"""Django's SQLite backend, except that it never creates a missing database file.

Plain SQLite creates an empty file when the one it is asked to open is not there. A database
moved away while the site runs would then come back empty on the next connection: every page
a 500 ("no such table") while the health check, which needs no table, stays green. Opened with
`mode=rw`, SQLite refuses instead ("unable to open database file"). On a fresh machine the file
is created by `migrate` alone (aireport/management/commands/migrate.py).
"""

from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        name = str(params["database"])
        if not self.is_in_memory_db() and not name.startswith("file:"):
            params["database"] = f"{Path(name).absolute().as_uri()}?mode=rw"
        return params

"""The table of the "shared" cache (settings.CACHES), which all workers use for flood control
when no Redis is configured. createcachetable skips a table that exists, and does nothing for
cache backends that are not the database."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_moderators_group")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

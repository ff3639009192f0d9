"""The cache's table (settings.CACHES: the database cache, shared by every app server).

Django's `createcachetable` is not part of `migrate`; running it from a migration means a
fresh install, `dangvu demo` and an upgrade all have the table. It does nothing when the
table exists or when the cache is not the database's."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

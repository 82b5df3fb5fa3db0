from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Without REDIS_URL the shared cache lives in the database; `migrate` alone must prepare it.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_locales")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

"""The installation's administrators group, named like the organisations' groups: both languages."""

from django.db import migrations

OLD, NEW = "Administrators", "Quản trị viên / Administrators"


def rename(apps, old, new):
    apps.get_model("auth", "Group").objects.filter(name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_groups_per_organisation")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: rename(apps, OLD, NEW),
            lambda apps, schema_editor: rename(apps, NEW, OLD),
        )
    ]

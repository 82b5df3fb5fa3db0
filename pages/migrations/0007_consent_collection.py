"""The private collection for signed consent forms (see safeguarding/consent.py)."""

from django.db import migrations

NAME = "Consent forms (private)"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, four characters a level


def segment(number):
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def create_collection(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    children = Collection.objects.filter(depth=2, path__startswith=root.path)
    if children.filter(name=NAME).exists():
        return
    last = children.order_by("-path").first()
    number = int(last.path[-4:], 36) + 1 if last else 1
    Collection.objects.create(name=NAME, path=root.path + segment(number), depth=2, numchild=0)
    root.numchild = children.count()
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [("pages", "0006_safeguarding")]

    operations = [migrations.RunPython(create_collection, migrations.RunPython.noop)]

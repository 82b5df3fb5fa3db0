"""Staff groups move to each organisation (organisations/roles.py).

The Editors, Moderators and Translators groups of 0001 held page permissions on the tree root,
which let one organisation's staff edit the other's pages and read its contact messages. They
go; `manage.py add_organisation --existing` (or `load_demo_content`) gives each site its own.
Administrators keep the whole page tree but lose images and documents on the root collection,
which would include every organisation's private documents; they get each organisation's
shared collection instead. The old shared consent collection is removed when empty, else
restricted to superusers.
"""

from django.db import migrations

CROSS_SITE_GROUPS = ["Editors", "Moderators", "Translators"]
LEGACY_CONSENT_COLLECTION = "Consent forms (private)"
MEDIA_APPS = ["wagtailimages", "wagtaildocs"]


def per_organisation(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Document = apps.get_model("wagtaildocs", "Document")

    Group.objects.filter(name__in=CROSS_SITE_GROUPS).delete()
    administrators = Group.objects.filter(name="Administrators").first()
    if administrators is not None:
        GroupCollectionPermission.objects.filter(group=administrators).delete()
        administrators.permissions.remove(
            *administrators.permissions.filter(content_type__app_label__in=MEDIA_APPS)
        )
    for collection in Collection.objects.filter(depth=2, name=LEGACY_CONSENT_COLLECTION):
        if Document.objects.filter(collection=collection).exists():
            CollectionViewRestriction.objects.get_or_create(
                collection=collection, defaults={"restriction_type": "groups"}
            )
        else:
            parent = Collection.objects.get(depth=1, path=collection.path[:4])
            collection.delete()
            parent.numchild = Collection.objects.filter(
                depth=2, path__startswith=parent.path
            ).count()
            parent.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_staff_groups"),
        ("pages", "0010_search_title_body_index"),
    ]

    operations = [migrations.RunPython(per_organisation, migrations.RunPython.noop)]

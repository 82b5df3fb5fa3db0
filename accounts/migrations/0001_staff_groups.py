"""Staff groups and their model permissions.

Page permissions that name particular pages (Translators on the English home pages) and the
"Review and publish" workflow on each site are set by `accounts.roles.grant_site_roles`,
which `load_demo_content` runs once the sites exist.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITING = [
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
TRANSLATING = [
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "choose_document"),
]
ADMINISTRATION_APPS = [
    "auth",
    "wagtailadmin",
    "wagtailcore",
    "wagtaildocs",
    "wagtailimages",
    "wagtailredirects",
    "wagtailsearchpromotions",
    "wagtailforms",
    "wagtail_localize",
]
# Page permissions on the tree root, so they hold on both sites in both languages.
ROOT_PAGE_PERMISSIONS = {
    "Editors": ["add_page", "change_page"],
    "Moderators": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "Administrators": [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
}


def create_all_permissions(apps):
    """Permissions are normally made after `migrate`; make them now so groups can hold them."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    create_all_permissions(apps)

    def permissions(pairs):
        return [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in pairs
        ]

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROOT_PAGE_PERMISSIONS}
    groups["Translators"] = Group.objects.get_or_create(name="Translators")[0]
    groups["Editors"].permissions.add(*permissions(EDITING))
    groups["Moderators"].permissions.add(
        *permissions(EDITING),
        *permissions([("wagtailimages", "delete_image"), ("wagtaildocs", "delete_document")]),
    )
    groups["Translators"].permissions.add(*permissions(TRANSLATING))
    groups["Administrators"].permissions.add(
        *Permission.objects.filter(content_type__app_label__in=ADMINISTRATION_APPS)
    )

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        for name, codenames in ROOT_PAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name],
                    page=root,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
    # Images and documents are permitted per collection: mirror each group's model permissions
    # on the root collection, as Wagtail does for its own groups.
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for group in groups.values():
            for permission in group.permissions.filter(
                content_type__app_label__in=["wagtailimages", "wagtaildocs"],
                content_type__model__in=["image", "document"],
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Translators", "Administrators"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
        ("wagtailforms", "0005_alter_formsubmission_form_data"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

"""Each organisation's staff groups, collections and review workflow, and who belongs where.

`set_up_organisation(site)` makes them; it is safe to run again and only adds what is missing.
`load_demo_content` runs it for LIGHT and LIFE, `manage.py add_organisation` for a new site.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from organisations.models import Organisation

SOURCE_LANGUAGE = "vi"
ADMINISTRATORS = "Quản trị viên / Administrators"
# Names staff read in the admin, where Wagtail shows them as stored: in both languages,
# Vietnamese first (locale/GLOSSARY.md).
PRIVATE = "Riêng tư / Private"
WORKFLOW = "Duyệt và xuất bản / Review and publish"
TASK = "Người duyệt xét duyệt / Approval by moderators"
IMAGE_AND_DOCUMENT = ["image", "document"]


@dataclass(frozen=True)
class Role:
    name: str
    # Page permissions on the site's home pages; `source_too=False` keeps to the translations.
    page_permissions: tuple
    source_too: bool
    # Image and document permissions on the organisation's shared collection, and on its
    # private one.
    media_permissions: tuple
    private_permissions: tuple = ()
    # Model permissions, as "app_label.codename".
    permissions: tuple = ()


EDITING = ("wagtailadmin.access_admin", "wagtail_localize.submit_translation")
PARTNERS = ("programmes.add_partner", "programmes.change_partner")
PUBLISH_PARTNERS = ("programmes.publish_partner",)
ROLES = {
    "editors": Role(
        "Biên tập viên / Editors",
        page_permissions=("add_page", "change_page"),
        source_too=True,
        media_permissions=("add", "change", "choose"),
        permissions=EDITING + PARTNERS,
    ),
    "moderators": Role(
        "Người duyệt / Moderators",
        page_permissions=("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
        source_too=True,
        media_permissions=("add", "change", "choose", "delete"),
        permissions=EDITING + PARTNERS + PUBLISH_PARTNERS,
    ),
    "translators": Role(
        "Người dịch / Translators",
        page_permissions=("add_page", "change_page"),
        source_too=False,
        media_permissions=("choose",),
        permissions=EDITING,
    ),
    "safeguarding": Role(
        "Bảo vệ an toàn / Safeguarding",
        page_permissions=("change_page",),
        source_too=True,
        media_permissions=("choose",),
        private_permissions=("add", "change", "choose", "delete"),
        permissions=("wagtailadmin.access_admin", "organisations.handle_consent_forms"),
    ),
}


def permissions(names):
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def media_permissions(actions):
    return Permission.objects.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs"],
        codename__in=[f"{action}_{model}" for action in actions for model in IMAGE_AND_DOCUMENT],
    )


def document_permissions(actions):
    return media_permissions(actions).filter(content_type__app_label="wagtaildocs")


def site_homes(site):
    """A site's home page in every language (the Vietnamese root and its translations)."""
    return list(site.root_page.get_translations(inclusive=True).select_related("locale"))


def collection_named(name):
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=name).first() or root.add_child(name=name)


@transaction.atomic
def set_up_organisation(site):
    """The organisation of `site`: its groups, collections and workflow, made or completed."""
    name = site.site_name or site.hostname
    organisation = Organisation.objects.filter(site=site).first()
    if organisation is None:
        groups = {
            key: Group.objects.get_or_create(name=f"{name} · {role.name}")[0]
            for key, role in ROLES.items()
        }
        organisation = Organisation.objects.create(
            site=site,
            media=collection_named(name),
            private_documents=collection_named(f"{name} · {PRIVATE}"),
            workflow=Workflow.objects.get_or_create(name=f"{name} · {WORKFLOW}")[0],
            **groups,
        )
    grant_roles(organisation)
    return organisation


def rename(instance, name):
    if instance.name != name:
        instance.name = name
        instance.save(update_fields=["name"])


def grant_roles(organisation):
    """Permissions, restrictions and names as this module states them, whatever was there."""
    name = str(organisation)
    homes = site_homes(organisation.site)
    rename(organisation.workflow, f"{name} · {WORKFLOW}")
    rename(organisation.private_documents, f"{name} · {PRIVATE}")
    page_permissions = {
        permission.codename: permission
        for permission in Permission.objects.filter(content_type__app_label="wagtailcore")
    }
    for key, role in ROLES.items():
        group = getattr(organisation, key)
        rename(group, f"{name} · {role.name}")
        group.permissions.add(*permissions(role.permissions))
        for home in homes:
            if role.source_too or home.locale.language_code != SOURCE_LANGUAGE:
                for codename in role.page_permissions:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=home, permission=page_permissions[codename]
                    )
        for collection, actions in [
            (organisation.media, role.media_permissions),
            (organisation.private_documents, role.private_permissions),
        ]:
            for permission in media_permissions(actions):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )

    # Private documents: Wagtail itself refuses them to anyone outside Safeguarding.
    restriction = CollectionViewRestriction.objects.filter(
        collection=organisation.private_documents
    ).first() or CollectionViewRestriction.objects.create(
        collection=organisation.private_documents,
        restriction_type=BaseViewRestriction.GROUPS,
    )
    restriction.groups.add(organisation.safeguarding)

    # Administrators of the installation manage every organisation's media, never its
    # private documents.
    administrators = Group.objects.filter(name=ADMINISTRATORS).first()
    if administrators is not None:
        for permission in media_permissions(["add", "change", "choose", "delete"]):
            GroupCollectionPermission.objects.get_or_create(
                group=administrators, collection=organisation.media, permission=permission
            )

    task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=organisation.workflow).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"{name} · {TASK}")
    rename(task, f"{name} · {TASK}")
    task.groups.add(organisation.moderators)
    WorkflowTask.objects.get_or_create(
        workflow=organisation.workflow, task=task, defaults={"sort_order": 0}
    )
    for home in homes:
        WorkflowPage.objects.update_or_create(
            page=home, defaults={"workflow": organisation.workflow}
        )


def set_up_every_organisation():
    return [set_up_organisation(site) for site in Site.objects.select_related("root_page")]


def organisations_of(user):
    """The organisations whose groups `user` is in; every one for installation administrators."""
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    if user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists():
        return Organisation.objects.all()
    groups = user.groups.all()
    return Organisation.objects.filter(
        Q(editors__in=groups)
        | Q(moderators__in=groups)
        | Q(translators__in=groups)
        | Q(safeguarding__in=groups)
    ).distinct()


def site_ids_of(user):
    return list(organisations_of(user).values_list("site_id", flat=True))

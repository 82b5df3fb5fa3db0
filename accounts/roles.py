"""Permissions that name particular pages, set once the sites exist (`load_demo_content`).

The groups themselves and their model permissions come from the migration
`accounts/migrations/0001_staff_groups.py`.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

ENGLISH = "en"
TRANSLATOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
WORKFLOW_NAME = "Review and publish"
TASK_NAME = "Moderators approval"


def site_homes(site):
    """A site's home page in every language (the Vietnamese root and its translations)."""
    return list(site.root_page.get_translations(inclusive=True).select_related("locale"))


def grant_site_roles():
    """Translators edit the English pages of every site; every site's pages go through review.

    Safe to run again: it only adds what is missing.
    """
    translators = Group.objects.get(name="Translators")
    moderators = Group.objects.get(name="Moderators")
    page_permissions = {
        permission.codename: permission
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=TRANSLATOR_PAGE_PERMISSIONS
        )
    }

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(moderators)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    for site in Site.objects.select_related("root_page"):
        for home in site_homes(site):
            WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
            if home.locale.language_code == ENGLISH:
                for permission in page_permissions.values():
                    GroupPagePermission.objects.get_or_create(
                        group=translators, page=home, permission=permission
                    )

    # The project's own snippets and settings: Administrators manage them all; Editors and
    # Moderators keep the partner list up to date.
    project = Q(content_type__app_label__in=["pages", "programmes"])
    Group.objects.get(name="Administrators").permissions.add(*Permission.objects.filter(project))
    partners = Permission.objects.filter(
        project, content_type__model="partner", codename__in=["add_partner", "change_partner"]
    )
    for name in ["Editors", "Moderators"]:
        Group.objects.get(name=name).permissions.add(*partners)

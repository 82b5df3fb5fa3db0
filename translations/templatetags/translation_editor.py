import json

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def for_translators(props, page_perms):
    """The editor's props, without "Convert to alias page", "Stop synced translation" and
    "Delete" for those who may not publish.

    For them wagtail-localize makes one of these the main button at the foot of the editor,
    where publishers have "Publish": converting to an alias would show the Vietnamese page on the
    English site, and stopping the sync would hide later changes of the source. They save and
    submit with the buttons above the editor instead.
    """
    if page_perms is None or page_perms.can_publish():
        return props
    data = json.loads(props)
    data["links"]["convertToAliasUrl"] = None
    data["links"]["stopTranslationUrl"] = None
    data["perms"]["canDelete"] = False
    return json.dumps(data)


@register.simple_tag
def review_actions(page, user):
    """[(label, url)] of what `user` may do with the page's review task in progress.

    wagtail-localize's editor replaces the page editor, whose footer would offer them.
    """
    state = page.current_workflow_state if page.workflow_in_progress else None
    task_state = state.current_task_state if state else None
    if task_state is None:
        return []
    return [
        (label, reverse("wagtailadmin_pages:workflow_action", args=[page.pk, name, task_state.pk]))
        for name, label, _modal in task_state.task.specific.get_actions(page, user)
    ]

"""Group, workflow, task and collection names, stored in both languages, shown in the reader's.

Wagtail shows these names as stored, in ~25 templates and its emails, so a stored name such as
"LIGHT · Duyệt và xuất bản / Review and publish" is cut, as the object is loaded, to the part
for the active language: "LIGHT · Duyệt và xuất bản" in the Vietnamese admin, "LIGHT · Review
and publish" in the English one. Saved unchanged, the stored name is put back whole; a name an
administrator edits is saved as typed.
"""

import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_init, pre_save
from django.utils.translation import get_language
from wagtail.models import Collection, Task, Workflow

from organisations.roles import ADMINISTRATORS, PRIVATE, ROLES, TASK, WORKFLOW

GIVEN_NAMES = {ADMINISTRATORS, PRIVATE, TASK, WORKFLOW, *(role.name for role in ROLES.values())}

BILINGUAL = re.compile(r"^(?P<prefix>.+ · )?(?P<source>[^/]+?) / (?P<other>[^/]+)$")
STORED = "_stored_bilingual_name"


def in_language(name, language):
    """The part of a bilingual name for `language`, with its organisation's prefix.

    Only the names this app gives (organisations/roles.py): a name an administrator typed with
    a slash in it is shown whole.
    """
    match = BILINGUAL.match(name or "")
    if match is None or f"{match['source']} / {match['other']}" not in GIVEN_NAMES:
        return name
    part = "source" if (language or "").startswith(settings.LANGUAGE_CODE) else "other"
    return f"{match['prefix'] or ''}{match[part]}"


def show_in_active_language(sender, instance, **kwargs):
    if "name" in instance.get_deferred_fields():
        return  # not loaded: reading it would cost a query
    stored = instance.name
    shown = in_language(stored, get_language())
    if shown != stored:
        instance.__dict__[STORED] = (stored, shown)
        instance.name = shown


def keep_the_stored_name(sender, instance, **kwargs):
    stored, shown = instance.__dict__.get(STORED, (None, None))
    if stored is not None and instance.name == shown:
        instance.name = stored


def connect():
    senders = [Group, Workflow, Collection, Task, *Task.__subclasses__()]
    for sender in senders:
        post_init.connect(show_in_active_language, sender=sender, dispatch_uid=f"names-{sender}")
        pre_save.connect(keep_the_stored_name, sender=sender, dispatch_uid=f"names-{sender}")

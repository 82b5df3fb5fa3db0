"""Consent for the people shown in stories, and the private collection of signed consent forms."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission

CONSENT_COLLECTION_NAME = "Consent forms (private)"
CONSENT_REPORT_DAYS = 30


def consent_collection():
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=CONSENT_COLLECTION_NAME).first() if root else None


def ensure_consent_collection():
    """The collection for signed consent forms; `refuse_private_document` guards its files."""
    return consent_collection() or Collection.get_first_root_node().add_child(
        name=CONSENT_COLLECTION_NAME
    )


def in_consent_collection(document):
    private = consent_collection()
    if private is None or document.collection_id is None:
        return False
    return document.collection_id == private.pk or document.collection.is_descendant_of(private)


def can_open_consent_form(user):
    """Superusers, and groups given a document permission on the private collection itself.

    Permissions inherited from the root collection (the Editors and Moderators groups have
    some there) do not count: they would open every consent form to every editor.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return GroupCollectionPermission.objects.filter(
        group__user=user,
        collection=consent_collection(),
        permission__content_type__app_label="wagtaildocs",
        permission__codename__in=["change_document", "choose_document"],
    ).exists()


def refuse_private_document(document, request):
    """The before_serve_document hook: signed consent forms are for administrators only."""
    if not in_consent_collection(document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_open_consent_form(request.user):
        return HttpResponseForbidden(_("This document is private."))
    return None


def consent_errors(story, today=None):
    """What keeps this story from being published, by field; empty when it may be."""
    if not story.shows_identifiable_people:
        return {}
    today = today or timezone.localdate()
    errors = {}
    if not story.consent_given:
        errors["consent_given"] = _(
            "This story shows identifiable people: enter the date they gave their consent."
        )
    elif story.consent_given > today:
        errors["consent_given"] = _("The consent date cannot be in the future.")
    if not story.consent_expires:
        errors["consent_expires"] = _(
            "This story shows identifiable people: enter the date their consent expires."
        )
    elif story.consent_expires <= today:
        errors["consent_expires"] = _(
            "The consent expired on %(date)s: the story cannot be published until it is renewed."
        ) % {"date": story.consent_expires.isoformat()}
    elif story.consent_given and story.consent_expires <= story.consent_given:
        errors["consent_expires"] = _("The consent must expire after the date it was given.")
    if not story.consent_form_id:
        errors["consent_form"] = _(
            "This story shows identifiable people: link the signed consent form."
        )
    elif not in_consent_collection(story.consent_form):
        errors["consent_form"] = _(
            "Keep the signed consent form in the “%(collection)s” collection, "
            "which only administrators can open."
        ) % {"collection": CONSENT_COLLECTION_NAME}
    return errors

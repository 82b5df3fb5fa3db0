"""Consent for the people shown in stories, and the private collection of signed consent forms."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseViewRestriction

from organisations.models import Organisation

CONSENT_REPORT_DAYS = 30


def private_documents_of(page):
    """The collection where the signed consent forms for `page`'s organisation belong."""
    organisation = (
        Organisation.objects.filter(site=page.get_site())
        .select_related("private_documents")
        .first()
    )
    return organisation.private_documents if organisation else None


def in_collection(document, collection):
    return collection is not None and (
        document.collection_id == collection.pk or document.collection.is_descendant_of(collection)
    )


def refuse_private_document(document, request):
    """The before_serve_document hook: a private collection's files are for its groups only.

    Each organisation's private collection carries a Wagtail view restriction naming its
    Safeguarding group (organisations/roles.py). Wagtail's own hook would send a signed-in
    member of another group back to the login page; this one says plainly that they may not.
    """
    restrictions = [
        restriction
        for restriction in document.collection.get_view_restrictions()
        if restriction.restriction_type == BaseViewRestriction.GROUPS
    ]
    if all(restriction.accept_request(request) for restriction in restrictions):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden(_("This document is private."))


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
    else:
        private = private_documents_of(story)
        if not in_collection(story.consent_form, private):
            errors["consent_form"] = _(
                "Keep the signed consent form in the “%(collection)s” collection, "
                "which only the organisation's Safeguarding staff can open."
            ) % {"collection": private.name if private else ""}
    return errors

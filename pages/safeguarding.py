"""Safeguarding: sensitive pages and their quick exit, consent for the people in stories,
the private collection of signed consent forms, and cookie-free public forms."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission, Page, get_page_models

CONSENT_COLLECTION_NAME = "Consent forms (private)"
CONSENT_REPORT_DAYS = 30


# Sensitivity


def _models_with_sensitivity():
    from pages.models import BasePage

    return [
        model
        for model in get_page_models()
        if issubclass(model, BasePage) and not model._meta.proxy
    ]


def is_sensitive(page, chosen=None):
    """The page's own choice, or the nearest ancestor's that is not "inherit".

    `chosen` is what parent_choices() returned, if the caller has it at hand (the site's
    chrome keeps it); else the ancestors' choices come from one query whatever the depth.
    """
    from pages.models.base import Sensitivity

    own = getattr(page, "sensitivity", Sensitivity.INHERIT)
    if own != Sensitivity.INHERIT:
        return own == Sensitivity.SENSITIVE
    # Below the tree's root (depth 1), down to the page's parent.
    steplen = Page.steplen
    ancestors = [page.path[:end] for end in range(2 * steplen, len(page.path or ""), steplen)]
    if not ancestors:  # a home page: nothing to inherit from
        return False
    if chosen is None:
        chosen = parent_choices(path__in=ancestors)
    inherited = [chosen[path] for path in ancestors if path in chosen]
    return bool(inherited) and inherited[-1] == Sensitivity.SENSITIVE


def parent_choices(**lookups):
    """{path: sensitivity} of the pages with children that choose for themselves.

    Each page type keeps the field in its own table, so the query asks each table and unites
    the answers (a UNION ALL of small index lookups: one join across every table costs
    PostgreSQL more to plan than to run). Leaves are left out: only descendants inherit.
    """
    from pages.models.base import Sensitivity

    choices = [
        model.objects.filter(numchild__gt=0, **lookups)
        .exclude(sensitivity=Sensitivity.INHERIT)
        .values_list("path", "sensitivity")
        .order_by()
        for model in _models_with_sensitivity()
    ]
    return dict(choices[0].union(*choices[1:], all=True))


# Consent for the people in stories


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


def stories_without_valid_consent(today=None):
    """Live stories showing identifiable people whose consent is missing or has expired."""
    from pages.models import StoryPage

    today = today or timezone.localdate()
    return StoryPage.objects.live().filter(
        models.Q(consent_expires__lte=today)
        | models.Q(consent_expires__isnull=True)
        | models.Q(consent_given__isnull=True)
        | models.Q(consent_form__isnull=True),
        shows_identifiable_people=True,
    )


def stories_with_consent_expiring(days=CONSENT_REPORT_DAYS, today=None):
    """Stories showing identifiable people whose consent expires within `days` (or has)."""
    from pages.models import StoryPage

    today = today or timezone.localdate()
    return (
        StoryPage.objects.filter(
            shows_identifiable_people=True,
            consent_expires__lte=today + datetime.timedelta(days=days),
        )
        .select_related("locale")
        .order_by("consent_expires", "path")
    )


# Public forms without a CSRF cookie


def same_origin(request):
    """True when a POST comes from a page of this site, by its Origin or Referer header.

    Browsers send Origin with every form POST, and Referer for same-origin requests under
    our referrer policy; a request with neither is refused.
    """
    allowed = {request.get_host().lower(), *_trusted_hosts()}
    for header in ("HTTP_ORIGIN", "HTTP_REFERER"):
        value = request.META.get(header)
        if value and value != "null":
            return urlsplit(value).netloc.lower() in allowed
    return False


def _trusted_hosts():
    return {urlsplit(origin).netloc.lower() for origin in settings.CSRF_TRUSTED_ORIGINS}


def enforce_csrf_unless_exempt(page, request, serve_args, serve_kwargs):
    """The before_serve_page hook: every page but cookie-free forms keeps Django's CSRF check.

    Public pages are served through `pages.urls.csrf_exempt_serve`, so that the contact form
    needs no cookie; this hook puts the usual check back for any page that has not opted out.
    """
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    if getattr(page.specific_class, "cookie_free_form", False):
        return None
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})

"""Sensitive pages: each page says whether it shows the quick exit button, or inherits it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, get_page_models

from pagecache.keys import SENSITIVITIES
from pagecache.store import kept


class Sensitivity(models.TextChoices):
    INHERIT = "inherit", _("Same as the parent page")
    SENSITIVE = "sensitive", _("Sensitive: show the quick exit button")
    NOT_SENSITIVE = "not_sensitive", _("Not sensitive")


def _models_with_sensitivity():
    """The page types with a sensitivity field of their own (every BasePage)."""
    return [
        model
        for model in get_page_models()
        if not model._meta.proxy
        and any(field.name == "sensitivity" for field in model._meta.local_concrete_fields)
    ]


def is_sensitive(page, chosen=None):
    """The page's own choice, or the nearest ancestor's that is not "inherit".

    `chosen` is what parent_choices() returned, if the caller has it at hand (the site's
    chrome keeps it); else the ancestors' choices come from one query whatever the depth.
    """
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
    choices = [
        model.objects.filter(numchild__gt=0, **lookups)
        .exclude(sensitivity=Sensitivity.INHERIT)
        .values_list("path", "sensitivity")
        .order_by()
        for model in _models_with_sensitivity()
    ]
    return dict(choices[0].union(*choices[1:], all=True))


def parent_sensitivities(request):
    """{path: sensitivity} of the pages whose descendants inherit it .

    Kept until any page changes: the pages rendered with it show those pages as ancestors, and
    are purged with them.
    """
    return kept(request, "parent-sensitivities", parent_choices, keys={SENSITIVITIES}, shown=False)

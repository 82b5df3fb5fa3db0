"""Links to a programme's own open data files, for its page."""

from django import template
from django.conf import settings
from django.urls import reverse

from opendata.export import is_reportable
from opendata.models import OpenDataSettings
from pages.routing import relatives

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_open_data(context, page):
    """{"json": url, "iati": url or None} of the programme's files; None when the site exports
    nothing or the programme has no live, public Vietnamese page (the record). Read once per
    request: the page's head and body both ask."""
    request = context.get("request")
    if request is None or page is None:
        return None
    memo = request.__dict__.setdefault("open_data_links", {})
    if page.pk not in memo:
        memo[page.pk] = links_of(request, page)
    return memo[page.pk]


def links_of(request, page):
    open_data = OpenDataSettings.for_visitor(request)
    if open_data is None or not open_data.enabled:
        return None
    # The page's translations come with its hreflang links (one query, made once per request).
    source = relatives(request, page).translations.get(settings.LANGUAGE_CODE)
    if source is None:
        return None
    return {
        "json": reverse("open_data:programme_json", args=[source.pk]),
        "iati": reverse("open_data:programme_iati", args=[source.pk])
        if is_reportable(page)
        else None,
    }


@register.simple_tag(takes_context=True)
def open_data_settings(context):
    """The site's open data settings when it publishes open data, else None."""
    request = context.get("request")
    open_data = OpenDataSettings.for_visitor(request) if request is not None else None
    return open_data if open_data is not None and open_data.enabled else None

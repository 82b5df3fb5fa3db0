from django import template

from pages.chrome import site_chrome
from seo.meta import page_meta as build_page_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def page_meta(context):
    """Description, canonical and alternate URLs, sharing image and JSON-LD for the <head>."""
    request = context["request"]
    return build_page_meta(request, context.get("page"), site_chrome(request))

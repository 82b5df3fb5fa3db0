"""Image tags without costs Wagtail's have on every render.

- Wagtail builds new Filter objects for each image, and each inspects the signatures of the
  operations it runs (inspect.getcallargs), a large part of what a page spends on its images.
  The specs are fixed in the template, so the Filters are shared.
- Wagtail's {% image %} goes through Image.get_rendition, which writes the rendition to the
  cache on every call, even one it has just read from there or found prefetched: a Redis round
  trip per logo. {% logo %} goes through Image.get_renditions, which writes only what it had
  to look up.
- {% responsive_picture %} renders what Wagtail's {% picture %} does for the sizes made on
  upload, in one pass over the attributes: Wagtail's tag escapes them one format_html at a
  time, which dominated what a listing of cards spent on its images.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from wagtail.images.shortcuts import get_renditions_or_not_found

from pages.renditions import (
    LOGOS,
    RESPONSIVE_FORMATS,
    RESPONSIVE_WIDTHS,
    responsive_spec,
    shared_filter,
)

register = template.Library()


@register.simple_tag
def logo(image, size, **attributes):
    """An <img> of the image in one of the logo sizes made on upload (pages.renditions.LOGOS)."""
    if not image:
        return ""
    spec = LOGOS[size]
    return get_renditions_or_not_found(image, [shared_filter(spec)])[spec].img_tag(attributes)


@register.simple_tag
def responsive_picture(image, alt="", sizes="100vw", eager=False):
    """A <picture> of the image in each of RESPONSIVE_FORMATS, the last one the <img> fallback.

    Wagtail never enlarges an image, so a narrow one is offered only at the widths it has: two
    equal widths in a srcset, or sizes without widths, are invalid HTML.
    """
    if not image:
        return ""
    wider_than = sum(image.width > width for width in RESPONSIVE_WIDTHS[:-1])
    widths = RESPONSIVE_WIDTHS[: 1 + wider_than]
    specs = [responsive_spec(name, width) for name, _ in RESPONSIVE_FORMATS for width in widths]
    found = get_renditions_or_not_found(image, [shared_filter(spec) for spec in specs])
    renditions = {
        mime_type: [found[responsive_spec(name, width)] for width in widths]
        for name, mime_type in RESPONSIVE_FORMATS
    }
    *sources, (_, fallback) = renditions.items()
    several = len(widths) > 1
    shown_sizes = sizes if several else None
    html = [
        f"<source{attributes(sizes=shown_sizes, srcset=srcset(each), type=mime_type)}>"
        for mime_type, each in sources
    ]
    img = attributes(
        src=fallback[0].url,
        width=fallback[0].width,
        height=fallback[0].height,
        alt=alt,
        decoding="async",
        fetchpriority="high" if eager else "auto",
        loading="eager" if eager else "lazy",
        sizes=shown_sizes,
        srcset=srcset(fallback) if several else None,
    )
    return mark_safe(f"<picture>{''.join(html)}<img{img}></picture>")  # noqa: S308 - escaped


def srcset(renditions):
    if len(renditions) == 1:
        return renditions[0].url
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


def attributes(**values):
    """' name="value"' for each value that is not None, by name, as Django's flatatt has them."""
    return "".join(
        f' {name}="{escape(str(value))}"'
        for name, value in sorted(values.items())
        if value is not None
    )

"""The image renditions the templates ask for, so they can be made before a visitor waits."""

import functools

from wagtail.images.models import Filter

# Keep in step with templates/components/picture.html, header.html, partner_list.html and
# pages/seo.py. Any image may become a logo, so logo sizes are made for every upload too:
# they are small, and cheaper than a visitor waiting for one.
RESPONSIVE = "format-{webp,jpeg}|width-{480,800,1200}"
SHARING = "fill-1200x630|format-jpeg"
SITE_LOGO = "height-96"
PARTNER_LOGO = "max-240x120|format-webp"
ORGANISATION_LOGO = "max-512x512|format-png"


def rendition_specs():
    return [*Filter.expand_spec(RESPONSIVE), SHARING, SITE_LOGO, PARTNER_LOGO, ORGANISATION_LOGO]


def prebuild_renditions(image):
    image.get_renditions(*rendition_specs())


@functools.cache
def shared_filter(spec):
    """One Filter per spec for the whole process: building one inspects its operations."""
    return Filter(spec=spec)


def shared_filters(specs):
    return [shared_filter(spec) for spec in Filter.expand_spec(list(specs))]


def rendition(image, spec):
    """image.get_rendition(spec), without writing back to the cache what was found there."""
    return image.get_renditions(shared_filter(spec))[spec]

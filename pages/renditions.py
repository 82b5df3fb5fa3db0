"""The image renditions the templates ask for, so they can be made before a visitor waits."""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import ReferenceIndex

# What {% responsive_picture %} and {% logo %} (pages/templatetags/images.py) and seo/meta.py
# show. Any image may become a logo, so logo sizes are made for every upload too: they are small,
# and cheaper than a visitor waiting for one.
RESPONSIVE_FORMATS = [("webp", "image/webp"), ("jpeg", "image/jpeg")]  # the last, for <img>
RESPONSIVE_WIDTHS = [480, 800, 1200]
SHARING = "fill-1200x630|format-jpeg"
SITE_LOGO = "height-96"
PARTNER_LOGO = "max-240x120|format-webp"
ORGANISATION_LOGO = "max-512x512|format-png"
# The logos templates show, by the name {% logo %} takes.
LOGOS = {"site": SITE_LOGO, "partner": PARTNER_LOGO}


def responsive_spec(format_name, width):
    return f"format-{format_name}|width-{width}"


# All that cards and pictures show.
RESPONSIVE_SPECS = [
    responsive_spec(name, width) for name, _ in RESPONSIVE_FORMATS for width in RESPONSIVE_WIDTHS
]


def rendition_specs():
    return [*RESPONSIVE_SPECS, SHARING, SITE_LOGO, PARTNER_LOGO, ORGANISATION_LOGO]


def prebuild_renditions(image):
    image.get_renditions(*rendition_specs())


def prebuild_renditions_of_page(page):
    """The renditions of every image the page uses, in its fields, streams or rich text."""
    image_model = get_image_model()
    references = ReferenceIndex.get_references_for_object(page).filter(
        to_content_type=ContentType.objects.get_for_model(image_model)
    )
    image_ids = {int(pk) for pk in references.values_list("to_object_id", flat=True)}
    images = image_model.objects.filter(pk__in=image_ids).prefetch_related("renditions")
    for image in images:
        prebuild_renditions(image)


def prebuild_on_upload(sender, instance, created, **kwargs):
    if created and instance.file:
        prebuild_renditions(instance)


def prebuild_on_publish(sender, instance, **kwargs):
    prebuild_renditions_of_page(instance)


def prefetch_renditions(images, specs=None):
    """Every image's renditions in one query, however many images a listing shows.

    Only those of `specs` if given: cards show six of the ten sizes made for each image.
    Wagtail takes prefetched renditions as all there are, so `specs` must cover every
    rendition the images are shown in.
    """
    images = [image for image in images if image is not None]
    if not images:
        return
    renditions = get_image_model().get_rendition_model().objects.all()
    if specs is not None:
        renditions = renditions.filter(filter_spec__in=specs)
    prefetch_related_objects(images, Prefetch("renditions", queryset=renditions))


@functools.cache
def shared_filter(spec):
    """One Filter per spec for the whole process: building one inspects its operations."""
    return Filter(spec=spec)


def rendition(image, spec):
    """image.get_rendition(spec), without writing back to the cache what was found there."""
    return image.get_renditions(shared_filter(spec))[spec]

"""The image renditions the templates ask for, so they can be made before a visitor waits."""

from wagtail.images.models import Filter

# Keep in step with templates/components/picture.html and pages/seo.py.
RESPONSIVE = "format-{webp,jpeg}|width-{480,800,1200}"
SHARING = "fill-1200x630|format-jpeg"


def rendition_specs():
    return [*Filter.expand_spec(RESPONSIVE), SHARING]


def prebuild_renditions(image):
    image.get_renditions(*rendition_specs())

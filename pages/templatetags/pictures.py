"""Wagtail's {% picture %} tag, building its rendition filters once rather than on every render.

Wagtail makes new Filter objects for each image it renders, and each one inspects the
signature of every operation it runs (inspect.getcallargs): about a third of the time a page
spends on its images. The filter specs are fixed in the template, so their Filters can be shared.
"""

import functools

from django import template
from wagtail.images.models import Filter
from wagtail.images.templatetags import wagtailimages_tags

register = template.Library()


class PictureNode(wagtailimages_tags.PictureNode):
    def get_filters(self):
        return filters_for(tuple(self.filter_specs))


@functools.cache
def filters_for(filter_specs):
    return [Filter(spec=spec) for spec in Filter.expand_spec(list(filter_specs))]


@register.tag
def picture(parser, token):
    node = wagtailimages_tags.image(parser, token)
    return PictureNode(
        node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs
    )

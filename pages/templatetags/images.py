"""Wagtail's {% image %} and {% picture %} tags, without two costs they have on every render.

- Wagtail builds new Filter objects for each image, and each inspects the signatures of the
  operations it runs (inspect.getcallargs): about a third of the time a page spent on its
  images. The specs are fixed in the template, so the Filters are shared.
- {% image %} goes through Image.get_rendition, which writes the rendition to the cache on every
  call, even one it has just read from there or found prefetched: a Redis round trip per logo.
  Image.get_renditions writes only what it had to look up.
"""

from django import template
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags import wagtailimages_tags

from pages.renditions import shared_filter, shared_filters

register = template.Library()


class ImageNode(wagtailimages_tags.ImageNode):
    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        spec = "|".join(self.filter_specs)
        rendition = get_renditions_or_not_found(image, [shared_filter(spec)])[spec]
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        return rendition.img_tag(
            {name: value.resolve(context) for name, value in self.attrs.items()}
        )


class PictureNode(wagtailimages_tags.PictureNode):
    def get_filters(self):
        return shared_filters(self.filter_specs)


def parse(node_class):
    def tag(parser, token):
        node = wagtailimages_tags.image(parser, token)
        return node_class(
            node.image_expr,
            node.filter_specs,
            output_var_name=node.output_var_name,
            attrs=node.attrs,
        )

    return tag


register.tag("image", parse(ImageNode))
register.tag("picture", parse(PictureNode))

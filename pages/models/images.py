"""Links from pages and settings to images of the library."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def image_link(verbose_name, **options):
    """An optional image; deleting the image from the library empties the link."""
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )


class WithImage(models.Model):
    """The picture a page shows at its top and on its cards, with its alternative text."""

    image = image_link(_("image"))
    image_alt = models.CharField(
        _("image alt text"),
        max_length=300,
        blank=True,
        help_text=_("Describe the image for people who cannot see it; empty if decorative."),
    )

    class Meta:
        abstract = True

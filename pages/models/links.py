"""Links from pages and settings to images of the library and to other pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def optional_link(to, verbose_name, **options):
    """An optional link to another object; deleting that object empties the link, never the
    linking one."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )


def image_link(verbose_name, **options):
    return optional_link("wagtailimages.Image", verbose_name, **options)


def page_link(verbose_name, **options):
    return optional_link("wagtailcore.Page", verbose_name, **options)


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

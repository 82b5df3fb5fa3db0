from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index

from pages.models.links import image_link


class Partner(TranslatableMixin, index.Indexed, models.Model):
    """A donor, network partner, government body or community organisation."""

    class Kind(models.TextChoices):
        DONOR = "donor", _("Donor")
        NETWORK = "network", _("Network partner")
        GOVERNMENT = "government", _("Government")
        COMMUNITY = "community", _("Community organisation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    logo = image_link(_("logo"))
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("logo"),
        FieldPanel("website"),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name

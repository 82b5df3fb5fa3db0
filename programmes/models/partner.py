from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin, Site, TranslatableMixin
from wagtail.search import index

from organisations.roles import site_ids_of
from pages.models.links import image_link


class PartnerForm(WagtailAdminModelForm):
    """Staff file a partner under one of their own organisations."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "site" in self.fields and self.for_user is not None:
            own_sites = Site.objects.filter(id__in=site_ids_of(self.for_user))
            self.fields["site"].queryset = own_sites
            self.fields["site"].empty_label = None


class Partner(DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, models.Model):
    """A donor, network partner, government body or community organisation.

    A draft until published: editors and translators save, moderators publish (a translation
    made in the translation editor too), and the public pages show only live partners.
    """

    class Kind(models.TextChoices):
        DONOR = "donor", _("Donor")
        NETWORK = "network", _("Network partner")
        GOVERNMENT = "government", _("Government")
        COMMUNITY = "community", _("Community organisation")

    site = models.ForeignKey(
        Site,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="partners",
        null=True,  # filled by the migration for partners made before there were two
        help_text=_("The organisation whose pages show this partner."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    logo = image_link(_("logo"))
    website = models.URLField(_("website"), blank=True)

    base_form_class = PartnerForm
    panels = [
        FieldPanel("site"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("logo"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.FilterField("locale_id"),
        index.FilterField("site_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name

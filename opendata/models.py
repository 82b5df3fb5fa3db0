from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from opendata.export import VERSION
from pagecache.keys import note, site_pages_key
from pagecache.sites import find_site
from pages.blocks import RICH_TEXT_FEATURES
from pages.chrome import visible
from pages.models import BasePage
from pages.models.settings import VisitorSiteSetting
from pages.routing import relatives
from programmes.models import ProgrammePage
from programmes.reference.codelists import organisation_type_choices

# A registration agency's prefix ("GB-CHC", "XM-DAC", "XI-IATI"...) and the organisation's number
# there: capital letters, a hyphen, then letters, digits, dots, underscores and hyphens. IATI
# identifiers never hold spaces or slashes.
IDENTIFIER_PATTERN = r"[A-Z]{2,}-[A-Za-z0-9][A-Za-z0-9._-]*"
NATIONAL_NGO = "22"


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC0 = "CC0-1.0", _("Public domain (CC0 1.0)")
    ODC_BY = "ODC-By-1.0", _("Open Data Commons Attribution (ODC-By 1.0)")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.ODC_BY: "https://opendatacommons.org/licenses/by/1-0/",
}


def exports_off_note():
    return _(
        "Open data is switched off for this site: no file is published, and the Open data "
        "page tells visitors that the data is not published yet. It is switched on once the "
        "organisation's IATI identifier is set in Settings → Open data."
    )


class ExportsStatusPanel(HelpPanel):
    """A note in the editor saying plainly whether the site's open data files are published."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            settings = self.site_settings()
            if settings is not None and settings.enabled:
                self.content = format_html(
                    "<p>{}</p>",
                    _("Open data is published, with the IATI organisation identifier %(id)s.")
                    % {"id": settings.iati_organisation_identifier},
                )
            else:
                self.content = format_html(
                    '<div class="help-block help-warning"><p>{}</p></div>', exports_off_note()
                )

        def site_settings(self):
            instance = self.instance
            if isinstance(instance, OpenDataSettings):
                return instance
            page = instance if instance is not None and instance.pk else None
            if page is None:  # a page being created: it goes below its parent
                page = getattr(self.form, "parent_page", None)
            site = page.get_site() if page is not None else None
            return OpenDataSettings.objects.filter(site=site).first() if site else None


@register_setting(icon="download")
class OpenDataSettings(VisitorSiteSetting):
    """How the organisation publishes its programmes as open data (IATI, JSON, CSV).

    Not translated. Until the IATI organisation identifier is set, nothing is exported.
    """

    iati_organisation_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                rf"^{IDENTIFIER_PATTERN}$",
                _(
                    "Use the form AGENCY-NUMBER given by your registration agency, e.g. "
                    "XM-DAC-12345 or GB-CHC-123456: capital letters, a hyphen, then letters, "
                    "digits, dots or hyphens, without spaces."
                ),
            )
        ],
        help_text=_(
            "The organisation's identifier in the IATI Registry, the start of every programme's "
            "IATI identifier. Until it is set, no open data file is published."
        ),
    )
    organisation_type = models.CharField(
        _("organisation type (IATI)"),
        max_length=3,
        choices=organisation_type_choices,
        default=NATIONAL_NGO,
    )
    licence = models.CharField(
        _("licence"),
        max_length=20,
        choices=Licence.choices,
        blank=True,
        help_text=_(
            "The terms on which anyone may reuse the published data; the organisation "
            "chooses them. Until then the files state no licence."
        ),
    )

    panels = [
        ExportsStatusPanel(heading=_("Open data")),
        MultiFieldPanel(
            [FieldPanel("iati_organisation_identifier"), FieldPanel("organisation_type")],
            heading=_("IATI"),
        ),
        FieldPanel("licence"),
    ]

    class Meta:
        verbose_name = _("open data")

    @property
    def enabled(self):
        return bool(self.iati_organisation_identifier)

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")


class OpenDataPage(BasePage):
    """The site's open data: what each file holds, in which format, under which licence."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    content_panels = [
        *Page.content_panels,
        ExportsStatusPanel(heading=_("Open data")),
        FieldPanel("intro"),
    ]

    class Meta:
        verbose_name = _("open data page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        open_data = OpenDataSettings.for_visitor(request)
        context["open_data"] = open_data if open_data is not None and open_data.enabled else None
        if context["open_data"]:
            context.update(self.programme_counts(request), json_version=VERSION)
        return context

    def programme_counts(self, request):
        """How many programmes the files hold, and how many of them IATI can take (they have
        a start date): counted over the site's pages, so any page published there purges it."""
        site = find_site(request)
        if site is not None:
            note(site_pages_key(site.pk))
        # The Vietnamese home page, whose programmes are the record (found with the page's
        # hreflang links, at no cost).
        home = relatives(request, self).nearest.get(settings.LANGUAGE_CODE)
        if home is None:
            return {"programme_count": 0, "iati_count": 0}
        return visible(ProgrammePage.objects.descendant_of(home), request).aggregate(
            programme_count=Count("pk"),
            iati_count=Count(
                "pk",
                filter=Q(planned_start_date__isnull=False) | Q(start_date__isnull=False),
            ),
        )

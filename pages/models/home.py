from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pages.blocks import RICH_TEXT_FEATURES, FigureBlock

from .base import BasePage


class HomePage(BasePage):
    """An organisation's home page, one per site and language.

    It also carries the organisation's name, tagline, address and footer text, so that they
    are translated together with the rest of the site.
    """

    organisation_name = models.CharField(_("organisation name"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)

    hero_heading = models.CharField(_("hero heading"), max_length=200)
    hero_intro = models.TextField(_("hero introduction"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_label = models.CharField(_("call to action label"), max_length=80, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call to action page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    featured_figures = StreamField(
        [("figure", FigureBlock())],
        verbose_name=_("headline figures"),
        blank=True,
        help_text=_("Leave empty to show the first figures of the achievements page."),
    )
    latest_stories_count = models.PositiveSmallIntegerField(
        _("number of latest stories"), default=3
    )

    is_home = True
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.AboutPage",
        "pages.StandardPage",
        "pages.AchievementsPage",
        "pages.MilestonesPage",
        "pages.StoryIndexPage",
        "pages.ReportsPage",
        "pages.ContactPage",
        "programmes.ProgrammeIndexPage",
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("hero_heading"),
        index.SearchField("hero_intro"),
        index.SearchField("intro"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_intro"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                FieldPanel("hero_cta_page"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("intro"),
        InlinePanel("featured_areas", label=_("Featured programme areas")),
        FieldPanel("featured_figures"),
        FieldPanel("latest_stories_count"),
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("tagline"),
                FieldPanel("address"),
                FieldPanel("footer_text"),
            ],
            heading=_("Organisation"),
        ),
        InlinePanel("featured_partners", label=_("Partners shown on the home page")),
        InlinePanel("footer_links", label=_("Footer menu")),
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from pages.queries import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(self, request))
        return context


class HomeFeaturedArea(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_areas")
    area = models.ForeignKey(
        "programmes.ProgrammeAreaPage",
        verbose_name=_("programme area"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("area")]


class HomeFooterLink(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="footer_links")
    link_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("link_page")]


class HomePartner(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_partners")
    partner = models.ForeignKey(
        "programmes.Partner", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("partner")]

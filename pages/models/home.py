from typing import NamedTuple

from django.db import models
from django.db.models import F, Window
from django.db.models.functions import DenseRank
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pages.blocks import RICH_TEXT_FEATURES, FigureBlock
from pages.chrome import site_chrome, visible
from pages.renditions import RESPONSIVE_SPECS as CARD_RENDITIONS
from pages.renditions import prefetch_renditions

from .achievements import AchievementsPage
from .base import BasePage
from .links import image_link, page_link
from .stories import StoryPage

FIGURES_ON_HOME = 3
# What the partners section says each partner does on the site: the programmes it funds or
# implements (IATI organisation roles 1 and 4), the first few of them.
PARTNER_ROLES_SHOWN = ("1", "4")
PROGRAMMES_PER_PARTNER = 5


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
    hero_image = image_link(_("hero image"))
    hero_cta_label = models.CharField(_("call to action label"), max_length=80, blank=True)
    hero_cta_page = page_link(_("call to action page"))
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
        "giving.DonatePage",
        "opendata.OpenDataPage",
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


def home_page_context(home, request):
    """The programme areas, figures, latest stories and partners the home page shows."""
    # The models the home page links to, which it names only as its relations' targets: the
    # programmes app builds on this one, not the reverse.
    area_model = HomeFeaturedArea._meta.get_field("area").related_model
    partner_model = HomePartner._meta.get_field("partner").related_model
    areas = [
        link.area
        for link in home.featured_areas.select_related("area", "area__image")
        if link.area.live
    ]
    if not areas:
        areas = list(
            visible(area_model.objects.descendant_of(home), request).select_related("image")
        )

    figures = [block.value for block in home.featured_figures]
    if not figures:
        achievements = (
            visible(AchievementsPage.objects.descendant_of(home), request).only("figures").first()
        )
        if achievements:
            figures = [block.value for block in achievements.figures[:FIGURES_ON_HOME]]

    stories = list(
        visible(StoryPage.objects.descendant_of(home), request)
        .select_related("image")
        .order_by("-date", "-pk")[: home.latest_stories_count]
    )
    prefetch_renditions(
        [area.image for area in areas] + [story.image for story in stories], CARD_RENDITIONS
    )

    chrome = site_chrome(request)
    if (
        chrome["home"] is not None
        and chrome["home"].pk == home.pk
        and not getattr(request, "is_preview", False)
    ):
        partners = chrome["partners"]  # the footer lists the same ones
    else:
        partners = [
            link.partner
            for link in home.featured_partners.select_related("partner", "partner__logo")
            if link.partner.live
        ]
    if not partners:
        partners = list(
            partner_model.objects.filter(
                live=True,
                locale_id=home.locale_id,
                programme_links__page__path__startswith=home.path,
            )
            .distinct()
            .select_related("logo")
        )

    return {
        "featured_areas": areas,
        "figures": figures,
        "latest_stories": stories,
        "partners": partners,
        "partner_programmes": partner_programmes(home, partners, request),
    }


class PartnerProgrammes(NamedTuple):
    partner: object
    programmes: list  # [(programme page, [role labels])], in the tree's order
    more: int  # how many more it funds or implements


def partner_programmes(home, partners, request):
    """[PartnerProgrammes] for the partners section: one query, however many programmes.

    The live, public programmes below `home` (its site and language) that each partner funds or
    implements, the first PROGRAMMES_PER_PARTNER of each in the tree's order, with their roles.
    """
    if not partners:
        return []
    partner_model = HomePartner._meta.get_field("partner").related_model
    link_model = partner_model._meta.get_field("programme_links").related_model
    programme_model = link_model._meta.get_field("page").related_model
    by_partner = {"partition_by": F("partner_id")}
    links = (
        link_model.objects.filter(
            partner__in=[partner.pk for partner in partners],
            role__in=PARTNER_ROLES_SHOWN,
            page__in=visible(programme_model.objects.descendant_of(home), request),
        )
        .annotate(
            number=Window(DenseRank(), order_by=F("page__path").asc(), **by_partner),
            # A window cannot count distinct rows, but a programme's dense ranks from either
            # end add up to one more than the partner's number of programmes.
            from_end=Window(DenseRank(), order_by=F("page__path").desc(), **by_partner),
        )
        .filter(number__lte=PROGRAMMES_PER_PARTNER)
        .select_related("page")
        .order_by("page__path", "role")
    )
    shown = {partner.pk: {} for partner in partners}
    counts = {}
    for link in links:
        shown[link.partner_id].setdefault(link.page, []).append(link.get_role_display())
        counts[link.partner_id] = link.number + link.from_end - 1
    return [
        PartnerProgrammes(
            partner,
            list(shown[partner.pk].items()),
            counts.get(partner.pk, 0) - len(shown[partner.pk]),
        )
        for partner in partners
    ]

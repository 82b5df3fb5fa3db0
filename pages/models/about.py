from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import RICH_TEXT_FEATURES, BodyBlock, ValueBlock

from .base import BasePage


class AboutPage(BasePage):
    """Who the organisation is: vision, mission and values."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    vision = RichTextField(_("vision"), features=RICH_TEXT_FEATURES, blank=True)
    mission = RichTextField(_("mission"), features=RICH_TEXT_FEATURES, blank=True)
    values = StreamField([("value", ValueBlock())], verbose_name=_("values"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    transparency = RichTextField(
        _("transparency"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("How the organisation accounts for its money; link to the reports library."),
    )

    parent_page_types = ["pages.HomePage"]
    subpage_types = [
        "pages.StandardPage",
        "pages.AchievementsPage",
        "pages.MilestonesPage",
        "pages.ReportsPage",
    ]
    max_count_per_parent = 1

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("vision"),
        index.SearchField("mission"),
        index.SearchField("values"),
        index.SearchField("body"),
        index.SearchField("transparency"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("vision"),
        FieldPanel("mission"),
        FieldPanel("values"),
        FieldPanel("body"),
        FieldPanel("transparency"),
    ]

    class Meta:
        verbose_name = _("about page")


class StandardPage(BasePage):
    """A flexible page for any other content."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["pages.HomePage", "pages.AboutPage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("standard page")

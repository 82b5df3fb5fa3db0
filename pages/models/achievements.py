from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import RICH_TEXT_FEATURES, BodyBlock, FigureBlock, MilestoneBlock

from .base import BasePage


class AchievementsPage(BasePage):
    """Headline figures as structured data, with the story behind them."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    figures = StreamField([("figure", FigureBlock())], verbose_name=_("figures"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("narrative"), blank=True)
    transparency = RichTextField(
        _("transparency"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("How funds are spent, with links to the reports."),
    )

    parent_page_types = ["pages.HomePage", "pages.AboutPage"]
    subpage_types = []
    max_count_per_parent = 1

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("figures"),
        index.SearchField("body"),
        index.SearchField("transparency"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("figures"),
        FieldPanel("body"),
        FieldPanel("transparency"),
    ]

    class Meta:
        verbose_name = _("achievements page")


class MilestonesPage(BasePage):
    """The organisation's history as a dated timeline."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    milestones = StreamField(
        [("milestone", MilestoneBlock())], verbose_name=_("milestones"), blank=True
    )

    parent_page_types = ["pages.HomePage", "pages.AboutPage"]
    subpage_types = []
    max_count_per_parent = 1

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("milestones"),
    ]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("milestones")]

    class Meta:
        verbose_name = _("milestones page")

    def timeline(self):
        """Milestones in date order, whatever order the editor entered them in."""
        return sorted(self.milestones, key=lambda block: block.value["date"])

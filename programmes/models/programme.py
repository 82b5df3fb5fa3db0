from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pages.blocks import RICH_TEXT_FEATURES, BodyBlock, DocumentLinkBlock, FigureBlock
from pages.chrome import visible
from pages.listings import ListingPaginator, paginate
from pages.models import BasePage, StoryPage
from pages.models.links import WithImage
from pages.numbers import NumberField


class ProgrammeIndexPage(BasePage):
    """The list of programme areas."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["programmes.ProgrammeAreaPage"]
    max_count_per_parent = 1

    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("programme index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["areas"] = (
            visible(ProgrammeAreaPage.objects.child_of(self), request)
            .select_related("image")
            .prefetch_related("image__renditions")
        )
        return context


class ProgrammeAreaPage(WithImage, BasePage):
    """One of an organisation's fields of work, grouping its projects."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["programmes.ProgrammeIndexPage"]
    subpage_types = ["programmes.ProgrammePage"]
    programmes_per_page = 12

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("image_alt"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("programme area")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A page at a time, in the order editors give them in the admin (the tree's): an area
        # may hold a hundred projects, which took longer to render than the rest of the page.
        programmes = visible(ProgrammePage.objects.child_of(self), request).order_by("path")
        context["programmes"] = paginate(
            request, programmes, self.programmes_per_page, ListingPaginator
        )
        return context


class ProgrammePage(WithImage, BasePage):
    """One project: what was done, where, for whom, funded by whom, with what results."""

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    code = models.CharField(_("short code"), max_length=40, help_text=_("E.g. SAFE or PrEP"))
    full_name = models.CharField(_("full name"), max_length=255)
    summary = models.TextField(_("summary"), max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    locations = models.TextField(
        _("provinces or locations"), blank=True, help_text=_("One per line.")
    )
    target_groups = models.TextField(_("target groups"), blank=True, help_text=_("One per line."))
    budget = NumberField(_("budget"), max_digits=14, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        choices=[("VND", "VND"), ("USD", "USD"), ("EUR", "EUR"), ("CAD", "CAD"), ("NOK", "NOK")],
    )
    results = StreamField([("figure", FigureBlock())], verbose_name=_("results"), blank=True)
    documents = StreamField(
        [("document", DocumentLinkBlock())], verbose_name=_("related documents"), blank=True
    )

    parent_page_types = ["programmes.ProgrammeAreaPage"]
    subpage_types = []

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("code", boost=3),
        index.AutocompleteField("code"),
        index.SearchField("full_name", boost=2),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("locations"),
        index.SearchField("target_groups"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("code"), FieldPanel("status")]),
        FieldPanel("full_name"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("image_alt"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("locations"),
                FieldPanel("target_groups"),
                FieldRowPanel([FieldPanel("budget"), FieldPanel("budget_currency")]),
            ],
            heading=_("Facts"),
        ),
        InlinePanel("partner_links", label=_("Funders and partners")),
        FieldPanel("results"),
        FieldPanel("documents"),
    ]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.budget is not None and not self.budget_currency:
            errors["budget_currency"] = _("Choose the currency of the budget.")
        if self.budget is not None and self.budget < 0:
            errors["budget"] = _("The budget cannot be negative.")
        if errors:
            raise ValidationError(errors)

    @property
    def listing_summary(self):
        return self.summary

    @property
    def location_list(self):
        return [line.strip() for line in self.locations.splitlines() if line.strip()]

    @property
    def target_group_list(self):
        return [line.strip() for line in self.target_groups.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        links = [
            link
            for link in self.partner_links.select_related("partner", "partner__logo")
            if link.partner.live
        ]
        context["funders"] = [link.partner for link in links if link.role == link.Role.FUNDER]
        context["partners"] = [link.partner for link in links if link.role == link.Role.PARTNER]
        context["related_stories"] = visible(
            StoryPage.objects.filter(programme_links__programme=self), request
        ).order_by("-date", "-pk")[:3]
        return context


class ProgrammePartner(Orderable):
    class Role(models.TextChoices):
        FUNDER = "funder", _("Funder")
        PARTNER = "partner", _("Partner")

    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="partner_links")
    partner = models.ForeignKey(
        "programmes.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="programme_links",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    panels = [FieldPanel("partner"), FieldPanel("role")]

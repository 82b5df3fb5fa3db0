from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from giving.blocks import DonationBlock
from pages.blocks import RICH_TEXT_FEATURES, BodyBlock, DocumentLinkBlock, FigureBlock
from pages.chrome import visible
from pages.forms import PageForm
from pages.listings import paginate
from pages.models import BasePage, StoryPage
from pages.models.links import WithImage
from programmes.facts import ProgrammeFacts
from programmes.filters import ProgrammeFilters
from programmes.models.facts import ends_before_start
from programmes.reference.codelists import (
    activity_document_category_choices,
    activity_status_choices,
    gender_marker_choices,
    language_choices,
    organisation_role_choices,
    sdg_goal_choices,
)

FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"


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
        # A page at a time, in the order editors give them in the admin (the tree's), narrowed
        # by the filters: an area may hold a hundred projects. The filters know which match, in
        # that order (programmes/filters.py); the page reads only the dozen it shows.
        programmes = visible(ProgrammePage.objects.child_of(self), request)
        filters = ProgrammeFilters.for_area(self, programmes, request)
        shown = paginate(request, filters.matching, self.programmes_per_page)
        shown.object_list = list(programmes.filter(pk__in=shown.object_list).order_by("path"))
        context["programmes"] = shown
        context["filters"] = filters
        return context


class ProgrammeDocumentBlock(DocumentLinkBlock):
    """A document of the programme, described as IATI describes one (category, language)."""

    category = blocks.ChoiceBlock(
        choices=activity_document_category_choices, required=False, label=_("Kind")
    )
    language = blocks.ChoiceBlock(
        choices=language_choices, required=False, label=_("Language of the document")
    )

    class Meta:
        template = "blocks/document_link.html"


class ProgrammeBodyBlock(BodyBlock):
    """A programme's body can also ask for donations to it (its code in the transfer message)."""

    donation = DonationBlock()

    class Meta:
        block_counts = {"donation": {"max_num": 1}}


class ProgrammePageForm(PageForm):
    """The SDG goals as checkboxes; stored as a list of goal numbers."""

    sdg_goals = forms.TypedMultipleChoiceField(
        choices=sdg_goal_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Sustainable Development Goals"),
    )

    def clean(self):
        cleaned = super().clean()
        # The rows are checked after this form; their own errors come first.
        formset = self.formsets["sectors"]
        if not formset.is_valid():
            return cleaned
        sectors = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        percentages = [sector.get("percentage") for sector in sectors]
        if len(sectors) > 1 and (None in percentages or sum(percentages) != 100):
            self.add_error(
                None,
                _("With more than one sector, give each a percentage; together they make 100."),
            )
        return cleaned


class ProgrammePage(WithImage, BasePage):
    """One project: what was done, where, for whom, funded by whom, with what results."""

    code = models.CharField(_("short code"), max_length=40, help_text=_("E.g. SAFE or PrEP"))
    full_name = models.CharField(_("full name"), max_length=255)
    summary = models.TextField(_("summary"), max_length=500)
    body = StreamField(ProgrammeBodyBlock(), verbose_name=_("body"), blank=True)
    status = models.CharField(
        _("status"), max_length=1, choices=activity_status_choices, blank=True
    )
    planned_start_date = models.DateField(_("planned start"), null=True, blank=True)
    planned_end_date = models.DateField(_("planned end"), null=True, blank=True)
    start_date = models.DateField(_("actual start"), null=True, blank=True)
    end_date = models.DateField(_("actual end"), null=True, blank=True)
    place_description = models.CharField(
        _("where, in words"),
        max_length=200,
        blank=True,
        help_text=_("A region or places the list does not name, e.g. “the Mekong Delta”."),
    )
    target_groups = models.TextField(_("target groups"), blank=True, help_text=_("One per line."))
    sdg_goals = models.JSONField(_("Sustainable Development Goals"), default=list, blank=True)
    gender_marker = models.CharField(
        _("gender equality"),
        max_length=1,
        choices=gender_marker_choices,
        blank=True,
        help_text=_("The OECD DAC gender equality policy marker."),
    )
    results = StreamField(
        [("figure", FigureBlock())], verbose_name=_("headline figures"), blank=True
    )
    documents = StreamField(
        [("document", ProgrammeDocumentBlock())], verbose_name=_("related documents"), blank=True
    )

    parent_page_types = ["programmes.ProgrammeAreaPage"]
    subpage_types = []
    base_form_class = ProgrammePageForm

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("code", boost=3),
        index.AutocompleteField("code"),
        index.SearchField("full_name", boost=2),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("place_description"),
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
                FieldRowPanel([FieldPanel("planned_start_date"), FieldPanel("planned_end_date")]),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            ],
            heading=_("Dates"),
        ),
        InlinePanel("partner_links", label=_("Funders and partners"), heading=_("Who takes part")),
        InlinePanel("locations", label=_("Place"), heading=_("Where")),
        FieldPanel("place_description"),
        FieldPanel("target_groups"),
        InlinePanel("sectors", label=_("Sector"), heading=_("Sectors")),
        FieldPanel("sdg_goals"),
        FieldPanel("gender_marker"),
        InlinePanel("budgets", label=_("Budget"), heading=_("Budget")),
        InlinePanel("indicators", label=_("Result indicator"), heading=_("Results")),
        FieldPanel("results"),
        FieldPanel("documents"),
    ]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def clean(self):
        super().clean()
        ends = ends_before_start(
            self, ("planned_start_date", "planned_end_date"), ("start_date", "end_date")
        )
        errors = dict.fromkeys(ends, _("The end date cannot be before the start date."))
        if errors:
            raise ValidationError(errors)

    @property
    def listing_summary(self):
        return self.summary

    @property
    def target_group_list(self):
        return [line.strip() for line in self.target_groups.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["facts"] = ProgrammeFacts(self)
        context["related_stories"] = visible(
            StoryPage.objects.filter(programme_links__programme=self), request
        ).order_by("-date", "-pk")[:3]
        return context


class ProgrammePartner(Orderable):
    """An organisation taking part in a programme, in one of IATI's four roles."""

    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="partner_links")
    partner = models.ForeignKey(
        "programmes.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="programme_links",
    )
    role = models.CharField(
        _("role"), max_length=1, choices=organisation_role_choices, default=IMPLEMENTING
    )

    panels = [FieldRowPanel([FieldPanel("partner"), FieldPanel("role")])]

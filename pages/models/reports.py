"""The reports library: annual reports, financial statements and evaluations, as documents."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from pages.blocks import RICH_TEXT_FEATURES

from .base import BasePage

FIRST_YEAR, LAST_YEAR = 1990, 2100


class ReportsPage(BasePage):
    """A library of the organisation's published reports, filterable by year and kind."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["pages.HomePage", "pages.AboutPage"]
    subpage_types = []
    max_count_per_parent = 1

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("reports_text"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("reports", label=_("Reports")),
    ]

    class Meta:
        verbose_name = _("reports page")

    def reports_text(self):
        """The reports' titles and summaries, for the search index."""
        return " ".join(f"{report.title} {report.summary}" for report in self.reports.all())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # One query, whatever the number of reports; filtered here so previews show unsaved edits.
        reports = sorted(
            self.reports.all().select_related("document"),
            key=lambda report: (-report.year, report.sort_order or 0),
        )
        year = parse_year(request.GET.get("year"))
        kind = request.GET.get("kind")
        kind = kind if kind in Report.Kind.values else None
        context.update(
            {
                "reports": [
                    report
                    for report in reports
                    if year in (None, report.year) and kind in (None, report.kind)
                ],
                "years": sorted({report.year for report in reports}, reverse=True),
                "kinds": [
                    (value, label)
                    for value, label in Report.Kind.choices
                    if any(report.kind == value for report in reports)
                ],
                "current_year": year,
                "current_kind": kind,
            }
        )
        return context


def parse_year(value):
    """A year from the query string, or None when it is missing or not a plausible year."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        return None
    year = int(value)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


class Report(TranslatableMixin, Orderable):
    """One published document; its title and summary are translated with the page."""

    class Kind(models.TextChoices):
        ANNUAL_REPORT = "annual_report", _("Annual report")
        FINANCIAL_STATEMENT = "financial_statement", _("Financial statement")
        EVALUATION = "programme_evaluation", _("Programme evaluation")
        OTHER = "other", _("Other")

    page = ParentalKey(ReportsPage, on_delete=models.CASCADE, related_name="reports")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)

    panels = [
        FieldPanel("document"),
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("kind")]),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return self.title

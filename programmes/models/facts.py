"""What a programme page states as data: sectors, places, budgets and results.

Each row belongs to one language's page. Sectors, places and budgets are the same facts in
both languages, so a translation copies them from its source (wagtail-localize synchronises
child rows that are not translatable); a result indicator's title and unit are words, so its
rows are translated with the page.

Every list an editor picks from is kept in the code (programmes/reference): the IATI 2.03
codelists and Vietnam's provinces, in both the 63-province list and the 34-province one of
July 2025.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable, TranslatableMixin

from pages.numbers import NumberField
from programmes.reference import provinces
from programmes.reference.codelists import (
    CURRENCY_DECIMALS,
    currency_choices,
    indicator_measure_choices,
    sector_choices,
)


def ends_before_start(instance, *fields):
    """The end fields of instance, among (start, end) pairs, that fall before their start."""
    return [
        end
        for start, end in fields
        if getattr(instance, start)
        and getattr(instance, end)
        and getattr(instance, end) < getattr(instance, start)
    ]


def period_errors(row):
    return dict.fromkeys(
        ends_before_start(row, ("period_start", "period_end")),
        _("The end of the period cannot be before its start."),
    )


class ProgrammeSector(Orderable):
    page = ParentalKey("programmes.ProgrammePage", on_delete=models.CASCADE, related_name="sectors")
    code = models.CharField(_("sector"), max_length=5, choices=sector_choices)
    percentage = models.PositiveSmallIntegerField(
        _("percentage"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of the programme in this sector, when it has more than one."),
    )

    panels = [FieldRowPanel([FieldPanel("code"), FieldPanel("percentage")])]

    class Meta(Orderable.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class ProgrammeLocation(Orderable):
    page = ParentalKey(
        "programmes.ProgrammePage", on_delete=models.CASCADE, related_name="locations"
    )
    province = models.CharField(
        _("province or city"),
        max_length=30,
        choices=provinces.choices,
        help_text=_(
            "From the list in force when the work took place: the 63 provinces until "
            "30 June 2025, the 34 from 1 July 2025."
        ),
    )

    panels = [FieldPanel("province")]

    class Meta(Orderable.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")

    @property
    def list_key(self):
        return self.province.partition(":")[0]

    def name(self, language=None):
        return provinces.province_name(self.province, language)


class ProgrammeBudget(Orderable):
    page = ParentalKey("programmes.ProgrammePage", on_delete=models.CASCADE, related_name="budgets")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    value = NumberField(
        _("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=currency_choices)

    panels = [
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
        FieldRowPanel([FieldPanel("value"), FieldPanel("currency")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")

    def clean(self):
        errors = period_errors(self)
        decimals = CURRENCY_DECIMALS.get(self.currency)
        if None not in (self.value, decimals) and self.value != round(self.value, decimals):
            errors["value"] = _("%(currency)s amounts have %(decimals)s decimal places.") % {
                "currency": self.currency,
                "decimals": decimals,
            }
        if errors:
            raise ValidationError(errors)


class ResultIndicator(TranslatableMixin, Orderable):
    """One measure of a result over one period: baseline, target and what was achieved.

    An indicator measured over several periods has a row per period, with the same title.
    """

    page = ParentalKey(
        "programmes.ProgrammePage", on_delete=models.CASCADE, related_name="indicators"
    )
    title = models.CharField(
        _("indicator"),
        max_length=255,
        help_text=_("What is counted, e.g. “People tested for HIV”."),
    )
    unit = models.CharField(
        _("unit"), max_length=60, blank=True, help_text=_("E.g. people, factories, %.")
    )
    measure = models.CharField(
        _("measure"), max_length=1, choices=indicator_measure_choices, default="1"
    )
    ascending = models.BooleanField(
        _("higher is better"), default=True, help_text=_("Untick when a fall is the aim.")
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    baseline = NumberField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1945), MaxValueValidator(2100)],
    )
    target = NumberField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    actual = NumberField(_("achieved"), max_digits=16, decimal_places=2, null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("measure"), FieldPanel("ascending")]),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
        FieldRowPanel([FieldPanel("baseline"), FieldPanel("baseline_year")]),
        FieldRowPanel([FieldPanel("target"), FieldPanel("actual")]),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("result indicator")
        verbose_name_plural = _("result indicators")

    def clean(self):
        errors = period_errors(self)
        if self.baseline is not None and self.baseline_year is None:
            errors["baseline_year"] = _("Say which year the baseline was measured in.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_period(self):
        return bool(self.period_start and self.period_end)

    @property
    def progress(self):
        """How far the actual value is towards the target, in per cent (None if unknown)."""
        if self.actual is None or not self.target:
            return None
        return min(round(self.actual / self.target * 100), 100)

"""A programme's facts, read once for its page's facts panel: five queries, however many rows.

Labels and place names come out in the active language; numbers stay numbers (the template
formats them as the reader's language writes them: 150.000 or 150,000).
"""

from decimal import Decimal
from functools import cached_property

from django.db.models import OuterRef, Subquery
from modelcluster.queryset import FakeQuerySet

from programmes.models.partner import Partner
from programmes.reference import codelists, provinces

ROLE_ORDER = ("1", "2", "3", "4")  # funding, accountable, extending, implementing


def amount(value, currency):
    """A budget amount with the decimals its currency has: VND none, USD two."""
    decimals = codelists.currency_decimals(currency)
    return value.quantize(Decimal(1).scaleb(-decimals))


class ProgrammeFacts:
    def __init__(self, page):
        self.page = page

    @cached_property
    def participants(self):
        """[(role label, [names])], funders first. A synced translation still links the
        source's partner: each is named as its live translation in the page's language names
        it, else as itself; partners not live are left out. One query."""
        translated = Partner.objects.filter(
            translation_key=OuterRef("partner__translation_key"),
            locale_id=self.page.locale_id,
            live=True,
        )
        links = self.page.partner_links.all()
        if isinstance(links, FakeQuerySet):  # a preview: the rows are the form's, in memory
            links = [(link.role, link.partner.name, link.partner.live, None) for link in links]
        else:
            links = links.annotate(
                translated_name=Subquery(translated.values("name")[:1])
            ).values_list("role", "partner__name", "partner__live", "translated_name")
        shown = [
            (role, translated_name or name)
            for role, name, live, translated_name in links
            if translated_name or live
        ]
        return [
            (
                codelists.label("OrganisationRole", role),
                [name for partner_role, name in shown if partner_role == role],
            )
            for role in ROLE_ORDER
            if any(partner_role == role for partner_role, _ in shown)
        ]

    @cached_property
    def places(self):
        on = self.page.end_date or self.page.start_date
        return [
            provinces.province_name(location.province, on=on)
            for location in self.page.locations.all()
        ]

    @cached_property
    def sectors(self):
        rows = list(self.page.sectors.all())
        return [
            (codelists.name("Sector", row.code), row.percentage if len(rows) > 1 else None)
            for row in rows
        ]

    @cached_property
    def budgets(self):
        return [
            {
                "start": budget.period_start,
                "end": budget.period_end,
                "value": amount(budget.value, budget.currency),
                "currency": budget.currency,
            }
            for budget in self.page.budgets.all()
        ]

    @cached_property
    def indicators(self):
        return list(self.page.indicators.all())

    @property
    def status(self):
        return self.page.get_status_display() if self.page.status else ""

    @property
    def sdgs(self):
        return [codelists.name("UNSDG-Goals", goal) for goal in self.page.sdg_goals]

    @property
    def gender_marker(self):
        return self.page.get_gender_marker_display() if self.page.gender_marker else ""

    @property
    def dates(self):
        """The actual dates when known, else the planned ones: (start, end, planned?)."""
        page = self.page
        if page.start_date:
            return page.start_date, page.end_date, False
        if page.planned_start_date:
            return page.planned_start_date, page.planned_end_date, True
        return None

    def __bool__(self):
        return bool(
            self.status
            or self.dates
            or self.places
            or self.page.place_description
            or self.page.target_group_list
            or self.participants
            or self.sectors
            or self.sdgs
            or self.gender_marker
            or self.budgets
            or self.indicators
        )

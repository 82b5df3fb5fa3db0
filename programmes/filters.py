"""Narrowing a programme area's projects by status, funder, province and year.

Each filter is a query parameter (`?status=2&funder=7&province=vn63:nam-dinh&year=2024`) and each
option a plain link, so the filters work without JavaScript and every filtered list has an
address. A value that names nothing is ignored: a status not in the IATI list, a funder that is
not a live partner funding a project of the area, a province not in either list, a year out of
range. A value that is valid but matches no project shows an empty list with a way back.

What the filters choose from is read once per area (three queries, however many projects it
holds) and kept in the shared cache until one of its projects is published, moved or unpublished
(the area's `view:` key) or one of their funders changes (each partner's own key). Matching, the
options and their counts are worked out from those rows, and the page reads only the projects it
shows.
"""

from collections import Counter
from functools import cache, cached_property
from typing import NamedTuple
from urllib.parse import urlencode

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pagecache.store import kept
from programmes.models.facts import ProgrammeLocation
from programmes.models.partner import Partner
from programmes.reference import provinces
from programmes.reference.codelists import activity_status_choices

FUNDING = "1"  # ProgrammePartner.role: IATI organisation role "Funding"
PARAMETERS = ("status", "funder", "province", "year")
FIRST_YEAR, LAST_YEAR = 1945, 2100
# In the kept rows' name, so that a release that changes their shape never reads older ones.
ROWS_SHAPE = "1"
# Every province value in list order (the 63 units, then the 34), north to south in each.
PROVINCE_ORDER = {
    unit.key: number
    for number, unit in enumerate(
        unit
        for unit_list in provinces.PROVINCE_LISTS.values()
        for unit in unit_list.provinces.values()
    )
}


@cache
def same_place(key):
    """The stored province values that name the place `key` names, across the 2025 merger.

    A unit of the 63 is also found under the unit of the 34 it became part of; a unit of the
    34 also under each of the units it was formed from.
    """
    if provinces.province(key).list_key == "vn34":
        return frozenset({key, *provinces.predecessors(key)})
    return frozenset({key, provinces.current_successor(key)})


class Listed(NamedTuple):
    """What the filters know of one project of the area."""

    pk: int
    status: str
    start_year: int | None
    end_year: int | None  # None with a start year: ongoing
    places: tuple  # stored province values
    funders: frozenset  # partner ids, live or not

    def years(self, this_year):
        """The years the project ran in; an open end runs to this year."""
        if self.start_year is None:
            return range(0)
        end = self.end_year or max(self.start_year, this_year)
        return range(max(self.start_year, FIRST_YEAR), min(end, LAST_YEAR) + 1)

    def values(self, this_year):
        """{filter: the values of it this project matches}."""
        return {
            "status": {self.status} if self.status else set(),
            "funder": self.funders,
            "province": set().union(*(same_place(key) for key in self.places)),
            "year": set(self.years(this_year)),
        }


def number(text, *, digits):
    """The whole number `text` writes in at most `digits` ASCII digits, else None."""
    if text.isascii() and text.isdigit() and len(text) <= digits:
        return int(text)
    return None


def years_of(start, end, planned_start, planned_end):
    """(first year, last year) of the dates the programme page shows (ProgrammeFacts.dates):
    the actual ones once it has started, else the planned ones."""
    if not start:
        start, end = planned_start, planned_end
    if not start:
        return None, None
    return start.year, end.year if end else None


def read_rows(programmes):
    """([Listed] in the tree's order, {live funder's id: name}): three queries."""
    places = {}
    for page_id, key in ProgrammeLocation.objects.filter(page__in=programmes).values_list(
        "page_id", "province"
    ):
        if provinces.is_province(key):
            places.setdefault(page_id, []).append(key)
    funders, names = {}, {}
    # Partner rows, not values: the page shows their names, so a change to one must purge it
    # (pagecache notes each partner that loads); drafts load too, so that publishing one does.
    for partner in Partner.objects.filter(
        programme_links__role=FUNDING, programme_links__page__in=programmes
    ).annotate(programme_id=F("programme_links__page_id")):
        funders.setdefault(partner.programme_id, set()).add(partner.pk)
        if partner.live:
            names[partner.pk] = partner.name
    rows = [
        Listed(
            pk,
            status,
            *years_of(*dates),
            tuple(places.get(pk, ())),
            frozenset(funders.get(pk, ())),
        )
        for pk, status, *dates in programmes.order_by("path").values_list(
            "pk", "status", "start_date", "end_date", "planned_start_date", "planned_end_date"
        )
    ]
    return rows, names


class Option(NamedTuple):
    label: str
    count: int
    href: str
    active: bool


class Facet(NamedTuple):
    name: str
    label: str
    options: list
    clear_href: str | None  # while one of its options is chosen


class ProgrammeFilters:
    """One area's filters for one request: what is chosen, which projects match, the links."""

    labels = {
        "status": _("Status"),
        "funder": _("Funder"),
        "province": _("Province or city"),
        "year": _("Year"),
    }

    def __init__(self, request, rows, funder_names):
        self.path = request.path
        this_year = timezone.localdate().year
        self.rows = rows
        self.values = [row.values(this_year) for row in rows]
        self.funder_names = funder_names
        self.requested = any(name in request.GET for name in PARAMETERS)
        self.chosen = self.read(request.GET)

    @classmethod
    def for_area(cls, area, programmes, request):
        """The filters of `area`, whose visible projects `programmes` are."""
        rows, funder_names = kept(
            request,
            f"programme-filters:{ROWS_SHAPE}:{area.pk}",
            lambda: read_rows(programmes),
            keys={f"view:{area.pk}"},
        )
        return cls(request, rows, funder_names)

    def read(self, query):
        """{filter: value} of the valid values in the query string."""
        chosen = {}
        status = query.get("status", "")
        if status in self.status_labels:
            chosen["status"] = status
        funder = number(query.get("funder", ""), digits=18)
        if funder in self.funder_names:
            chosen["funder"] = funder
        province = query.get("province", "")
        if provinces.is_province(province):
            chosen["province"] = province
        year = number(query.get("year", ""), digits=4)
        if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
            chosen["year"] = year
        return chosen

    @cached_property
    def status_labels(self):
        return dict(activity_status_choices())

    @property
    def total(self):
        """How many projects the area shows, unfiltered."""
        return len(self.rows)

    @property
    def active(self):
        return bool(self.chosen)

    @cached_property
    def matching(self):
        """The ids of the projects that match every chosen filter, in the tree's order."""
        return [
            row.pk
            for row, values in zip(self.rows, self.values, strict=True)
            if all(value in values[name] for name, value in self.chosen.items())
        ]

    @property
    def query(self):
        """The chosen filters as a query string, for the pagination's links."""
        return urlencode([(name, self.chosen[name]) for name in PARAMETERS if name in self.chosen])

    @property
    def clear_href(self):
        return self.path

    def href(self, name, value):
        """A link to the first page of the list with `name` set to `value` (None: unset)."""
        chosen = {**self.chosen, name: value}
        query = urlencode([(key, chosen[key]) for key in PARAMETERS if chosen.get(key) is not None])
        return f"?{query}" if query else self.path

    def counts(self, name):
        """How many projects each value of one filter matches, with the other filters applied."""
        others = [(other, value) for other, value in self.chosen.items() if other != name]
        counted = Counter()
        for values in self.values:
            if all(value in values[other] for other, value in others):
                counted.update(values[name])
        return counted

    @cached_property
    def facets(self):
        """The filters that have something to choose from, each with its options.

        An option is a value some project of the area has and some project would match with the
        other filters applied, or the chosen value; its link chooses it, or, chosen, unsets it.
        """
        facets = []
        for name in PARAMETERS:
            counts = self.counts(name)
            chosen = self.chosen.get(name)
            values = {value for value in self.present(name) if counts[value]}
            if chosen is not None:
                values.add(chosen)
            if not values:
                continue
            options = [
                Option(
                    label,
                    counts[value],
                    self.href(name, None if value == chosen else value),
                    value == chosen,
                )
                for value, label in self.option_labels(name, values).items()
            ]
            clear = None if chosen is None else self.href(name, None)
            facets.append(Facet(name, self.labels[name], options, clear))
        return facets

    def present(self, name):
        """The values of one filter that the area's projects have."""
        if name == "status":
            return {row.status for row in self.rows if row.status}
        if name == "funder":
            return {pk for row in self.rows for pk in row.funders if pk in self.funder_names}
        if name == "province":
            return {key for row in self.rows for key in row.places}
        return set().union(*(values["year"] for values in self.values))

    def option_labels(self, name, values):
        """{value: label} of one filter's values, in the order they are offered."""
        if name == "status":
            return {code: label for code, label in self.status_labels.items() if code in values}
        if name == "funder":
            ordered = sorted(values, key=lambda pk: self.funder_names[pk].casefold())
            return {pk: self.funder_names[pk] for pk in ordered}
        if name == "province":
            return province_labels(sorted(values, key=PROVINCE_ORDER.__getitem__))
        return {year: str(year) for year in sorted(values, reverse=True)}


def province_labels(keys):
    """{key: name} in the reader's language; a name both lists hold says which list it is of."""
    names = {key: provinces.province_name(key) for key in keys}
    repeated = {name for name, count in Counter(names.values()).items() if count > 1}
    labels = {}
    for key, name in names.items():
        if name not in repeated:
            labels[key] = name
        elif key.startswith("vn63:"):
            labels[key] = gettext("%(name)s (until June 2025)") % {"name": name}
        else:
            labels[key] = gettext("%(name)s (from July 2025)") % {"name": name}
    return labels

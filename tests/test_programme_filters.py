"""Programme areas filtered by status, funder, province and year; partners and their programmes
(issue #22). On the demo's page tree, with projects added by the factories."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from programmes.filters import read_rows
from programmes.models import (
    Partner,
    ProgrammeAreaPage,
    ProgrammeIndexPage,
    ProgrammeLocation,
    ProgrammePage,
    ProgrammePartner,
)
from tests.conftest import LIGHT
from tests.factories import PartnerFactory, ProgrammeAreaPageFactory, ProgrammePageFactory
from tests.helpers import home_of, path_of
from tests.test_content import QUERY_BUDGET, content_changed, queries_to_get
from tests.test_html_validity import checker, validation_errors  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def programme(area, *, status="2", places=(), funders=(), implementers=(), **dates):
    page = ProgrammePageFactory(parent=area, status=status, **dates)
    # Through the models: the factory's page keeps its child relations in memory.
    for key in places:
        ProgrammeLocation.objects.create(page=page, province=key)
    for partner in funders:
        ProgrammePartner.objects.create(page=page, partner=partner, role="1")
    for partner in implementers:
        ProgrammePartner.objects.create(page=page, partner=partner, role="4")
    return page


@pytest.fixture
def area():
    """A new area of LIGHT's (vi) with four projects, two funders and a draft partner."""
    index = ProgrammeIndexPage.objects.child_of(home_of(LIGHT, "vi")).get()
    area = ProgrammeAreaPageFactory(parent=index)
    vi = Locale.objects.get(language_code="vi")
    area.funders = [PartnerFactory(locale=vi, name=name) for name in ("Quỹ Một", "Quỹ Hai")]
    area.draft_funder = PartnerFactory(locale=vi, name="Quỹ Nháp", live=False)
    one, two = area.funders
    area.projects = {
        "a": programme(
            area,
            places=["vn63:nam-dinh"],
            funders=[one],
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2022, 12, 31),
        ),
        "b": programme(
            area,
            status="4",
            places=["vn34:ninh-binh"],
            funders=[two],
            start_date=datetime.date(2023, 3, 1),  # no end: ongoing
        ),
        "c": programme(
            area,
            places=["vn63:ha-noi"],
            funders=[one, two],
            planned_start_date=datetime.date(2024, 1, 1),
            planned_end_date=datetime.date(2024, 6, 30),
        ),
        "d": programme(area, status="3", places=["vn34:hue"], funders=[area.draft_funder]),
    }
    content_changed()
    return area


def get(client, area, query=None):
    response = client.get(path_of(area), query or {}, HTTP_HOST=LIGHT)
    assert response.status_code == 200
    return response


def listed(response, area):
    """The keys of the area's fixture projects the response lists, in order."""
    codes = {page.pk: key for key, page in area.projects.items()}
    return "".join(codes[page.pk] for page in response.context["programmes"])


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_an_unfiltered_area_lists_all_its_projects_in_the_tree_order(client, area):
    response = get(client, area)

    assert listed(response, area) == "abcd"
    assert not soup_of(response).find("meta", attrs={"name": "robots"})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "2"}, "ac"),
        ({"status": "4"}, "b"),
        ({"funder": 0}, "ac"),
        ({"funder": 1}, "bc"),
        ({"province": "vn63:ha-noi"}, "c"),
        ({"province": "vn34:ha-noi"}, "c"),  # Hà Nội kept its territory
        # Nam Định (63) is in Ninh Bình (34), which also holds Hà Nam and the old Ninh Bình.
        ({"province": "vn63:nam-dinh"}, "ab"),
        ({"province": "vn34:ninh-binh"}, "ab"),
        ({"province": "vn63:ha-nam"}, "b"),
        ({"province": "vn63:hue"}, "d"),
        ({"year": "2021"}, "a"),
        ({"year": "2022"}, "a"),
        ({"year": "2023"}, "b"),
        ({"year": "2024"}, "bc"),  # b goes on; c by its planned dates
        ({"year": str(THIS_YEAR)}, "b"),
        ({"status": "2", "funder": 1}, "c"),
        ({"status": "2", "province": "vn34:ninh-binh"}, "a"),
        ({"funder": 1, "year": "2024", "province": "vn63:ha-noi"}, "c"),
        ({"status": "4", "year": "2021"}, ""),
    ],
    ids=str,
)
def test_each_filter_narrows_the_list(client, area, query, expected):
    if "funder" in query:
        query = {**query, "funder": area.funders[query["funder"]].pk}

    response = get(client, area, query)

    assert listed(response, area) == expected
    assert response.context["filters"].chosen.keys() == query.keys()
    assert soup_of(response).find("meta", attrs={"name": "robots"})["content"] == "noindex"


@pytest.mark.parametrize(
    "query",
    [
        {"status": "9"},
        {"status": ""},
        {"status": "2\x00"},
        {"status": "zz" * 500},
        {"funder": "abc"},
        {"funder": "-1"},
        {"funder": "1.5"},
        {"funder": "9" * 5000},
        {"funder": "٣"},  # a digit, but not an ASCII one
        {"funder": "\x00"},
        {"funder": "999999999"},
        {"province": "nam-dinh"},
        {"province": "vn99:ha-noi"},
        {"province": "vn63:"},
        {"province": "\x00"},
        {"year": "abc"},
        {"year": "1800"},
        {"year": "3000"},
        {"year": "20240"},
        {"year": "2024.0"},
        {"year": "9" * 5000},
        {"page": "x", "year": "x", "status": "x", "funder": "x", "province": "x"},
    ],
    ids=lambda query: repr(query)[:40],
)
def test_values_that_name_nothing_are_ignored(client, area, query):
    response = get(client, area, query)

    assert listed(response, area) == "abcd"
    assert response.context["filters"].chosen == {}
    assert not soup_of(response).select(".filters [aria-current]")


def test_a_draft_partner_is_neither_offered_nor_filtered_by(client, area):
    response = get(client, area, {"funder": area.draft_funder.pk})

    assert listed(response, area) == "abcd"
    assert "Quỹ Nháp" not in response.content.decode()


def test_a_valid_filter_that_matches_nothing_says_so_with_a_way_back(client, area):
    response = get(client, area, {"status": "5"})  # cancelled: no project of the area

    assert listed(response, area) == ""
    summary = soup_of(response).find(class_="filters__summary")
    assert "Không có dự án nào phù hợp" in summary.get_text()
    assert summary.find("a")["href"] == path_of(area)


def facet(soup, name):
    return soup.find("h3", id=f"filter-{name}").find_parent(class_="filters__group")


def options(soup, name):
    """{label: (href, chosen?, count)} of one filter's options, in the order offered."""
    return {
        link.find(string=True, recursive=False).strip(): (
            link["href"],
            link.get("aria-current") == "true",
            link.find(class_="filters__count").get_text(),
        )
        for link in facet(soup, name).select("ul a")
    }


def test_the_filters_are_links_with_counts_for_the_values_the_area_has(client, area):
    soup = soup_of(get(client, area))
    one, two = area.funders

    nav = soup.find("nav", class_="filters")
    assert nav["aria-label"] == "Lọc dự án"
    assert not nav.find(["form", "button", "select", "script"])
    assert options(soup, "status") == {
        "Đang thực hiện": ("?status=2", False, "(2)"),
        "Đang hoàn tất": ("?status=3", False, "(1)"),
        "Đã kết thúc": ("?status=4", False, "(1)"),
    }
    assert options(soup, "funder") == {  # in alphabetical order; not the draft one
        "Quỹ Hai": (f"?funder={two.pk}", False, "(2)"),
        "Quỹ Một": (f"?funder={one.pk}", False, "(2)"),
    }
    assert list(options(soup, "funder")) == ["Quỹ Hai", "Quỹ Một"]
    # The places as stored, the 63-unit list first, north to south in each; no name is in both,
    # so none says which list it is of.
    assert options(soup, "province") == {
        "Hà Nội": ("?province=vn63%3Aha-noi", False, "(1)"),
        "Nam Định": ("?province=vn63%3Anam-dinh", False, "(2)"),
        "Ninh Bình": ("?province=vn34%3Aninh-binh", False, "(2)"),
        "Huế": ("?province=vn34%3Ahue", False, "(1)"),
    }
    years = options(soup, "year")
    assert list(years) == [str(year) for year in range(THIS_YEAR, 2019, -1)]
    assert years["2024"] == ("?year=2024", False, "(2)")
    assert facet(soup, "status").find(class_="filters__clear") is None


def test_a_chosen_value_is_marked_and_its_link_unsets_it(client, area):
    one, two = area.funders
    response = get(client, area, {"status": "2", "funder": one.pk})
    soup = soup_of(response)

    statuses = options(soup, "status")
    assert statuses["Đang thực hiện"] == (f"?funder={one.pk}", True, "(2)")
    # The other statuses as they would count with the funder chosen: b is not Quỹ Một's.
    assert "Đã kết thúc" not in statuses
    assert options(soup, "funder")["Quỹ Hai"] == (f"?status=2&funder={two.pk}", False, "(1)")
    clear = facet(soup, "status").find(class_="filters__clear")
    assert clear["href"] == f"?funder={one.pk}"
    assert clear.get_text() == "Bỏ lọc: Trạng thái"
    assert [link["aria-current"] for link in soup.select(".filters [aria-current]")] == [
        "true",
        "true",
    ]
    summary = soup.find(class_="filters__summary")
    assert "2 dự án phù hợp" in summary.get_text()
    assert summary.find("a")["href"] == path_of(area)


def test_a_province_chosen_by_its_other_list_is_shown_as_chosen(client, area):
    soup = soup_of(get(client, area, {"province": "vn63:ha-nam"}))  # no project names it

    assert options(soup, "province")["Hà Nam"] == (path_of(area), True, "(1)")


def test_the_pages_of_a_filtered_list_keep_the_filters(client, area):
    per_page = ProgrammeAreaPage.programmes_per_page
    for _ in range(per_page + 1):
        programme(area, status="6", places=["vn63:ha-noi"])
    content_changed()

    first = get(client, area, {"status": "6", "province": "vn34:ha-noi"})
    following = soup_of(first).find("nav", class_="pagination").find("a", rel="next")["href"]
    assert following == "?status=6&province=vn34%3Aha-noi&page=2"
    second = client.get(path_of(area) + following, HTTP_HOST=LIGHT)

    shown = second.context["programmes"]
    assert (shown.number, shown.paginator.count, len(shown)) == (2, per_page + 1, 1)
    assert all(page.status == "6" for page in shown)
    previous = soup_of(second).find("nav", class_="pagination").find("a", rel="prev")["href"]
    assert previous == "?status=6&province=vn34%3Aha-noi&page=1"


def test_the_filters_speak_english_on_the_english_site(client):
    area = ProgrammeAreaPage.objects.descendant_of(home_of(LIGHT, "en")).first()
    en = Locale.objects.get(language_code="en")
    funder = PartnerFactory(locale=en, name="A Fund")
    programme(area, status="2", places=["vn63:hue"], funders=[funder])
    programme(area, status="4", places=["vn34:hue"])
    content_changed()

    soup = soup_of(get(client, area, {"status": "2"}))

    assert soup.find("nav", class_="filters")["aria-label"] == "Filter projects"
    assert [h3.get_text() for h3 in soup.select(".filters h3")] == [
        "Status",
        "Funder",
        "Province or city",
    ]
    assert "Implementation (" in soup.select_one(".filters [aria-current]").get_text()
    places = list(options(soup, "province"))
    assert places == ["Hue (until June 2025)", "Hue (from July 2025)"]
    assert "project matches." in soup.find(class_="filters__summary").get_text()


def test_filtered_lists_and_the_partners_section_are_valid_html(
    client,
    area,
    checker,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    one, _two = area.funders
    documents = {
        str(query): get(client, area, query).content
        for query in ({}, {"status": "2", "funder": one.pk}, {"status": "5"})
    }
    documents["home"] = client.get(path_of(home_of(LIGHT, "vi")), HTTP_HOST=LIGHT).content

    assert validation_errors(checker, documents, tmp_path) == []


# Queries: the same number however many projects the area holds, filtered or not.


def grow(area, count, funders):
    for number in range(count):
        programme(
            area,
            status="2" if number % 2 else "4",
            places=["vn63:nam-dinh", "vn34:hue"],
            funders=funders,
            implementers=funders,
            start_date=datetime.date(2018 + number, 1, 1),
        )


@pytest.mark.parametrize(
    "query",
    ["", "?status=2", "?province=vn34%3Aninh-binh&year=2021&funder={funder}&page=2"],
)
def test_a_filtered_area_costs_as_many_queries_however_many_projects(client, area, query):
    query = query.format(funder=area.funders[0].pk)
    path = path_of(area) + query

    grow(area, 1, area.funders)
    content_changed()
    small = queries_to_get(client, path, LIGHT)
    grow(area, 2 * ProgrammeAreaPage.programmes_per_page, area.funders)
    content_changed()
    large = queries_to_get(client, path, LIGHT)

    assert large == small, f"{small} queries, then {large} with more projects"
    assert small <= QUERY_BUDGET


def test_reading_what_the_filters_choose_from_takes_three_queries(area):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows, _names = read_rows(ProgrammePage.objects.child_of(area).live())
        return len(captured), len(rows)

    small = queries()
    grow(area, 30, area.funders)
    large = queries()

    assert small == (3, 4)
    assert large == (3, 34)


def test_publishing_a_funder_or_unpublishing_a_project_shows_in_the_filters(
    client, area, django_capture_on_commit_callbacks
):
    assert "Quỹ Nháp" not in get(client, area).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # what a commit purges
        area.draft_funder.live = True
        area.draft_funder.save()
    assert "Quỹ Nháp" in get(client, area).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        area.projects["a"].unpublish()
    response = get(client, area)
    assert listed(response, area) == "bcd"
    assert options(soup_of(response), "province")["Ninh Bình"][2] == "(1)"


# Partners on the home page, with the programmes they fund or implement


def partner_entries(response):
    """{partner name: [(programme title, href, roles)]} of the home page's partners section."""
    section = soup_of(response).find(id="partners-heading").find_parent("section")
    entries = {}
    for item in section.select("li.partner"):
        name = item.find(["a", "span"], recursive=False).get_text(strip=True)
        entries[name] = [
            (
                link.a.get_text(strip=True),
                link.a["href"],
                link.find(class_="partner__roles").get_text(strip=True),
            )
            for link in item.select(".partner__programmes li")
        ]
    return entries


@pytest.mark.parametrize(
    ("language", "eu", "funding", "project"),
    [
        ("vi", "Liên minh châu Âu (EU)", "Tài trợ", "Dự án EU-COVID"),
        ("en", "European Union (EU)", "Funding", "EU-COVID project"),
    ],
)
def test_partners_list_the_programmes_they_fund(client, language, eu, funding, project):
    home = home_of(LIGHT, language)

    entries = partner_entries(client.get(path_of(home), HTTP_HOST=LIGHT))

    funded = ProgrammePartner.objects.filter(
        partner__name=eu, role="1", page__locale=home.locale
    ).select_related("page")
    assert [title for title, _href, _roles in entries[eu]] == [
        link.page.title for link in funded.order_by("page__path")
    ]
    assert (project, path_of(funded.get(page__title=project).page), f"({funding})") in entries[eu]
    for name, programmes in entries.items():
        if name.startswith(("Na Uy", "Norway", "WUSC", "GAATW", "Liên minh Toàn cầu")):
            assert programmes == [], name
        if programmes:
            assert all(path.startswith(f"/{language}/") for _title, path, _roles in programmes)


def test_partners_list_no_unpublished_or_private_programme(client):
    home = home_of(LIGHT, "vi")
    link = ProgrammePartner.objects.filter(
        partner__name="Liên minh châu Âu (EU)", role="1", page__locale=home.locale
    ).first()
    area = link.page.get_parent()
    partner = link.partner
    implemented = programme(area, implementers=[partner], title="Dự án do EU thực hiện")
    both = programme(area, funders=[partner], implementers=[partner], title="Dự án cả hai")
    programme(area, funders=[partner], title="Dự án nháp").unpublish()
    content_changed()

    entries = partner_entries(client.get(path_of(home), HTTP_HOST=LIGHT))[partner.name]

    assert (implemented.title, path_of(implemented), "(Thực hiện)") in entries
    assert (both.title, path_of(both), "(Tài trợ, Thực hiện)") in entries
    assert "Dự án nháp" not in [title for title, _path, _roles in entries]


def test_a_partner_with_many_programmes_shows_the_first_few_and_a_count(client):
    home = home_of(LIGHT, "vi")
    partner = Partner.objects.get(name="Liên minh châu Âu (EU)", locale=home.locale)
    area = ProgrammeAreaPage.objects.descendant_of(home).first()
    already = ProgrammePartner.objects.filter(
        partner=partner, role__in=("1", "4"), page__locale=home.locale
    ).count()
    for _ in range(7):
        programme(area, funders=[partner])
    content_changed()

    soup = soup_of(client.get(path_of(home), HTTP_HOST=LIGHT))
    item = next(item for item in soup.select("li.partner") if partner.name in item.get_text())

    assert len(item.select(".partner__programmes li")) == 5
    more = already + 7 - 5
    assert f"và {more} dự án khác" in item.find(class_="partner__more").get_text()


def test_the_home_page_costs_as_many_queries_however_many_programmes_partners_fund(client):
    home = home_of(LIGHT, "vi")
    area = ProgrammeAreaPage.objects.descendant_of(home).first()
    partners = [link.partner for link in home.specific.featured_partners.all()]
    assert len(partners) >= 2

    grow(area, 1, partners)
    content_changed()
    small = queries_to_get(client, path_of(home), LIGHT)
    grow(area, 8, partners)
    content_changed()
    large = queries_to_get(client, path_of(home), LIGHT)

    assert large == small, f"{small} queries, then {large} with more programmes"
    assert small <= QUERY_BUDGET

"""The content model and the demo content of both organisations."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site

from opendata.models import OpenDataPage
from pagecache.keys import purge, site_key
from pagecache.sites import all_site_ids
from pages.blocks import FigureBlock
from pages.models import (
    AboutPage,
    AchievementsPage,
    HomePage,
    MilestonesPage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
    StoryProgramme,
)
from programmes.models import (
    Partner,
    ProgrammeAreaPage,
    ProgrammeBudget,
    ProgrammeIndexPage,
    ProgrammeLocation,
    ProgrammePage,
    ProgrammePartner,
    ProgrammeSector,
    ResultIndicator,
)
from tests.conftest import LIFE, LIGHT
from tests.factories import (
    PartnerFactory,
    ProgrammeAreaPageFactory,
    ProgrammePageFactory,
    StoryPageFactory,
)
from tests.helpers import home_of, pages_of_each_type, path_of

pytestmark = pytest.mark.django_db

LIGHT_CODES = [
    "DGD", "SAFE", "PO", "EU-COVID", "ECOW",
    "IPV", "P.A.C.E", "Safer City for Girls", "SUSO Canada-Fund", "GAATW",
    "3MS", "NewLife", "New Me", "HF",
    "PrEP", "MAX_PrEP",
]  # fmt: skip
LIGHT_PARTNERS = ["Norway", "WUSC"]
LIFE_YEARS = ["2007", "2008", "2011", "2016", "2019", "2030"]
# Every figure in LIFE's seed, as a reader sees it in each language.
LIFE_FIGURES = {
    "vi": ["150.000+", "5.000", "40–60%", "200.000+", "100", "31", "30", "2.000+", "70%", "34",
           "105", "12"],
    "en": ["150,000+", "5,000", "40–60%", "200,000+", "100", "31", "30", "2,000+", "70%", "34",
           "105", "12"],
}  # fmt: skip


def locale(language):
    return Locale.objects.get(language_code=language)


def visible_text(content):
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def site_text(client, hostname, language):
    """What a visitor can read across every page of one site in one language."""
    home = home_of(hostname, language)
    texts = []
    for page in home.get_descendants(inclusive=True).live():
        response = client.get(path_of(page), HTTP_HOST=hostname)
        assert response.status_code == 200, path_of(page)
        texts.append(visible_text(response.content.decode()))
    return " ".join(texts)


def contains(text, token):
    """The token as a whole word: 'PO' must not match inside 'POLICY'."""
    return re.search(rf"(?<![\w.\-]){re.escape(token)}(?![\w\-])", text) is not None


@pytest.mark.parametrize("language", ["vi", "en"])
def test_light_shows_every_programme_and_partner(client, language):
    light_text = site_text(client, LIGHT, language)
    life_text = site_text(client, LIFE, language)

    missing = [token for token in LIGHT_CODES + LIGHT_PARTNERS if not contains(light_text, token)]
    assert missing == []
    assert contains(light_text, "2020")  # the vision's horizon
    assert not contains(life_text, "MAX_PrEP")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_life_shows_every_figure_and_milestone(client, language):
    life_text = site_text(client, LIFE, language)
    light_text = site_text(client, LIGHT, language)

    missing = [
        token
        for token in LIFE_FIGURES[language] + LIFE_YEARS + ["VUSTA"]
        if not contains(life_text, token)
    ]
    assert missing == []
    assert not contains(light_text, "VUSTA")


def test_life_founding_date_is_written_for_each_language(client):
    vi = site_text(client, LIFE, "vi")
    en = site_text(client, LIFE, "en")

    assert "1 tháng 8 năm 2007" in vi
    assert "1 August 2007" in en or "August 1, 2007" in en


def test_light_has_five_programme_areas_with_their_projects():
    index = ProgrammeIndexPage.objects.descendant_of(home_of(LIGHT, "vi")).get()
    areas = ProgrammeAreaPage.objects.child_of(index)
    codes = ProgrammePage.objects.descendant_of(index).values_list("code", flat=True)

    assert areas.count() == 5
    assert sorted(codes) == sorted(LIGHT_CODES)


def test_light_values_are_structured_blocks():
    about = AboutPage.objects.descendant_of(home_of(LIGHT, "vi")).get()

    assert len(about.values) == 5
    assert all(block.value["title"] and block.value["description"] for block in about.values)


@pytest.mark.parametrize("hostname", [LIGHT, LIFE])
def test_every_page_has_its_translation_in_the_same_place(hostname):
    vi_home, en_home = home_of(hostname, "vi"), home_of(hostname, "en")
    vi_pages = list(vi_home.get_descendants(inclusive=True).specific())
    en_pages = list(en_home.get_descendants(inclusive=True).specific())

    assert len(vi_pages) == len(en_pages) > 10
    for page in vi_pages:
        translation = page.get_translation(locale("en"))
        assert translation.specific_class is page.specific_class
        assert translation.live
        assert translation.title != page.title or page.title.isupper(), page.title
        if page.pk != vi_home.pk:
            parent, translated_parent = page.get_parent(), translation.get_parent()
            assert translated_parent.translation_key == parent.translation_key
            assert translated_parent.locale.language_code == "en"


def test_every_partner_has_its_translation():
    for partner in Partner.objects.filter(locale=locale("vi")):
        assert partner.get_translation(locale("en")).name


def demo_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Page,
            Site,
            Partner,
            ProgrammePartner,
            StoryProgramme,
            get_image_model(),
        )
    }


def test_loading_twice_changes_nothing_and_reset_rebuilds():
    before = demo_counts()
    pages_before = set(Page.objects.values_list("pk", flat=True))

    call_command("load_demo_content", verbosity=0)
    assert demo_counts() == before
    assert set(Page.objects.values_list("pk", flat=True)) == pages_before

    call_command("load_demo_content", reset=True, verbosity=0)
    assert demo_counts() == before
    rebuilt = set(Page.objects.filter(depth__gt=1).values_list("pk", flat=True))
    assert rebuilt.isdisjoint(pages_before)


def test_programme_end_date_cannot_precede_its_start():
    programme = ProgrammePage.objects.filter(locale=locale("vi")).first()
    programme.start_date = datetime.date(2020, 6, 1)
    programme.end_date = datetime.date(2019, 6, 1)

    with pytest.raises(ValidationError) as error:
        programme.full_clean()

    assert "end_date" in error.value.message_dict


def test_programme_needs_a_code_and_full_name():
    programme = ProgrammePage.objects.filter(locale=locale("vi")).first()
    programme.code = ""
    programme.full_name = ""

    with pytest.raises(ValidationError) as error:
        programme.full_clean()

    assert {"code", "full_name"} <= set(error.value.message_dict)


def test_figure_range_must_go_upwards():
    block = FigureBlock()
    value = block.to_python({"value": "60", "value_to": "40", "unit": "%", "label": "ca mới"})

    with pytest.raises(blocks.StructBlockValidationError) as error:
        block.clean(value)

    assert "value_to" in error.value.block_errors
    assert block.clean(block.to_python({"value": "40", "value_to": "60", "label": "x"}))[
        "value_to"
    ] == Decimal("60")


def test_page_tree_rules_keep_editors_on_track():
    home = home_of(LIGHT, "vi")
    area = ProgrammeAreaPage.objects.descendant_of(home).first()
    stories = StoryIndexPage.objects.descendant_of(home).get()

    assert ProgrammePage.can_create_at(area)
    assert not ProgrammePage.can_create_at(home)
    assert StoryPage.can_create_at(stories)
    assert not StoryPage.can_create_at(area)
    assert not AboutPage.can_create_at(home)  # one per home page, and it exists
    assert HomePage.can_create_at(Page.get_first_root_node())


# Query counts: rendering a page uncached costs a few queries, the same whether it lists few or
# many items. The page cache is off in tests (PAGE_CACHE_SECONDS = 0); the site chrome (menus,
# settings, partners) stays in the shared cache, as in production.

QUERY_BUDGET = 10


def queries_to_get(client, path, hostname, status=200):
    # The first request fills the shared cache and creates image renditions; count the second.
    assert client.get(path, HTTP_HOST=hostname).status_code == status
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, HTTP_HOST=hostname).status_code == status
    return len(queries)


def queries_to_render(client, page, hostname):
    return queries_to_get(client, path_of(page), hostname)


def content_changed():
    """What committing a change does (tests roll theirs back): every site's pages go stale."""
    purge({site_key(site_id) for site_id in all_site_ids()})


def add_stories(page, count):
    index = StoryIndexPage.objects.descendant_of(home_of(LIGHT, "vi")).get()
    programme = ProgrammePage.objects.descendant_of(home_of(LIGHT, "vi")).first()
    for _ in range(count):
        story = StoryPageFactory(parent=index)
        story.tags.add(f"thẻ {story.pk}")
        story.programme_links = [StoryProgramme(programme=programme)]
        story.save()


def add_programmes(page, count):
    for _ in range(count):
        ProgrammePageFactory(parent=page)


def add_site_programmes(page, count):
    add_programmes(ProgrammeAreaPage.objects.descendant_of(page.get_parent()).first(), count)


def add_areas(page, count):
    for _ in range(count):
        area = ProgrammeAreaPageFactory(parent=page)
        page_home = page.get_parent().specific
        page_home.featured_areas.create(area=area)


def add_partners(page, count):
    for _ in range(count):
        partner = PartnerFactory(locale=page.locale)
        ProgrammePartner.objects.create(page=page, partner=partner, role="1")


def add_facts(page, count):
    """Partners, places, sectors, budgets and result indicators: the facts panel's rows."""
    add_partners(page, count)
    for number in range(count):
        ProgrammeLocation.objects.create(
            page=page, province="vn63:ha-noi" if number % 2 else "vn34:hue"
        )
        ProgrammeSector.objects.create(page=page, code="15180", percentage=None)
        ProgrammeBudget.objects.create(
            page=page,
            period_start=datetime.date(2020 + number, 1, 1),
            period_end=datetime.date(2020 + number, 12, 31),
            value=150_000_000,
            currency="VND",
        )
        ResultIndicator.objects.create(
            page=page,
            title=f"Chỉ số {number}",
            unit="người",
            target=100,
            actual=50,
            locale=page.locale,
        )


def add_home_items(page, count):
    add_stories(page, count)
    add_areas(ProgrammeIndexPage.objects.child_of(page).get(), count)
    for _ in range(count):
        page.featured_partners.create(partner=PartnerFactory(locale=page.locale))


def add_programme_links(page, count):
    area = ProgrammeAreaPage.objects.descendant_of(home_of(LIGHT, "vi")).first()
    for number in range(count):
        page.programme_links.create(programme=ProgrammePageFactory(parent=area))
        page.tags.add(f"thẻ {page.pk}-{number}-{count}")


def nothing(page, count):
    StoryPageFactory.create_batch(
        count, parent=StoryIndexPage.objects.descendant_of(home_of(LIGHT, "vi")).get()
    )


@pytest.mark.parametrize(
    ("page_type", "grow"),
    [
        (HomePage, add_home_items),
        (AboutPage, nothing),
        (StandardPage, nothing),
        (AchievementsPage, nothing),
        (MilestonesPage, nothing),
        (StoryIndexPage, add_stories),
        (StoryPage, add_programme_links),
        (ProgrammeIndexPage, add_areas),
        (ProgrammeAreaPage, add_programmes),
        (ProgrammePage, add_facts),
        (OpenDataPage, add_site_programmes),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_query_count_does_not_grow_with_listed_items(client, page_type, grow):
    on_light = page_type.objects.descendant_of(home_of(LIGHT, "vi"), inclusive=True).exists()
    host = LIGHT if on_light else LIFE
    page = page_type.objects.descendant_of(home_of(host, "vi"), inclusive=True).first()
    if page is None:  # the demo content has none of this type: make one
        page = home_of(host, "vi").add_child(instance=page_type(title="Trang thử nghiệm"))

    grow(page, 1)
    content_changed()
    small = queries_to_render(client, page, host)
    grow(page, 6)
    content_changed()
    large = queries_to_render(client, page, host)

    assert large == small, f"{page_type.__name__}: {small} queries, then {large} with more items"
    assert small <= QUERY_BUDGET


@pytest.mark.parametrize("path", ["/vi/feed/", "/sitemap.xml", "/vi/search/?q=thu+nghiem"])
def test_feed_sitemap_and_search_cost_the_same_with_more_stories(client, path):
    add_stories(None, 1)
    content_changed()
    small = queries_to_get(client, path, LIGHT)
    add_stories(None, 6)
    content_changed()
    large = queries_to_get(client, path, LIGHT)

    listed = client.get(path, HTTP_HOST=LIGHT).content.decode().count("/cau-chuyen-thu-nghiem-")
    assert listed >= 7  # the new stories are there to count
    assert large == small, f"{path}: {small} queries, then {large} with more stories"
    assert small <= QUERY_BUDGET


@pytest.mark.parametrize("hostname", [LIGHT, LIFE])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_type_renders_within_the_query_budget(client, hostname, language):
    counts = {
        type(page).__name__: queries_to_render(client, page, hostname)
        for page in pages_of_each_type(hostname, language)
    }
    counts["search"] = queries_to_get(client, f"/{language}/search/?q=an", hostname)
    counts["not found"] = queries_to_get(client, f"/{language}/no-such-page/", hostname, 404)

    assert len(counts) >= 10
    assert {name: count for name, count in counts.items() if count > QUERY_BUDGET} == {}


# Programme areas list their projects a page at a time, as the story index lists stories.

PAGE_OF = {"vi": "Trang {number}/{total}", "en": "Page {number} of {total}"}


def area_of(language, hostname=LIGHT):
    return ProgrammeAreaPage.objects.descendant_of(home_of(hostname, language)).first()


def projects_section(response):
    soup = BeautifulSoup(response.content, "html.parser")
    section = soup.find(id="projects-heading").find_parent("section")
    return section, [link.get_text(strip=True) for link in section.select(".card__title a")]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_programme_area_lists_its_projects_a_page_at_a_time(client, language):
    area = area_of(language)
    per_page = ProgrammeAreaPage.programmes_per_page
    _section, demo_listed = projects_section(client.get(path_of(area), HTTP_HOST=LIGHT))
    add_programmes(area, per_page)
    content_changed()
    titles = list(
        ProgrammePage.objects.child_of(area).live().order_by("path").values_list("title", flat=True)
    )

    first, listed = projects_section(client.get(path_of(area), HTTP_HOST=LIGHT))
    assert listed == titles[:per_page]
    pages = first.find("nav", class_="pagination")
    assert PAGE_OF[language].format(number=1, total=2) in pages.get_text()
    assert pages.find("a", rel="prev") is None
    following = pages.find("a", rel="next")["href"]

    second, listed = projects_section(client.get(path_of(area) + following, HTTP_HOST=LIGHT))
    assert listed == titles[per_page:]
    pages = second.find("nav", class_="pagination")
    assert PAGE_OF[language].format(number=2, total=2) in pages.get_text()
    assert pages.find("a", rel="prev")["href"] == "?page=1"
    assert pages.find("a", rel="next") is None
    assert demo_listed == titles[: len(demo_listed)]  # the demo's projects, unpaginated before


def test_a_programme_area_with_one_page_of_projects_shows_no_page_links(client):
    area = area_of("vi")

    section, listed = projects_section(client.get(path_of(area), HTTP_HOST=LIGHT))

    assert 0 < len(listed) <= ProgrammeAreaPage.programmes_per_page
    assert section.find("nav", class_="pagination") is None


@pytest.mark.parametrize(
    "number", ["0", "-1", "abc", "", "1.5", "1e9", "9" * 30, "\x00", "99"], ids=repr
)
def test_a_programme_area_with_a_bad_page_number_shows_a_real_page(client, number):
    area = area_of("vi")
    add_programmes(area, ProgrammeAreaPage.programmes_per_page)

    response = client.get(path_of(area), {"page": number}, HTTP_HOST=LIGHT)

    assert response.status_code == 200
    programmes = response.context["programmes"]
    assert programmes.paginator.num_pages == 2
    assert programmes.number in {1, 2}
    assert programmes.object_list


def test_a_programme_area_costs_as_many_queries_on_any_page_however_many_projects(client):
    area = area_of("vi")
    one_page = queries_to_render(client, area, LIGHT)
    add_programmes(area, 3 * ProgrammeAreaPage.programmes_per_page)
    content_changed()

    counts = {
        number: queries_to_get(client, f"{path_of(area)}?page={number}", LIGHT)
        for number in (1, 2, 4)  # the last one read from the far end
    }

    assert counts == {1: one_page, 2: one_page, 4: one_page}
    assert one_page <= QUERY_BUDGET


def test_a_public_page_is_served_without_asking_for_view_restrictions(client, light):
    about = StandardPage.objects.descendant_of(light.root_page).first()
    client.get(path_of(about), HTTP_HOST=LIGHT)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path_of(about), HTTP_HOST=LIGHT).status_code == 200

    assert not [q for q in queries if "pageviewrestriction" in q["sql"]]


def test_pages_of_a_private_section_still_ask_visitors_to_log_in(client, light):
    stories = StoryIndexPage.objects.descendant_of(light.root_page).first()
    story = StoryPage.objects.child_of(stories).live().first()
    PageViewRestriction.objects.create(page=stories, restriction_type=PageViewRestriction.LOGIN)
    content_changed()

    for page in (stories, story):
        response = client.get(path_of(page), HTTP_HOST=LIGHT)
        assert response.status_code == 302, path_of(page)
        assert "login" in response["Location"]

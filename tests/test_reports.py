"""The reports library: translated entries, filters, a fixed query count and working documents."""

import re

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, TranslationSource

from pages.models import AboutPage, AchievementsPage, ContactPage, Report, ReportsPage

pytestmark = pytest.mark.django_db


def reports_page(site, language="vi"):
    page = ReportsPage.objects.descendant_of(site.root_page).get()
    return page.get_translation(Locale.objects.get(language_code=language))


def path_of(page):
    return page.get_url_parts()[2]


def listed_titles(client, site, query="", language="vi"):
    response = client.get(path_of(reports_page(site, language)) + query, HTTP_HOST=site.hostname)
    assert response.status_code == 200
    return [report.title for report in response.context["reports"]]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_site_has_a_reports_library_under_about(light, life, language):
    for site in (light, life):
        page = reports_page(site, language)
        assert page.live
        assert isinstance(page.get_parent().specific, AboutPage)
        reports = list(page.reports.all())
        assert len(reports) >= 3
        assert {report.kind for report in reports} >= {
            Report.Kind.ANNUAL_REPORT,
            Report.Kind.FINANCIAL_STATEMENT,
            Report.Kind.EVALUATION,
        }
        marker = "tài liệu mẫu" if language == "vi" else "sample document"
        assert all(marker in report.title for report in reports)


def test_entries_are_translated_with_the_page_and_share_their_documents(light):
    vi = list(reports_page(light, "vi").reports.all())
    en = list(reports_page(light, "en").reports.all())
    assert len(vi) == len(en)
    for source, translation in zip(vi, en, strict=True):
        assert translation.translation_key == source.translation_key
        assert translation.locale.language_code == "en"
        assert translation.title != source.title
        assert translation.summary != source.summary
        assert (translation.document_id, translation.year, translation.kind) == (
            source.document_id,
            source.year,
            source.kind,
        )


def test_newest_reports_come_first(client, light):
    response = client.get(path_of(reports_page(light)), HTTP_HOST=light.hostname)
    years = [report.year for report in response.context["reports"]]
    assert years == sorted(years, reverse=True)


def test_filter_by_year(client, light):
    page = reports_page(light)
    years = {report.year for report in page.reports.all()}
    assert len(years) > 1
    for year in years:
        expected = {report.title for report in page.reports.filter(year=year)}
        assert set(listed_titles(client, light, f"?year={year}")) == expected


def test_filter_by_kind_and_year(client, life):
    page = reports_page(life, "en")
    expected = {r.title for r in page.reports.filter(kind=Report.Kind.FINANCIAL_STATEMENT)}
    assert expected
    assert set(listed_titles(client, life, "?kind=financial_statement", "en")) == expected

    annual = page.reports.filter(kind=Report.Kind.ANNUAL_REPORT)
    year = annual.first().year
    both = listed_titles(client, life, f"?kind=annual_report&year={year}", "en")
    assert set(both) == {r.title for r in annual.filter(year=year)}


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?year=1800",
        "?year=99999999999999999999999",
        "?year=-2019",
        "?year=２０１９",  # full-width digits
        "?year=%00",
        "?kind=%3Cscript%3E",
        "?kind=",
        "?year=2019&year=abc&kind=nonsense",
        "?year=" + "9" * 10_000,
    ],
)
def test_bad_filter_values_are_ignored(client, light, query):
    everything = listed_titles(client, light)
    assert listed_titles(client, light, query) == everything


def test_filter_links_mark_the_current_choice(client, light):
    page = reports_page(light)
    response = client.get(path_of(page) + "?kind=annual_report", HTTP_HOST=light.hostname)
    current = re.findall(r'<a href="([^"]*)"\s+aria-current="true">', response.text)
    assert "?kind=annual_report" in current  # "All years", keeping the kind
    assert any(href.endswith("kind=annual_report") and "year=" not in href for href in current)


def test_unknown_year_shows_an_empty_listing(client, light):
    assert listed_titles(client, light, "?year=2099") == []


def render_queries(client, site, page):
    path = path_of(page)
    assert client.get(path, HTTP_HOST=site.hostname).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, HTTP_HOST=site.hostname).status_code == 200
    return len(queries)


def add_reports(page, count):
    for number in range(count):
        Report.objects.create(
            page=page,
            locale=page.locale,
            document=wagtail_factories.DocumentFactory(),
            title=f"Báo cáo thử nghiệm {number}",
            year=2000 + number,
            kind=Report.Kind.OTHER,
        )


def test_query_count_does_not_grow_with_the_number_of_reports(client, light):
    page = reports_page(light)
    add_reports(page, 1)
    small = render_queries(client, light, page)
    add_reports(page, 8)
    large = render_queries(client, light, page)
    assert large == small


def test_every_report_links_to_its_document(client, light, life):
    for site in (light, life):
        for language in ("vi", "en"):
            page = reports_page(site, language)
            html = client.get(path_of(page), HTTP_HOST=site.hostname).text
            for report in page.reports.select_related("document"):
                assert f'href="{report.document.url}"' in html
                response = client.get(report.document.url, HTTP_HOST=site.hostname)
                assert response.status_code == 200
                content = b"".join(response.streaming_content)
                assert content.startswith(b"%PDF-1.4")
                assert content.rstrip().endswith(b"%%EOF")
                assert b"Sample document" in content
                assert report.document.file_extension == "pdf"


def test_sample_pdf_cross_reference_table_points_at_its_objects(light):
    document = reports_page(light).reports.first().document
    with document.open_file() as file:
        content = file.read()
    start = int(content.rsplit(b"startxref", 1)[1].split()[0])
    assert content[start:].startswith(b"xref")
    offsets = re.findall(rb"(\d{10}) 00000 n ", content[start:])
    for number, offset in enumerate(offsets, start=1):
        assert content[int(offset) :].startswith(b"%d 0 obj" % number)


def test_year_must_be_plausible(light):
    report = reports_page(light).reports.first()
    for year in (1989, 2101):
        report.year = year
        with pytest.raises(ValidationError):
            report.full_clean()


@pytest.mark.parametrize(
    ("language", "label"), [("vi", "thư viện báo cáo"), ("en", "reports library")]
)
def test_life_transparency_section_links_to_the_reports(client, life, language, label):
    achievements = AchievementsPage.objects.descendant_of(life.root_page).get()
    achievements = achievements.get_translation(Locale.objects.get(language_code=language))
    assert "70%" in achievements.transparency

    html = client.get(path_of(achievements), HTTP_HOST=life.hostname).text
    reports_path = re.escape(path_of(reports_page(life, language)))
    assert re.search(rf'<a href="[^"]*{reports_path}">{label}</a>', html)


def test_tree_rules(light):
    about = AboutPage.objects.descendant_of(light.root_page).first()
    assert ReportsPage in about.specific_class.allowed_subpage_models()
    assert not ReportsPage.can_create_at(about)  # one per parent, and it exists
    assert ReportsPage.allowed_subpage_models() == []


def test_editors_can_open_both_page_types_in_the_admin(client, light):
    admin = get_user_model().objects.create_superuser("editor", "editor@example.org", "password")
    client.force_login(admin)
    for page in (reports_page(light), ContactPage.objects.descendant_of(light.root_page).first()):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page


def test_wagtail_localize_offers_report_titles_and_form_labels_for_translation(light):
    contact = ContactPage.objects.descendant_of(light.root_page).first()
    for page, expected in (
        (reports_page(light), {report.title for report in reports_page(light).reports.all()}),
        (contact, {"Họ và tên", "Lời nhắn"}),
    ):
        source, _ = TranslationSource.get_or_create_from_instance(page)
        strings = set(
            StringSegment.objects.filter(source=source).values_list("string__data", flat=True)
        )
        assert expected <= strings
        assert "lienhe@light.example.org" not in strings  # the recipient is synchronised


def test_search_finds_the_library_by_a_report_title_without_diacritics(client, light):
    response = client.get("/vi/search/?q=bao+cao+tai+chinh", HTTP_HOST=light.hostname)
    assert response.status_code == 200
    assert path_of(reports_page(light)) in response.text


@pytest.mark.parametrize("hostname", ["light.localhost", "life.localhost"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_organisation_links_its_transparency_section_to_the_reports(
    client, hostname, language
):
    from bs4 import BeautifulSoup
    from wagtail.models import Locale, Site

    from pages.models import ReportsPage

    home = Site.objects.get(hostname=hostname).root_page.get_translation(
        Locale.objects.get(language_code=language)
    )
    reports = ReportsPage.objects.descendant_of(home).get()
    section_pages = [
        page
        for page in home.get_descendants().live().specific()
        if getattr(page, "transparency", "")
    ]

    assert section_pages
    for page in section_pages:
        response = client.get(page.get_url_parts()[2], HTTP_HOST=hostname)
        section = BeautifulSoup(response.content, "html.parser").find(class_="transparency")
        links = [a["href"] for a in section.find_all("a")]
        assert reports.get_url_parts()[2] in links

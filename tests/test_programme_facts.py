"""A programme's facts as data: what an editor enters in the admin, how a translation carries
it, and how the facts panel writes it in each language."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail_localize.operations import TranslationCreator

from programmes.models import (
    ProgrammeAreaPage,
    ProgrammeBudget,
    ProgrammeLocation,
    ProgrammePage,
    ProgrammeSector,
    ResultIndicator,
)
from tests.conftest import LIGHT
from tests.factories import ProgrammePageFactory
from tests.helpers import home_of, path_of
from tests.test_organisations import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(light):
    area = ProgrammeAreaPage.objects.descendant_of(home_of(LIGHT, "vi")).first()
    page = ProgrammePageFactory(parent=area, title="Dự án Dữ kiện", status="2")
    page.start_date = datetime.date(2019, 3, 1)
    page.end_date = datetime.date(2024, 12, 31)
    page.sdg_goals = ["5"]
    page.gender_marker = "2"
    page.place_description = "Đồng bằng sông Cửu Long"
    page.save_revision().publish()
    ProgrammeLocation.objects.create(page=page, province="vn63:hue", sort_order=0)
    ProgrammeSector.objects.create(page=page, code="15180", sort_order=0)
    ProgrammeBudget.objects.create(
        page=page,
        period_start=datetime.date(2019, 3, 1),
        period_end=datetime.date(2024, 12, 31),
        value=150_000_000,
        currency="VND",
    )
    ResultIndicator.objects.create(
        page=page,
        title="Phụ nữ được hỗ trợ",
        unit="người",
        period_start=datetime.date(2019, 3, 1),
        period_end=datetime.date(2024, 12, 31),
        target=1500,
        actual=1250,
        locale=page.locale,
    )
    return ProgrammePage.objects.get(pk=page.pk)


def facts_text(client, page):
    html = client.get(path_of(page), HTTP_HOST=LIGHT).content.decode()
    panel = BeautifulSoup(html, "html.parser").select_one(".facts-panel")
    return " ".join(panel.get_text(" ").split()) if panel else ""


def test_the_facts_panel_writes_each_fact_in_the_readers_language(client, programme):
    vi = facts_text(client, programme)
    for expected in [
        "Đang thực hiện",
        "tháng 3 năm 2019 – tháng 12 năm 2024",
        "Thừa Thiên Huế",  # its name while the project ran, before Huế became a city in 2025
        "Đồng bằng sông Cửu Long",
        "150.000.000 VND",
        "1.500",
        "1.250 người",
    ]:
        assert expected in vi, expected

    english = Locale.objects.get(language_code="en")
    TranslationCreator(None, [english]).create_translations(programme)
    translation = programme.get_translation(english)
    translation.save_revision().publish()
    # Facts that are numbers, places and codes are copied; the indicator's words await a
    # translator, and are the Vietnamese ones until then.
    assert translation.sectors.get().code == "15180"
    assert translation.locations.get().province == "vn63:hue"
    assert translation.budgets.get().value == 150_000_000
    indicator = translation.indicators.get()
    assert indicator.locale == english and indicator.actual == 1250
    en = facts_text(client, translation)
    for expected in [
        "Implementation",
        "March 2019 – December 2024",
        "Thua Thien Hue",
        "Ending violence against women and girls",
        "150,000,000 VND",
        "1,250",
    ]:
        assert expected in en, expected


def test_an_empty_programme_shows_no_facts_panel(client, light):
    area = ProgrammeAreaPage.objects.descendant_of(home_of(LIGHT, "vi")).first()
    page = ProgrammePageFactory(parent=area, status="")
    assert facts_text(client, page) == ""


def programme_form(page, sectors=(), budgets=(), indicators=(), initial_sectors=0, **fields):
    """The admin's edit form for the programme, as the browser posts it."""
    return nested_form_data(
        {
            **fields,
            "title": page.title,
            "slug": page.slug,
            "code": page.code,
            "full_name": page.full_name,
            "summary": page.summary,
            "sensitivity": "inherit",
            "body": streamfield([]),
            "results": streamfield([]),
            "documents": streamfield([]),
            "partner_links": inline_formset([]),
            "locations": inline_formset([]),
            "sectors": inline_formset(list(sectors), initial=initial_sectors),
            "budgets": inline_formset(list(budgets)),
            "indicators": inline_formset(list(indicators)),
            "comments": inline_formset([]),
        }
    )


def test_editors_get_form_errors_not_500s_for_inconsistent_facts(client, staff, light, programme):
    signed_in(client, staff(light, "editors"))
    url = reverse("wagtailadmin_pages:edit", args=[programme.pk])
    data = programme_form(
        programme,
        sectors=[{"code": "15180", "percentage": "60"}, {"code": "13040", "percentage": ""}],
        budgets=[
            {
                "period_start": "2024-01-01",
                "period_end": "2023-01-01",
                "value": "1000,5",
                "currency": "VND",
            }
        ],
        indicators=[
            {
                "title": "Người được xét nghiệm HIV",
                "measure": "1",
                "ascending": "on",
                "period_start": "2024-01-01",
                "period_end": "2023-12-31",
                "baseline": "10",
            }
        ],
        planned_start_date="2024-01-01",
        planned_end_date="2023-06-30",
        start_date="2024-02-01",
        end_date="2024-01-31",
    )
    response = client.post(url, data)
    assert response.status_code == 200  # the form again
    form = response.context["form"]
    assert "100" in " ".join(form.non_field_errors())  # the percentages must make 100
    budget_errors = form.formsets["budgets"].forms[0].errors
    assert set(budget_errors) == {"period_end", "value"}  # before its start; VND has no cents
    indicator_errors = form.formsets["indicators"].forms[0].errors
    assert set(indicator_errors) == {"period_end", "baseline_year"}
    assert {"planned_end_date", "end_date"} <= set(form.errors)
    assert ProgrammeSector.objects.filter(page=programme).count() == 1  # nothing lost
    assert ProgrammeBudget.objects.filter(page=programme).count() == 1

    existing = ProgrammeSector.objects.get(page=programme)
    good = programme_form(
        programme,
        sectors=[
            {"id": existing.pk, "code": "15180", "percentage": "60"},
            {"code": "13040", "percentage": "40"},
        ],
        initial_sectors=1,
    )
    assert client.post(url, good).status_code == 302
    revision = ProgrammePage.objects.get(pk=programme.pk).get_latest_revision_as_object()
    assert sorted((row.code, row.percentage) for row in revision.sectors.all()) == [
        ("13040", 40),
        ("15180", 60),
    ]

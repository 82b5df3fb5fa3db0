"""Reference data kept in the code: IATI codelists and schemas, Vietnam's provinces."""

import re
import unicodedata
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django import forms
from django.db import models
from django.utils import translation

from programmes.reference import codelists, provinces, vietnamese
from programmes.reference.codelists import codes, is_valid
from programmes.reference.validation import (
    invalid_codes,
    validate,
    validate_activities,
    validate_organisations,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def in_language(language, label):
    with translation.override(language):
        return str(label)


def labels(choices, language):
    with translation.override(language):
        return {value: str(label) for value, label in choices}


# The codelists


def test_the_codelists_load_with_the_codes_programmes_use():
    sectors = codes("Sector")
    assert sectors["15180"].name("en") == "Ending violence against women and girls"
    assert sectors["13040"].name("en") == "STD control including HIV/AIDS"
    assert sectors["16010"].name("en") == "Social Protection"
    assert sectors["16020"].name("en") == "Employment creation"
    assert sectors["15150"].name("en") == "Democratic participation and civil society"
    assert sectors["12261"].name("en") == "Health education"
    assert sectors["15180"].category == "151"
    assert sectors["15180"].names["fr"]  # other languages of the list are kept
    assert list(codes("ActivityStatus")) == ["1", "2", "3", "4", "5", "6"]
    assert list(codes("OrganisationRole")) == ["1", "2", "3", "4"]
    assert codes("OrganisationRole")["4"].name("en") == "Implementing"
    assert list(codes("PolicySignificance")) == ["0", "1", "2", "3", "4"]
    assert codes("PolicyMarker")["1"].name("en") == "Gender Equality"
    assert list(codes("IndicatorMeasure")) == ["1", "2", "3", "4", "5"]
    assert len(codes("UNSDG-Goals")) == 17
    assert codes("Country")["VN"].name("en") == "Viet Nam"
    assert {"vi", "en"} <= set(codes("Language"))
    assert {"VND", "USD", "EUR", "CAD", "NOK"} <= set(codes("Currency"))
    assert "2.03" in codes("Version")
    categories = codes("DocumentCategory")
    assert [f"A{n:02}" for n in range(1, 13)] == [c for c in categories if c.startswith("A")]
    assert [f"B{n:02}" for n in range(1, 19)] == [c for c in categories if c.startswith("B")]


def test_withdrawn_and_unknown_codes_are_not_valid():
    assert is_valid("Sector", "15180")
    assert codes("Sector")["15120"].withdrawn
    assert not is_valid("Sector", "15120")
    assert not is_valid("Sector", "99999")
    assert not is_valid("Currency", "VEF")
    with pytest.raises(LookupError):
        codes("NoSuchList")


def test_every_codelist_in_the_project_parses_and_names_its_codes():
    assert len(codelists.available()) >= 21
    for list_name in codelists.available():
        items = codes(list_name)
        assert items, list_name
        assert all(item.names["en"] for item in items.values()), list_name


def test_the_schemas_and_their_readme_are_in_the_project():
    directory = codelists.IATI_DIR
    for name in [
        "iati-activities-schema.xsd",
        "iati-organisations-schema.xsd",
        "iati-common.xsd",
        "xml.xsd",
        "README.md",
    ]:
        assert (directory / name).is_file(), name


def test_the_vietnamese_tables_name_active_codes_in_vietnamese():
    assert 40 <= len(vietnamese.SECTOR) <= 70
    for list_name, table in vietnamese.BY_CODELIST.items():
        for code, name in table.items():
            assert is_valid(list_name, code), (list_name, code)
            assert unicodedata.is_normalized("NFC", name), (list_name, code)
    for code in ["12220", "12261", "13020", "13040", "15150", "15160", "15170", "15180"]:
        assert code in vietnamese.SECTOR
    for code in ["15190", "16010", "16020", "43060"]:
        assert code in vietnamese.SECTOR
    assert set(vietnamese.UNSDG_GOALS) == set(codes("UNSDG-Goals"))
    assert set(vietnamese.ACTIVITY_STATUS) == set(codes("ActivityStatus"))
    assert set(vietnamese.DOCUMENT_CATEGORY) == set(codes("DocumentCategory"))


# Choices


def test_sector_choices_are_the_active_dac_5_digit_codes():
    choices = codelists.sector_choices()
    values = [value for value, _ in choices]
    assert values == sorted(values)
    assert all(re.fullmatch(r"\d{5}", value) for value in values)
    assert "15180" in values
    assert "15120" not in values  # withdrawn
    assert len(values) == sum(not item.withdrawn for item in codes("Sector").values())


def test_choice_labels_switch_language_when_rendered():
    sectors = codelists.sector_choices()
    assert labels(sectors, "en")["15180"] == "15180 – Ending violence against women and girls"
    assert labels(sectors, "vi")["15180"] == "15180 – Chấm dứt bạo lực đối với phụ nữ và trẻ em gái"
    assert labels(sectors, "vi")["13040"].startswith("13040 – Phòng, chống các bệnh lây truyền")
    # A sector without a Vietnamese name is shown in English.
    assert labels(sectors, "vi")["32171"] == "32171 – Engineering"

    assert labels(codelists.activity_status_choices(), "vi")["2"] == "Đang thực hiện"
    assert labels(codelists.activity_status_choices(), "en")["2"] == "Implementation"
    assert labels(codelists.organisation_role_choices(), "vi")["4"] == "Thực hiện"
    assert labels(codelists.organisation_role_choices(), "en")["1"] == "Funding"
    assert labels(codelists.gender_marker_choices(), "en") == {
        "0": "not targeted",
        "1": "significant objective",
        "2": "principal objective",
    }
    assert labels(codelists.policy_significance_choices(), "vi")["2"] == "Mục tiêu chính"
    assert labels(codelists.indicator_measure_choices(), "vi")["2"] == "Tỷ lệ phần trăm"
    assert labels(codelists.activity_document_category_choices(), "vi")["A08"] == (
        "Kết quả, thành quả và đầu ra"
    )
    assert set(dict(codelists.organisation_document_category_choices())) == {
        f"B{n:02}" for n in range(1, 19)
    }
    assert labels(codelists.currency_choices(), "vi") == {
        "VND": "VND – Đồng Việt Nam",
        "USD": "USD – Đô la Mỹ",
        "EUR": "EUR – Euro",
        "CAD": "CAD – Đô la Canada",
        "NOK": "NOK – Krone Na Uy",
    }
    assert labels(codelists.language_choices(), "en") == {"vi": "Vietnamese", "en": "English"}
    assert labels(codelists.language_choices(), "vi") == {"vi": "Tiếng Việt", "en": "Tiếng Anh"}
    goals = codelists.sdg_goal_choices()
    assert len(goals) == 17
    assert labels(goals, "en")["5"] == (
        "Goal 5. Achieve gender equality and empower all women and girls"
    )
    assert labels(goals, "vi")["5"].startswith("Mục tiêu 5. Đạt được bình đẳng về giới")


def test_labels_are_english_with_no_language_active_as_in_migrations():
    label = codelists.label("ActivityStatus", "4")
    with translation.override(None):
        assert str(label) == "Closed"
    assert in_language("vi", label) == "Đã kết thúc"
    assert codelists.name("ActivityStatus", "4", "en") == "Closed"


def test_currencies_keep_their_decimal_places():
    assert codelists.CURRENCY_DECIMALS == {"VND": 0, "USD": 2, "EUR": 2, "CAD": 2, "NOK": 2}
    assert codelists.currency_decimals("VND") == 0
    assert [value for value, _ in codelists.currency_choices()] == list(codelists.CURRENCY_DECIMALS)


def test_a_model_field_takes_the_choices_function_and_renders_in_the_active_language():
    field = models.CharField(max_length=5, choices=codelists.sector_choices, blank=True)
    # A migration records the function, not 295 labels in whoever's language ran makemigrations.
    assert field.deconstruct()[3]["choices"] is codelists.sector_choices
    form_field = field.formfield()
    with translation.override("vi"):
        html = form_field.widget.render("sector", "15180")
    assert "15180 – Chấm dứt bạo lực đối với phụ nữ và trẻ em gái" in html
    with translation.override("en"):
        html = form_field.widget.render("sector", "15180")
    assert "15180 – Ending violence against women and girls" in html
    assert form_field.clean("15180") == "15180"
    with pytest.raises(forms.ValidationError):
        form_field.clean("15120")


# Provinces


def unaccented(text):
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def test_the_two_province_lists_have_63_and_34_units():
    vn63 = provinces.PROVINCE_LISTS["vn63"].provinces
    vn34 = provinces.PROVINCE_LISTS["vn34"].provinces
    assert len(vn63) == 63
    assert len(vn34) == 34
    assert sum(unit.is_city for unit in vn63.values()) == 6  # Huế since 1 January 2025
    assert sum(unit.is_city for unit in vn34.values()) == 6
    assert {unit.slug for unit in vn34.values() if unit.is_city} == {
        "ha-noi",
        "hai-phong",
        "hue",
        "da-nang",
        "ho-chi-minh",
        "can-tho",
    }
    for unit in [*vn63.values(), *vn34.values()]:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", unit.slug), unit.slug


def test_every_vn63_unit_lies_in_exactly_one_vn34_unit():
    vn63 = provinces.PROVINCE_LISTS["vn63"].provinces
    vn34 = provinces.PROVINCE_LISTS["vn34"].provinces
    formed_from = [slug for unit in vn34.values() for slug in unit.formed_from]
    assert sorted(formed_from) == sorted(vn63)  # each exactly once
    assert all(1 <= len(unit.formed_from) <= 3 for unit in vn34.values())
    assert sum(len(unit.formed_from) == 1 for unit in vn34.values()) == 11
    for slug in vn63:
        successor = provinces.current_successor(f"vn63:{slug}")
        assert f"vn63:{slug}" in provinces.predecessors(successor)


def test_merged_provinces_take_the_name_of_one_they_were_formed_from():
    for unit in provinces.PROVINCE_LISTS["vn34"].provinces.values():
        assert unit.slug in unit.formed_from
        assert unit.vi == provinces.province(f"vn63:{unit.slug}").vi


def test_the_successors_of_former_provinces():
    assert provinces.current_successor("vn63:ha-giang") == "vn34:tuyen-quang"
    assert provinces.current_successor("vn63:nam-dinh") == "vn34:ninh-binh"
    assert provinces.current_successor("vn63:binh-duong") == "vn34:ho-chi-minh"
    assert provinces.current_successor("vn63:kien-giang") == "vn34:an-giang"
    assert provinces.current_successor("vn63:hue") == "vn34:hue"
    assert provinces.current_successor("vn34:ninh-binh") == "vn34:ninh-binh"
    assert provinces.predecessors("vn34:ninh-binh") == [
        "vn63:ha-nam",
        "vn63:nam-dinh",
        "vn63:ninh-binh",
    ]


def test_province_names_in_vietnamese_have_their_diacritics():
    units = [
        *provinces.PROVINCE_LISTS["vn63"].provinces.values(),
        *provinces.PROVINCE_LISTS["vn34"].provinces.values(),
    ]
    for unit in units:
        assert unicodedata.is_normalized("NFC", unit.vi), unit.key
        if unit.slug != "ho-chi-minh":
            # The English name is the Vietnamese one without its marks.
            letters = re.sub(r"[^a-z]", "", unaccented(unit.vi).lower())
            assert letters == re.sub(r"[^a-z]", "", unit.en.lower()), unit.key
    assert sum(not unit.vi.isascii() for unit in units) >= 0.9 * len(units)
    assert provinces.province("vn63:dak-lak").name("vi") == "Đắk Lắk"
    assert provinces.province("vn63:thanh-hoa").name("vi") == "Thanh Hóa"
    assert provinces.province("vn34:ha-noi").name("vi", full=True) == "Thành phố Hà Nội"
    assert provinces.province("vn34:ha-noi").name("en") == "Hanoi"
    assert provinces.province("vn63:nam-dinh").name("vi", full=True) == "Tỉnh Nam Định"
    assert provinces.province("vn63:nam-dinh").name("en", full=True) == "Nam Dinh Province"
    assert provinces.province_name("vn34:ho-chi-minh", "vi", full=True) == "Thành phố Hồ Chí Minh"
    assert provinces.province_name("vn34:ho-chi-minh", "en") == "Ho Chi Minh City"


def test_a_province_is_named_as_it_was_when_the_project_ran():
    hue = provinces.province("vn63:hue")
    assert hue.name("vi", on=date(2020, 6, 1)) == "Thừa Thiên Huế"
    assert hue.name("vi", full=True, on=date(2024, 12, 31)) == "Tỉnh Thừa Thiên Huế"
    assert hue.name("en", on=date(2020, 6, 1)) == "Thua Thien Hue"
    assert hue.name("vi", on=date(2025, 3, 1)) == "Huế"
    assert hue.name("vi", full=True) == "Thành phố Huế"
    assert in_language("vi", hue.label()) == "Huế (Thừa Thiên Huế)"


def test_the_list_in_force_on_a_day():
    assert date(2025, 7, 1) == provinces.LIST_CHANGED_ON
    assert provinces.list_for(date(2025, 6, 30)) == "vn63"
    assert provinces.list_for(date(2025, 7, 1)) == "vn34"


def test_stored_values_name_their_list():
    assert provinces.province("vn63:ha-noi").key == "vn63:ha-noi"
    assert provinces.is_province("vn34:ninh-binh")
    for bad in ["ha-noi", "vn34:nam-dinh", "vn99:ha-noi", "", None]:
        assert not provinces.is_province(bad)
        with pytest.raises(KeyError):
            provinces.province(bad)
    with pytest.raises(ValueError, match="vn34"):
        provinces.predecessors("vn63:ha-noi")


def test_province_choices_are_grouped_by_list_with_translated_labels():
    groups = provinces.choices()
    assert [len(options) for _, options in groups] == [63, 34]
    with translation.override("vi"):
        assert [str(label) for label, _ in groups] == [
            "63 tỉnh, thành (đến 30/6/2025)",
            "34 tỉnh, thành (từ 1/7/2025)",
        ]
    with translation.override("en"):
        assert [str(label) for label, _ in groups] == [
            "63 provinces and cities (until 30 June 2025)",
            "34 provinces and cities (from 1 July 2025)",
        ]
    values = [value for _, options in groups for value, _ in options]
    assert len(set(values)) == 97
    assert labels(groups[0][1], "vi")["vn63:nam-dinh"] == "Nam Định"
    assert labels(groups[1][1], "en")["vn34:ho-chi-minh"] == "Ho Chi Minh City"
    field = forms.ChoiceField(choices=provinces.choices)
    assert field.clean("vn63:nam-dinh") == "vn63:nam-dinh"


# IATI 2.03 validation


def add(parent, tag, text=None, **attributes):
    """A child element; attribute names with "_" become "-" ("iso_date" -> "iso-date")."""
    child = ET.SubElement(
        parent, tag, {key.replace("_", "-"): value for key, value in attributes.items()}
    )
    child.text = text
    return child


def narrative(parent, tag, text, lang=None):
    element = add(parent, tag)
    attributes = {XML_LANG: lang} if lang else {}
    ET.SubElement(element, "narrative", attributes).text = text
    return element


def minimal_activity():
    """An activity file with one of each element the programme pages export."""
    root = ET.Element("iati-activities", version="2.03")
    root.set("generated-datetime", "2025-09-01T00:00:00Z")
    activity = add(root, "iati-activity", default_currency="VND", **{XML_LANG: "vi"})
    activity.set("last-updated-datetime", "2025-09-01T00:00:00Z")
    add(activity, "iati-identifier", "XI-IATI-EXAMPLE-LIGHT-2024-01")
    reporting = add(activity, "reporting-org", ref="XI-IATI-EXAMPLE", type="24")
    ET.SubElement(reporting, "narrative").text = "LIGHT"
    title = add(activity, "title")
    ET.SubElement(title, "narrative").text = "Chấm dứt bạo lực đối với phụ nữ và trẻ em gái"
    ET.SubElement(title, "narrative", {XML_LANG: "en"}).text = "Ending violence against women"
    narrative(activity, "description", "Dự án tại Ninh Bình.")
    funder = add(activity, "participating-org", role="1", type="10")
    ET.SubElement(funder, "narrative").text = "Nhà tài trợ"
    implementer = add(activity, "participating-org", role="4", type="24", ref="XI-IATI-EXAMPLE")
    ET.SubElement(implementer, "narrative").text = "LIGHT"
    add(activity, "activity-status", code="2")
    add(activity, "activity-date", type="1", iso_date="2024-01-01")
    add(activity, "activity-date", type="2", iso_date="2024-02-01")
    add(activity, "activity-date", type="3", iso_date="2026-12-31")
    add(activity, "recipient-country", code="VN", percentage="100")
    location = add(activity, "location")
    narrative(location, "name", "Ninh Bình")
    add(location, "administrative", vocabulary="A4", level="0", code="VN")
    add(location, "exactness", code="2")
    add(location, "feature-designation", code="ADM1")
    add(activity, "sector", vocabulary="1", code="15180", percentage="60")
    add(activity, "sector", vocabulary="1", code="13040", percentage="40")
    add(activity, "tag", vocabulary="2", code="5")
    add(activity, "tag", vocabulary="3", code="5.2")
    add(activity, "policy-marker", vocabulary="1", code="1", significance="2")
    budget = add(activity, "budget", type="1", status="1")
    add(budget, "period-start", iso_date="2024-01-01")
    add(budget, "period-end", iso_date="2024-12-31")
    add(budget, "value", "1500000000", currency="VND", value_date="2024-01-01")
    budget = add(activity, "budget", type="1", status="2")
    add(budget, "period-start", iso_date="2025-01-01")
    add(budget, "period-end", iso_date="2025-12-31")
    add(budget, "value", "60000.00", currency="USD", value_date="2025-01-01")
    document = add(activity, "document-link", format="application/pdf")
    document.set("url", "https://light.example.org/documents/report-2024.pdf")
    narrative(document, "title", "Báo cáo kết quả năm 2024")
    add(document, "category", code="A08")
    add(document, "language", code="vi")
    add(document, "document-date", iso_date="2025-03-01")
    result = add(activity, "result", type="1")
    narrative(result, "title", "Phụ nữ được hỗ trợ")
    indicator = add(result, "indicator", measure="1", ascending="1")
    narrative(indicator, "title", "Số phụ nữ được tư vấn")
    add(indicator, "baseline", year="2023", iso_date="2023-12-31", value="0")
    period = add(indicator, "period")
    add(period, "period-start", iso_date="2024-01-01")
    add(period, "period-end", iso_date="2024-12-31")
    add(period, "target", value="500")
    add(period, "actual", value="420")
    return root


def minimal_organisation():
    root = ET.Element("iati-organisations", version="2.03")
    organisation = add(root, "iati-organisation", default_currency="VND", **{XML_LANG: "vi"})
    organisation.set("last-updated-datetime", "2025-09-01T00:00:00Z")
    add(organisation, "organisation-identifier", "XI-IATI-EXAMPLE")
    narrative(organisation, "name", "LIGHT")
    reporting = add(organisation, "reporting-org", ref="XI-IATI-EXAMPLE", type="24")
    ET.SubElement(reporting, "narrative").text = "LIGHT"
    budget = add(organisation, "total-budget", status="2")
    add(budget, "period-start", iso_date="2025-01-01")
    add(budget, "period-end", iso_date="2025-12-31")
    add(budget, "value", "4000000000", value_date="2025-01-01")
    document = add(organisation, "document-link", format="application/pdf")
    document.set("url", "https://light.example.org/documents/annual-report-2024.pdf")
    narrative(document, "title", "Báo cáo thường niên 2024")
    add(document, "category", code="B01")
    add(document, "language", code="vi")
    return root


def serialise(root):
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_a_minimal_activity_is_valid():
    xml = serialise(minimal_activity())
    validate_activities(xml)
    assert invalid_codes(xml) == []
    validate(xml)


def test_a_minimal_organisation_file_is_valid():
    xml = serialise(minimal_organisation())
    validate_organisations(xml)
    assert invalid_codes(xml) == []
    validate(xml)


def test_the_schema_rejects_an_activity_out_of_order():
    root = minimal_activity()
    activity = root[0]
    status = activity.find("activity-status")
    activity.remove(status)
    activity.insert(0, status)  # before iati-identifier
    with pytest.raises(AssertionError, match="activity-status"):
        validate_activities(serialise(root))


def test_the_schema_rejects_a_budget_without_its_value_date():
    root = minimal_activity()
    del root.find("iati-activity/budget/value").attrib["value-date"]
    with pytest.raises(AssertionError, match="value-date"):
        validate_activities(serialise(root))


def test_an_organisation_file_is_not_an_activity_file():
    with pytest.raises(AssertionError, match="iati-organisations"):
        validate_activities(serialise(minimal_organisation()))


def test_codes_not_on_their_codelists_are_flagged():
    root = minimal_activity()
    activity = root[0]
    root.set("version", "2.99")
    activity.set(XML_LANG, "vn")
    activity.find("activity-status").set("code", "9")
    activity.find("participating-org").set("role", "5")
    activity.find("sector").set("code", "15120")  # withdrawn
    activity.find("tag").set("code", "18")
    activity.find("policy-marker").set("significance", "7")
    activity.find("budget/value").set("currency", "VDN")
    activity.find("document-link/category").set("code", "A13")
    activity.find("result/indicator").set("measure", "6")
    xml = serialise(root)
    validate_activities(xml)  # the schema checks structure only
    assert set(invalid_codes(xml)) == {
        ("/iati-activities", "version", "2.99"),
        ("/iati-activities/iati-activity", "xml:lang", "vn"),
        ("/iati-activities/iati-activity/activity-status", "code", "9"),
        ("/iati-activities/iati-activity/participating-org[1]", "role", "5"),
        ("/iati-activities/iati-activity/sector[1]", "code", "15120"),
        ("/iati-activities/iati-activity/tag[1]", "code", "18"),
        ("/iati-activities/iati-activity/policy-marker", "significance", "7"),
        ("/iati-activities/iati-activity/budget[1]/value", "currency", "VDN"),
        ("/iati-activities/iati-activity/document-link/category", "code", "A13"),
        ("/iati-activities/iati-activity/result/indicator", "measure", "6"),
    }
    with pytest.raises(AssertionError, match="VDN"):
        validate(xml)


def test_codes_are_checked_against_the_list_their_vocabulary_names():
    root = minimal_activity()
    activity = root[0]
    own_sector = activity.find("sector")
    own_sector.set("vocabulary", "99")
    own_sector.set("code", "LIGHT-1")  # the reporting organisation's own vocabulary
    activity.find("tag").set("vocabulary", "42")
    activity.find("policy-marker").set("vocabulary", "5")
    assert set(invalid_codes(serialise(root))) == {
        ("/iati-activities/iati-activity/tag[1]", "vocabulary", "42"),
        ("/iati-activities/iati-activity/policy-marker", "vocabulary", "5"),
    }

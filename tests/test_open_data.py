"""Open data: each site's published, public programmes as IATI 2.03 XML, JSON and CSV.

Every IATI file the demo sites export is valid against the 2.03 schemas and uses only codes on
the codelists; what an editor enters reaches the facts panel and all three formats, in both
languages; nothing unpublished, private or safeguarded is ever exported; the files cost a fixed
number of queries, and are cached and purged like pages.
"""

import csv
import datetime
import html
import io
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, Locale, PageViewRestriction
from wagtail_localize.operations import TranslationCreator

from opendata.export import iati_identifiers, identifier_part
from opendata.models import OpenDataPage, OpenDataSettings, exports_off_note
from opendata.tables import safe
from organisations.models import Organisation
from pages.models import HomePage, StoryIndexPage, StoryPage
from pages.models.stories import StoryProgramme
from programmes.models import (
    Partner,
    ProgrammeAreaPage,
    ProgrammeBudget,
    ProgrammeLocation,
    ProgrammePage,
    ProgrammePartner,
    ProgrammeSector,
    ResultIndicator,
)
from programmes.reference.codelists import XML_LANG
from programmes.reference.validation import validate
from tests import test_html_validity as html_validity
from tests.conftest import LIFE, LIGHT
from tests.factories import ProgrammePageFactory, StoryPageFactory
from tests.helpers import home_of, path_of

pytestmark = pytest.mark.django_db

checker = html_validity.checker  # the Nu Html Checker's command line, or a skip

IDENTIFIERS = {LIGHT: "XI-EXAMPLE-LIGHT", LIFE: "XI-EXAMPLE-LIFE"}
SITE_FILES = [
    "iati-activities.xml",
    "iati-organisation.xml",
    "programmes.json",
    "programmes.csv",
    "results.csv",
]
DAY = datetime.date(2020, 1, 1)


def english():
    return Locale.objects.get(language_code="en")


def vietnamese():
    return Locale.objects.get(language_code="vi")


@pytest.fixture
def exports_on(light, life):
    """Both demo sites publish open data, under obviously fictional identifiers."""
    for site in (light, life):
        OpenDataSettings.objects.update_or_create(
            site=site, defaults={"iati_organisation_identifier": IDENTIFIERS[site.hostname]}
        )


@pytest.fixture
def exports_off(light, life):
    OpenDataSettings.objects.filter(site__in=[light, life]).update(iati_organisation_identifier="")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what happens once a change is committed (tests roll theirs back instead)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def get(client, path, host=LIGHT, **headers):
    return client.get(path, HTTP_HOST=host, **headers)


def fetch(client, name, host=LIGHT):
    response = get(client, f"/open-data/{name}", host)
    assert response.status_code == 200, (name, response.content[:200])
    return response


def data_of(client, host=LIGHT):
    return json.loads(fetch(client, "programmes.json", host).content)


def rows_of(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the UTF-8 correctly
    return list(csv.DictReader(io.StringIO(text[1:])))


def xml_of(response):
    return ElementTree.fromstring(response.content)


def narratives(element):
    """{language: text} of an element's narratives."""
    return {n.get(XML_LANG): n.text for n in element.findall("narrative")}


def public_programmes(host):
    home = home_of(host, "vi")
    return ProgrammePage.objects.descendant_of(home).live().public()


def date_every_programme():
    """Give every demo programme a planned start, which IATI needs (the demo states none)."""
    ProgrammePage.objects.filter(planned_start_date=None, start_date=None).update(
        planned_start_date=DAY
    )


# Every file of the demo sites is valid IATI


@pytest.mark.parametrize("host", [LIGHT, LIFE])
def test_every_iati_file_of_the_demo_sites_is_valid(client, exports_on, host):
    organisation = fetch(client, "iati-organisation.xml", host)
    validate(organisation.content)
    files = [organisation]
    activities = get(client, "/open-data/iati-activities.xml", host)
    if activities.status_code == 200:
        validate(activities.content)
    for programme in public_programmes(host):
        response = get(client, f"/open-data/programmes/{programme.pk}.xml", host)
        has_a_start = programme.start_date or programme.planned_start_date
        assert response.status_code == (200 if has_a_start else 404)
        if response.status_code == 200:
            validate(response.content)
            files.append(response)
    assert files


@pytest.mark.parametrize("host", [LIGHT, LIFE])
def test_every_demo_programme_with_a_start_date_is_valid_iati(client, exports_on, host):
    """The demo states few dates: given one, each programme's facts make valid IATI."""
    date_every_programme()
    programmes = list(public_programmes(host))

    activities = fetch(client, "iati-activities.xml", host)
    validate(activities.content)
    identifiers = [a.findtext("iati-identifier") for a in xml_of(activities)]
    assert len(identifiers) == len(set(identifiers)) == len(programmes)
    assert all(identifier.startswith(f"{IDENTIFIERS[host]}-") for identifier in identifiers)
    for programme in programmes:
        response = fetch(client, f"programmes/{programme.pk}.xml", host)
        validate(response.content)
        (activity,) = xml_of(response)
        assert activity.findtext("iati-identifier") in identifiers
        title = narratives(activity.find("title"))
        translated = programme.get_translation(english())
        assert title == {"vi": programme.full_name, "en": translated.full_name}
        assert set(narratives(activity.find("description"))) == {"vi", "en"}


# A programme's data, from the editor to every format


def document_in(collection, title, name):
    document = get_document_model()(title=title, collection=collection)
    document.file.save(name, ContentFile(b"%PDF-1.4 sample"), save=False)
    document.save()
    return document


def translated_partner(site, vi_name, en_name, kind):
    source = Partner.objects.create(site=site, locale=vietnamese(), name=vi_name, kind=kind)
    TranslationCreator(None, [english()]).create_translations(source)
    partner = source.get_translation(english())
    partner.name = en_name
    partner.save_revision().publish()
    return source


def area_of(host=LIGHT, language="vi"):
    return ProgrammeAreaPage.objects.descendant_of(home_of(host, language)).first()


def with_facts(page, funder, implementer, documents=()):
    """The page, unsaved, with a row of every kind (two indicator periods of one title)."""
    page.sectors = [
        ProgrammeSector(code="15180", percentage=60),
        ProgrammeSector(code="13040", percentage=40),
    ]
    page.locations = [
        ProgrammeLocation(province="vn63:hue"),
        ProgrammeLocation(province="vn34:ninh-binh"),
    ]
    page.budgets = [
        ProgrammeBudget(
            period_start=DAY,
            period_end=datetime.date(2020, 12, 31),
            value=Decimal(150000000),
            currency="VND",
        ),
        ProgrammeBudget(
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2021, 12, 31),
            value=Decimal("12500.50"),
            currency="USD",
        ),
    ]
    page.indicators = [
        ResultIndicator(
            title="Phụ nữ được hỗ trợ",
            unit="người",
            period_start=DAY,
            period_end=datetime.date(2020, 12, 31),
            baseline=Decimal(1000),
            baseline_year=2019,
            target=Decimal(1500),
            actual=Decimal(1620),
        ),
        ResultIndicator(
            title="Phụ nữ được hỗ trợ",
            unit="người",
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2021, 12, 31),
            target=Decimal(2000),
        ),
        ResultIndicator(
            title="Tỉ lệ bạo lực được báo cáo",
            unit="%",
            measure="2",
            ascending=False,
            target=Decimal(10),
            actual=Decimal("8.5"),
        ),
    ]
    page.partner_links = [
        ProgrammePartner(partner=funder, role="1"),
        ProgrammePartner(partner=implementer, role="4"),
    ]
    page.documents = [
        ("document", {"document": document, "title": title, "category": "A02", "language": "vi"})
        for document, title in documents
    ]
    return page


ENGLISH_INDICATORS = [
    ("Women supported", "people"),
    ("Women supported", "people"),
    ("Share of violence reported", "%"),
]


def translate(source, **fields):
    """The source's English translation, made with wagtail-localize, its words English, live."""
    TranslationCreator(None, [english()]).create_translations(source)
    page = source.get_translation(english()).specific
    for name, value in fields.items():
        setattr(page, name, value)
    indicators = list(page.indicators.all())
    for row, (title, unit) in zip(indicators, ENGLISH_INDICATORS, strict=False):
        row.title, row.unit = title, unit
    page.indicators = indicators
    for block in page.documents:
        block.value["title"] = "Project plan"
    page.save_revision().publish()
    return ProgrammePage.objects.get(pk=page.pk)


@pytest.fixture
def round_trip(light, exports_on):
    """A LIGHT programme entered with every fact, a public and a private document, translated."""
    organisation = Organisation.objects.get(site=light)
    public = document_in(organisation.media, "Kế hoạch dự án", "ke-hoach.pdf")
    private = document_in(organisation.private_documents, "Biên bản đồng ý", "dong-y.pdf")
    funder = translated_partner(light, "Quỹ Hoa Sen", "Lotus Fund", Partner.Kind.DONOR)
    implementer = translated_partner(
        light, "Sở Lao động Thử nghiệm", "Test Labour Department", Partner.Kind.GOVERNMENT
    )
    source = ProgrammePage(
        title="Dự án Khứ hồi",
        slug="du-an-khu-hoi",
        code="KH-1 Đào tạo",
        full_name="Dự án thử nghiệm khứ hồi dữ liệu",
        summary="Tóm tắt bằng tiếng Việt.",
        status="2",
        planned_start_date=DAY,
        planned_end_date=datetime.date(2024, 12, 31),
        start_date=datetime.date(2020, 3, 1),
        end_date=datetime.date(2024, 6, 30),
        place_description="Đồng bằng sông Cửu Long",
        target_groups="Phụ nữ\nThanh niên",
        sdg_goals=["5", "10"],
        gender_marker="2",
    )
    documents = [(public, "Kế hoạch dự án"), (private, "Biên bản đồng ý")]
    area_of().add_child(instance=with_facts(source, funder, implementer, documents))
    source.save_revision().publish()
    source = ProgrammePage.objects.get(pk=source.pk)
    translated = translate(
        source,
        title="Round trip project",
        slug="round-trip",
        full_name="Round-trip data test project",
        summary="A summary in English.",
        place_description="the Mekong Delta",
        target_groups="Women\nYoung people",
    )
    return {"vi": source, "en": translated, "public": public, "private": private}


def test_what_an_editor_enters_shows_in_the_facts_panel_in_both_languages(client, round_trip):
    vi = get(client, path_of(round_trip["vi"])).content.decode()
    en = get(client, path_of(round_trip["en"])).content.decode()

    for text in ("150.000.000", "Thừa Thiên Huế", "Quỹ Hoa Sen", "Phụ nữ được hỗ trợ", "1.620"):
        assert text in vi
    # (Partners: the English page shows the partners its own links name, which
    # wagtail-localize copies from the source as they are.)
    for text in ("150,000,000", "Thua Thien Hue", "Women supported", "1,620"):
        assert text in en


def test_what_an_editor_enters_reaches_the_iati_file_in_both_languages(client, round_trip):
    source = round_trip["vi"]
    response = fetch(client, f"programmes/{source.pk}.xml")
    validate(response.content)
    (activity,) = xml_of(response)

    assert activity.findtext("iati-identifier") == "XI-EXAMPLE-LIGHT-KH-1-DAO-TAO"
    assert narratives(activity.find("title")) == {
        "vi": "Dự án thử nghiệm khứ hồi dữ liệu",
        "en": "Round-trip data test project",
    }
    assert narratives(activity.find("description")) == {
        "vi": "Tóm tắt bằng tiếng Việt.",
        "en": "A summary in English.",
    }
    assert [
        (org.get("role"), org.get("ref"), org.get("type"), narratives(org))
        for org in activity.findall("participating-org")
    ] == [
        ("1", None, None, {"vi": "Quỹ Hoa Sen", "en": "Lotus Fund"}),
        (
            "4",
            None,
            "10",
            {"vi": "Sở Lao động Thử nghiệm", "en": "Test Labour Department"},
        ),
        ("4", "XI-EXAMPLE-LIGHT", "22", {"vi": "LIGHT", "en": "LIGHT"}),
    ]
    assert activity.find("activity-status").get("code") == "2"
    assert {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")} == {
        "1": "2020-01-01",
        "2": "2020-03-01",
        "3": "2024-12-31",
        "4": "2024-06-30",
    }
    assert [narratives(place.find("name")) for place in activity.findall("location")] == [
        {"vi": "Thừa Thiên Huế", "en": "Thua Thien Hue"},  # as it was called then
        {"vi": "Ninh Bình", "en": "Ninh Binh"},
        {"vi": "Đồng bằng sông Cửu Long", "en": "the Mekong Delta"},
    ]
    assert [(s.get("code"), s.get("percentage")) for s in activity.findall("sector")] == [
        ("15180", "60"),
        ("13040", "40"),
    ]
    assert [tag.get("code") for tag in activity.findall("tag")] == ["5", "10"]
    assert activity.find("policy-marker").attrib == {
        "vocabulary": "1",
        "code": "1",
        "significance": "2",
    }
    values = [budget.find("value") for budget in activity.findall("budget")]
    assert [(v.text, v.get("currency"), v.get("value-date")) for v in values] == [
        ("150000000", "VND", "2020-01-01"),
        ("12500.5", "USD", "2021-01-01"),
    ]
    links = {link.get("url"): link for link in activity.findall("document-link")}
    public_url = f"http://{LIGHT}{round_trip['public'].url}"
    assert public_url in links
    assert narratives(links[public_url].find("title")) == {
        "vi": "Kế hoạch dự án",
        "en": "Project plan",
    }
    assert links[public_url].get("format") == "application/pdf"
    assert links[public_url].find("category").get("code") == "A02"
    assert f"http://{LIGHT}{path_of(round_trip['en'])}" in links
    assert round_trip["private"].url not in response.content.decode()
    assert "Biên bản đồng ý" not in response.content.decode()

    women, violence = activity.findall("result")
    indicator = women.find("indicator")
    assert narratives(indicator.find("title")) == {
        "vi": "Phụ nữ được hỗ trợ",
        "en": "Women supported",
    }
    assert indicator.get("measure") == "1" and indicator.get("ascending") == "1"
    assert [b.attrib for b in indicator.findall("baseline")] == [{"year": "2019", "value": "1000"}]
    periods = [
        (
            p.find("period-start").get("iso-date"),
            p.find("target").get("value"),
            p.find("actual").get("value") if p.find("actual") is not None else None,
        )
        for p in indicator.findall("period")
    ]
    assert periods == [("2020-01-01", "1500", "1620"), ("2021-01-01", "2000", None)]
    other = violence.find("indicator")
    assert other.get("measure") == "2" and other.get("ascending") == "0"
    assert other.findall("period") == []  # no dates, no period


def test_what_an_editor_enters_reaches_the_json_in_both_languages(client, round_trip):
    source = round_trip["vi"]
    data = json.loads(fetch(client, f"programmes/{source.pk}.json").content)
    everything = data_of(client)

    assert data["version"] == everything["version"] == "1.0"
    programme = data["programme"]
    assert programme in everything["programmes"]
    assert programme["id"] == source.pk
    assert programme["iati"] == {"identifier": "XI-EXAMPLE-LIGHT-KH-1-DAO-TAO", "reported": True}
    assert programme["title"] == {"vi": "Dự án Khứ hồi", "en": "Round trip project"}
    assert programme["target_groups"] == {
        "vi": ["Phụ nữ", "Thanh niên"],
        "en": ["Women", "Young people"],
    }
    assert programme["status"]["code"] == "2"
    assert programme["status"]["name"] == {"vi": "Đang thực hiện", "en": "Implementation"}
    assert [place["name"]["en"] for place in programme["places"]] == ["Thua Thien Hue", "Ninh Binh"]
    assert [(p["role"]["code"], p["name"]) for p in programme["participants"]] == [
        ("1", {"vi": "Quỹ Hoa Sen", "en": "Lotus Fund"}),
        ("4", {"vi": "Sở Lao động Thử nghiệm", "en": "Test Labour Department"}),
    ]
    assert [(s["code"], s["percentage"]) for s in programme["sectors"]] == [
        ("15180", 60),
        ("13040", 40),
    ]
    assert [goal["code"] for goal in programme["sdg_goals"]] == ["5", "10"]
    assert programme["gender_marker"]["code"] == "2"
    assert programme["budgets"] == [
        {
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
            "value": 150000000,
            "currency": "VND",
        },
        {
            "period_start": "2021-01-01",
            "period_end": "2021-12-31",
            "value": 12500.5,
            "currency": "USD",
        },
    ]
    assert [(r["title"]["en"], r["target"], r["actual"]) for r in programme["results"]] == [
        ("Women supported", 1500, 1620),
        ("Women supported", 2000, None),
        ("Share of violence reported", 10, 8.5),
    ]
    assert [d["title"] for d in programme["documents"]] == [
        {"vi": "Kế hoạch dự án", "en": "Project plan"}
    ]
    assert programme["url"]["en"] == f"http://{LIGHT}{path_of(round_trip['en'])}"


def test_what_an_editor_enters_reaches_the_csv_in_both_languages(client, round_trip):
    source = round_trip["vi"]
    (row,) = [r for r in rows_of(fetch(client, "programmes.csv")) if r["id"] == str(source.pk)]
    results = [
        r for r in rows_of(fetch(client, "results.csv")) if r["programme_id"] == str(source.pk)
    ]

    assert row["iati_identifier"] == "XI-EXAMPLE-LIGHT-KH-1-DAO-TAO"
    assert (row["title_vi"], row["title_en"]) == ("Dự án Khứ hồi", "Round trip project")
    assert row["places_vi"] == "Thừa Thiên Huế; Ninh Bình"
    assert row["places_en"] == "Thua Thien Hue; Ninh Binh"
    assert row["participants_en"] == "Lotus Fund (Funding); Test Labour Department (Implementing)"
    assert row["sectors"] == "15180 (60%); 13040 (40%)"
    assert row["budgets"] == (
        "2020-01-01/2020-12-31 150000000 VND; 2021-01-01/2021-12-31 12500.5 USD"
    )
    assert (row["budget_total"], row["budget_currency"]) == ("", "")  # two currencies
    assert (row["actual_start"], row["status"], row["status_en"]) == (
        "2020-03-01",
        "2",
        "Implementation",
    )
    assert [
        (r["indicator_vi"], r["indicator_en"], r["baseline"], r["target"], r["actual"])
        for r in results
    ] == [
        ("Phụ nữ được hỗ trợ", "Women supported", "1000", "1500", "1620"),
        ("Phụ nữ được hỗ trợ", "Women supported", "", "2000", ""),
        ("Tỉ lệ bạo lực được báo cáo", "Share of violence reported", "", "10", "8.5"),
    ]


def open_data_links(client, page):
    """{type: href} of the page head's alternates, and [(type, href)] of its Open data section."""
    soup = BeautifulSoup(get(client, path_of(page)).content, "html.parser")
    head = {
        link["type"]: link["href"]
        for link in soup.head.find_all("link", rel="alternate")
        if link.get("type") in ("application/json", "application/xml")
    }
    section = soup.find("section", class_="open-data-links")
    links = [(a["type"], a["href"]) for a in section.find_all("a")] if section else []
    return head, links


def test_the_programme_page_links_its_files_in_its_head_and_body(client, round_trip):
    source = round_trip["vi"]
    files = {
        "application/json": f"/open-data/programmes/{source.pk}.json",
        "application/xml": f"/open-data/programmes/{source.pk}.xml",
    }
    for page in (source, round_trip["en"]):  # both name the Vietnamese page's files
        head, links = open_data_links(client, page)
        assert head == files
        assert links == list(files.items())

    undated = ProgrammePageFactory(parent=area_of(), planned_start_date=None, start_date=None)
    head, links = open_data_links(client, undated)
    json_file = ("application/json", f"/open-data/programmes/{undated.pk}.json")
    assert links == [json_file]  # IATI needs a start date
    assert head == dict([json_file])


# Only what visitors see


def all_files(client, host=LIGHT):
    """Every file of the site, as text, the activity file only when there is one."""
    texts = {}
    for name in SITE_FILES:
        response = get(client, f"/open-data/{name}", host)
        if response.status_code == 200:
            texts[name] = response.content.decode("utf-8")
    return texts


def test_exports_list_exactly_the_published_public_programmes(client, exports_on):
    date_every_programme()
    programmes = list(public_programmes(LIGHT))
    hidden, restricted = programmes[0], programmes[1]
    hidden.unpublish()  # its English translation stays live: the Vietnamese page is the record
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x" * 12
    )
    visible_ids = {page.pk for page in public_programmes(LIGHT)}
    assert visible_ids == {page.pk for page in programmes} - {hidden.pk, restricted.pk}
    identifiers = iati_identifiers(
        IDENTIFIERS[LIGHT], {page.pk: page.code for page in programmes[2:]}
    )

    assert {p["id"] for p in data_of(client)["programmes"]} == visible_ids
    assert {int(row["id"]) for row in rows_of(fetch(client, "programmes.csv"))} == visible_ids
    activities = xml_of(fetch(client, "iati-activities.xml"))
    assert {a.findtext("iati-identifier") for a in activities} == set(identifiers.values())
    for page in (hidden, restricted):
        for suffix in ("xml", "json"):
            assert get(client, f"/open-data/programmes/{page.pk}.{suffix}").status_code == 404
        english_path = path_of(page.get_translation(english()))
        for name, text in all_files(client).items():
            assert page.full_name not in text and path_of(page) not in text, name
            assert english_path not in text, name
    # Another site's programme is not this site's.
    life_programme = public_programmes(LIFE).first()
    assert get(client, f"/open-data/programmes/{life_programme.pk}.json").status_code == 404


def test_without_its_live_english_page_a_programme_has_no_english_words(client, round_trip):
    translated = round_trip["en"]
    translated.unpublish()

    programme = data_of(client)["programmes"]
    (record,) = [p for p in programme if p["id"] == round_trip["vi"].pk]
    assert record["title"] == {"vi": "Dự án Khứ hồi", "en": None}
    assert record["url"]["en"] is None


def test_safeguarded_stories_and_private_documents_are_never_exported(client, round_trip):
    source = round_trip["vi"]
    story = StoryPageFactory(
        parent=StoryIndexPage.objects.descendant_of(home_of(LIGHT, "vi")).get(),
        title="Chị Hoa, người sống sót",
    )
    story.programme_links = [StoryProgramme(programme=source)]
    story.save()
    # Live, showing identifiable people with their consent (its form in the private collection).
    StoryPage.objects.filter(pk=story.pk).update(
        shows_identifiable_people=True,
        consent_given=datetime.date.today() - datetime.timedelta(days=1),
        consent_expires=datetime.date.today() + datetime.timedelta(days=365),
        consent_form=round_trip["private"],
    )
    private = round_trip["private"]

    texts = {
        **all_files(client),
        "programme.xml": fetch(client, f"programmes/{source.pk}.xml").content.decode(),
        "programme.json": fetch(client, f"programmes/{source.pk}.json").content.decode(),
    }
    for name, text in texts.items():
        assert story.title not in text, name
        assert private.title not in text and private.url not in text, name
        assert private.filename not in text, name
    # The public document is there: the filter is not simply dropping documents.
    assert round_trip["public"].url in texts["programme.json"]


def test_a_document_in_a_restricted_collection_is_left_out(client, round_trip):
    public = round_trip["public"]
    CollectionViewRestriction.objects.create(
        collection=public.collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="x" * 12,
    )

    data = json.loads(fetch(client, f"programmes/{round_trip['vi'].pk}.json").content)
    assert data["programme"]["documents"] == []


# Exports are off until the identifier is set


def test_without_an_identifier_nothing_is_exported_and_visitors_are_told(
    client, light, exports_off
):
    source = ProgrammePageFactory(parent=area_of(), planned_start_date=DAY)
    for host in (LIGHT, LIFE):
        for name in [*SITE_FILES, f"programmes/{source.pk}.json", f"programmes/{source.pk}.xml"]:
            response = get(client, f"/open-data/{name}", host, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 404, name
            assert b"IATI organisation identifier is not set" in response.content
            assert "X-Page-Cache" not in response
    content = get(client, path_of(source)).content.decode()
    assert "open-data-links" not in content and "/open-data/" not in content


def add_open_data_pages(host=LIGHT):
    """The site's Open data page in both languages, as the demo has them."""
    return {
        language: OpenDataPage.objects.child_of(home_of(host, language)).get()
        for language in ("vi", "en")
    }


def test_the_open_data_page_lists_the_files_or_says_they_are_not_published(client, light):
    pages = add_open_data_pages()
    OpenDataSettings.objects.update_or_create(
        site=light, defaults={"iati_organisation_identifier": ""}
    )
    notices = {"vi": "chưa được công bố", "en": "is not published yet"}
    for language, page in pages.items():
        content = get(client, path_of(page)).content.decode()
        assert notices[language] in content
        assert "/open-data/programmes.json" not in content

    OpenDataSettings.objects.filter(site=light).update(iati_organisation_identifier="XI-X-1")
    for language, page in pages.items():
        content = get(client, path_of(page)).content.decode()
        assert notices[language] not in content
        for name in ("programmes.json", "programmes.csv", "results.csv", "iati-organisation.xml"):
            assert f'href="/open-data/{name}"' in content
        assert "XI-X-1" in content
        # No licence until the organisation chooses one: none is claimed for it.
        assert "creativecommons.org" not in content
        # The demo's programmes have no start date: no IATI activity file to link to yet.
        assert 'href="/open-data/iati-activities.xml"' not in content
    date_every_programme()
    OpenDataSettings.objects.filter(site=light).update(licence="CC-BY-4.0")
    content = get(client, path_of(pages["en"])).content.decode()
    assert 'href="/open-data/iati-activities.xml"' in content
    assert "https://creativecommons.org/licenses/by/4.0/" in content


def test_the_open_data_page_belongs_once_under_each_home_page():
    assert OpenDataPage.parent_page_types == ["pages.HomePage"]
    assert OpenDataPage.allowed_subpage_models() == []
    assert OpenDataPage.max_count_per_parent == 1


@pytest.fixture
def administrator(django_user_model, client):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "x" * 20)
    client.force_login(user)
    return user


def admin_text(response):
    return html.unescape(response.content.decode())


def test_the_admin_says_when_exports_are_off(client, light, administrator):
    pages = add_open_data_pages()
    OpenDataSettings.objects.update_or_create(
        site=light, defaults={"iati_organisation_identifier": ""}
    )
    screens = [
        f"/admin/settings/opendata/opendatasettings/{light.pk}/",
        f"/admin/pages/{pages['vi'].pk}/edit/",
    ]
    for screen in screens:
        response = client.get(screen, HTTP_HOST=LIGHT)
        assert response.status_code == 200, screen
        with translation.override(response["Content-Language"]):
            assert str(exports_off_note()) in admin_text(response), screen

    OpenDataSettings.objects.filter(site=light).update(
        iati_organisation_identifier="XI-EXAMPLE-LIGHT"
    )
    for screen in screens:
        response = client.get(screen, HTTP_HOST=LIGHT)
        with translation.override(response["Content-Language"]):
            assert str(exports_off_note()) not in admin_text(response)
        assert "XI-EXAMPLE-LIGHT" in admin_text(response)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("XI-EXAMPLE-LIGHT", True),
        ("GB-CHC-1234567", True),
        ("XM-DAC-41114", True),
        ("xi-example", False),
        ("XI EXAMPLE", False),
        ("XI-EXAMPLE/1", False),
        ("LIGHT", False),
    ],
)
def test_the_identifier_is_checked(light, value, valid):
    from django.core.exceptions import ValidationError

    settings = OpenDataSettings.objects.get(site=light)
    settings.iati_organisation_identifier = value
    if valid:
        settings.full_clean()
    else:
        with pytest.raises(ValidationError):
            settings.full_clean()


# The files themselves


def test_the_files_say_what_they_are(client, exports_on):
    date_every_programme()
    kinds = {
        "iati-activities.xml": "application/xml; charset=utf-8",
        "iati-organisation.xml": "application/xml; charset=utf-8",
        "programmes.json": "application/json",
        "programmes.csv": "text/csv; charset=utf-8; header=present",
        "results.csv": "text/csv; charset=utf-8; header=present",
    }
    for name, kind in kinds.items():
        response = fetch(client, name)
        assert response["Content-Type"] == kind
        assert response["Content-Disposition"] == f'inline; filename="light-{name}"'
        assert response["Access-Control-Allow-Origin"] == "*"
    programme = public_programmes(LIGHT).get(code="SAFE")
    response = fetch(client, f"programmes/{programme.pk}.xml")
    assert response["Content-Disposition"] == 'inline; filename="XI-EXAMPLE-LIGHT-SAFE.xml"'
    assert (
        get(client, "/open-data/programmes.json", HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"]
        == "gzip"
    )
    assert client.post("/open-data/programmes.json", HTTP_HOST=LIGHT).status_code == 405


def test_the_files_read_the_same_whatever_the_readers_language(client, exports_on):
    """They are cached under one address: nothing in them may follow the reader's language."""
    date_every_programme()

    def read(name, language):
        content = get(client, f"/open-data/{name}", HTTP_ACCEPT_LANGUAGE=language).content
        if name.endswith(".json"):
            return {**json.loads(content), "generated": None}
        if name.endswith(".xml"):
            root = ElementTree.fromstring(content)
            del root.attrib["generated-datetime"]
            return [(element.tag, element.attrib, element.text) for element in root.iter()]
        return content

    for name in SITE_FILES:
        assert read(name, "vi") == read(name, "en"), name


def test_spreadsheets_never_run_a_cell_as_a_formula(client, exports_on):
    page = ProgrammePageFactory(
        parent=area_of(), code="=HYPERLINK(1)", title="+cmd", summary="@SUM(A1)"
    )

    (row,) = [r for r in rows_of(fetch(client, "programmes.csv")) if r["id"] == str(page.pk)]
    assert row["code"] == "'=HYPERLINK(1)"
    assert row["title_vi"] == "'+cmd"
    assert row["summary_vi"] == "'@SUM(A1)"
    assert safe("-1") == "'-1" and safe("Dự án") == "Dự án"


def test_identifiers_are_made_of_the_code_and_stay_unique():
    assert identifier_part("P.A.C.E") == "P.A.C.E"
    assert identifier_part("Safer City for Girls") == "SAFER-CITY-FOR-GIRLS"
    assert identifier_part("Đào tạo") == "DAO-TAO"
    assert iati_identifiers("XI-X", {1: "SAFE", 2: "A b", 3: "a-B", 4: "—"}) == {
        1: "XI-X-SAFE",
        2: "XI-X-A-B-2",
        3: "XI-X-A-B-3",
        4: "XI-X-4",
    }


# A fixed number of queries


def add_programmes(count):
    area = area_of()
    funder = Partner.objects.filter(site__hostname=LIGHT, locale=vietnamese()).first()
    implementer = Partner.objects.filter(site__hostname=LIGHT, locale=vietnamese()).last()
    document = document_in(
        Organisation.objects.get(site__hostname=LIGHT).media, "Tài liệu", "tai-lieu.pdf"
    )
    for number in range(count):
        page = ProgrammePage(
            title=f"Dự án đếm {number}",
            slug=f"du-an-dem-{number}-{ProgrammePage.objects.count()}",
            code=f"DEM-{number}-{ProgrammePage.objects.count()}",
            full_name=f"Dự án đếm {number}",
            summary="Một dự án để đếm truy vấn.",
            planned_start_date=DAY,
        )
        area.add_child(instance=with_facts(page, funder, implementer, [(document, "Tài liệu")]))
        page.save_revision().publish()
        translate(ProgrammePage.objects.get(pk=page.pk), title=f"Counted project {number}")


def queries_for(client, path):
    get(client, path)  # the site chrome, kept in the cache like a page's
    with CaptureQueriesContext(connection) as queries:
        assert get(client, path).status_code == 200
    return len(queries)


def test_the_site_files_cost_the_same_queries_however_many_programmes(client, exports_on):
    paths = [f"/open-data/{name}" for name in SITE_FILES]
    add_programmes(1)
    small = {path: queries_for(client, path) for path in paths}
    add_programmes(6)
    large = {path: queries_for(client, path) for path in paths}

    assert large == small
    assert max(small.values()) <= 14


def test_the_open_data_page_costs_the_same_queries_however_many_programmes(client, exports_on):
    page = add_open_data_pages()["vi"]
    ProgrammePageFactory(parent=area_of(), planned_start_date=DAY)
    small = queries_for(client, path_of(page))
    for _ in range(6):
        ProgrammePageFactory(parent=area_of(), planned_start_date=DAY)
    large = queries_for(client, path_of(page))

    assert large == small <= 10


# Cached and purged like pages


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def cache_states(client, files):
    return {(host, path): get(client, path, host)["X-Page-Cache"] for host, path in files}


def cache_all(client, files):
    for host, path in files:
        get(client, path, host)
    assert cache_states(client, files) == dict.fromkeys(files, "hit")


LIGHT_FILES = [(LIGHT, f"/open-data/{name}") for name in SITE_FILES]
LIFE_FILES = [(LIFE, f"/open-data/{name}") for name in SITE_FILES if "activities" not in name]


def test_the_files_are_cached_and_revalidated_like_pages(client, exports_on, page_cache_on):
    date_every_programme()
    first = fetch(client, "programmes.json")
    second = fetch(client, "programmes.json")

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "no-cache" in second["Cache-Control"]
    assert (
        get(client, "/open-data/programmes.json", HTTP_IF_NONE_MATCH=second["ETag"]).status_code
        == 304
    )
    assert second["Last-Modified"]


def test_publishing_a_programme_purges_its_sites_files_only(
    client, exports_on, page_cache_on, commit
):
    date_every_programme()
    programme = public_programmes(LIGHT).get(code="SAFE")
    open_data_page = add_open_data_pages()["en"]
    light_files = [
        *LIGHT_FILES,
        (LIGHT, f"/open-data/programmes/{programme.pk}.json"),
        (LIGHT, path_of(open_data_page)),  # it counts the programmes
    ]
    cache_all(client, [*light_files, *LIFE_FILES])

    with commit():
        programme.full_name = "Dự án SAFE (đã cập nhật)"
        programme.save_revision().publish()

    assert cache_states(client, [*light_files, *LIFE_FILES]) == {
        **dict.fromkeys(light_files, "miss"),
        **dict.fromkeys(LIFE_FILES, "hit"),
    }
    assert "Dự án SAFE (đã cập nhật)" in fetch(client, "programmes.csv").content.decode()


def test_a_partner_settings_or_document_change_purges_the_files(
    client, round_trip, page_cache_on, commit
):
    files = [*LIGHT_FILES, (LIGHT, f"/open-data/programmes/{round_trip['vi'].pk}.json")]

    cache_all(client, [*files, *LIFE_FILES])
    with commit():
        partner = Partner.objects.get(name="Quỹ Hoa Sen")
        partner.name = "Quỹ Hoa Sen Mới"
        partner.save()
    assert cache_states(client, files) == dict.fromkeys(files, "miss")
    assert cache_states(client, LIFE_FILES) == dict.fromkeys(LIFE_FILES, "hit")  # not its partner
    assert "Quỹ Hoa Sen Mới" in fetch(client, "programmes.json").content.decode()

    cache_all(client, files)
    with commit():
        settings_row = OpenDataSettings.objects.get(site__hostname=LIGHT)
        settings_row.iati_organisation_identifier = "XI-EXAMPLE-LIGHT2"
        settings_row.save()
    assert cache_states(client, files) == dict.fromkeys(files, "miss")
    assert "XI-EXAMPLE-LIGHT2-KH-1-DAO-TAO" in fetch(client, "iati-activities.xml").content.decode()

    cache_all(client, files)
    public = round_trip["public"]
    with commit():
        public.collection = Organisation.objects.get(site__hostname=LIGHT).private_documents
        public.save()
    assert cache_states(client, files) == dict.fromkeys(files, "miss")
    assert public.url not in fetch(client, "programmes.json").content.decode()


def test_the_organisation_is_named_as_its_home_pages_name_it(client, exports_on):
    organisation = data_of(client)["organisation"]
    homes = HomePage.objects.filter(translation_key=home_of(LIGHT, "vi").translation_key)
    assert organisation["name"] == {
        home.locale.language_code: home.organisation_name for home in homes
    }
    assert organisation["identifier"] == "XI-EXAMPLE-LIGHT"
    assert organisation["website"]["vi"] == f"http://{LIGHT}/vi/"


def test_the_open_data_page_and_a_programme_with_links_are_valid_html5(
    client, checker, tmp_path, round_trip
):
    documents = {}
    pages = add_open_data_pages()
    for language in ("vi", "en"):
        for page in (pages[language], round_trip[language]):
            html_validity.fetch(documents, path_of(page), get(client, path_of(page)))
    OpenDataSettings.objects.update(iati_organisation_identifier="")
    for language in ("vi", "en"):
        path = path_of(pages[language])
        html_validity.fetch(documents, f"{path} (off)", get(client, path))

    errors = html_validity.validation_errors(checker, documents, tmp_path)

    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)

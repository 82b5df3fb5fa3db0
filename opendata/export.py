"""A site's published, public programmes as plain data: the JSON shape, reused by every format.

The Vietnamese page is the record: its facts (dates, places, partners, sectors, budgets, result
figures, documents) are what is exported. Its English translation, when it is live and public,
gives the English words (titles, summary, indicator titles, document titles); partners' English
names come from their own translations. Labels of coded values (status, sectors, SDGs...) come
from the IATI codelists in both languages, so that nothing depends on the reader's language.

A site's programmes are read in a fixed number of queries however many there are: the
Vietnamese pages with their rows (prefetched), the English pages with their indicators, the
partners' English names, the areas, the documents and the private collections.

Only what visitors can see is exported: live pages outside every view restriction
(`pages.chrome.visible`), live partners, and documents outside every collection with a view
restriction (each organisation's private collection has one) and outside the private
collections themselves. Stories are never exported.

See opendata/README.md for the shape, version 1.0.
"""

import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime

from anyascii import anyascii
from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page

from organisations.models import Organisation
from pages.chrome import site_chrome, visible
from pages.models import HomePage
from programmes.facts import ROLE_ORDER, amount
from programmes.models import (
    Partner,
    ProgrammeBudget,
    ProgrammeLocation,
    ProgrammePage,
    ProgrammePartner,
    ProgrammeSector,
    ResultIndicator,
)
from programmes.reference import codelists, provinces
from programmes.reference.codelists import DAC_5_DIGIT

VERSION = "1.0"
SOURCE = settings.LANGUAGE_CODE  # "vi": the record
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # ("vi", "en")
TRANSLATIONS = tuple(code for code in LANGUAGES if code != SOURCE)


@dataclass
class Export:
    """What one file shows: the organisation and its programmes (dicts of the JSON shape)."""

    organisation: dict
    programmes: list = field(default_factory=list)
    generated: datetime = field(default_factory=lambda: timezone.now().replace(microsecond=0))

    def as_data(self):
        return {
            "version": VERSION,
            "generated": self.generated.isoformat(),
            "organisation": self.organisation,
            "programmes": self.programmes,
        }

    def programme_data(self):
        """The JSON of a single programme's file."""
        return {
            "version": VERSION,
            "generated": self.generated.isoformat(),
            "organisation": self.organisation,
            "programme": self.programmes[0],
        }


# Helpers


def in_languages(values):
    """{language: text or None} for every language, from {language: text}."""
    return {language: (values.get(language) or None) for language in LANGUAGES}


def coded(list_name, code):
    """{"code", "name": {language: name}} of a coded value; None when unset or not listed."""
    item = codelists.codes(list_name).get(code) if code else None
    if item is None:
        return None
    return {"code": code, "name": {language: item.name(language) for language in LANGUAGES}}


def plain(value):
    """A number as XML and CSV take it: digits, a '.' before any decimals, no exponent."""
    if value is None:
        return ""
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


def iso(day):
    return day.isoformat() if day else None


def identifier_part(code):
    """A programme code as IATI identifiers take it: "P.A.C.E" → "P.A.C.E", "Safer City for
    Girls" → "SAFER-CITY-FOR-GIRLS", "Đào tạo" → "DAO-TAO"."""
    text = anyascii(code or "").upper()
    return re.sub(r"[^A-Z0-9._]+", "-", text).strip("-._")


def iati_identifiers(organisation_identifier, codes_by_page):
    """{page id: IATI identifier}: the organisation's, a hyphen, the programme's code.

    Two programmes whose codes read the same (or a code with no letter or digit) take their
    page id as well, so that every identifier is unique.
    """
    parts = {pk: identifier_part(code) for pk, code in codes_by_page.items()}
    seen = {}
    for part in parts.values():
        seen[part] = seen.get(part, 0) + 1
    return {
        pk: f"{organisation_identifier}-{part}"
        if part and seen[part] == 1
        else f"{organisation_identifier}-{part + '-' if part else ''}{pk}"
        for pk, part in parts.items()
    }


def is_reportable(page):
    """Whether IATI can take the programme: an activity needs a start date, planned or actual."""
    return bool(page.planned_start_date or page.start_date)


def iati_status(page, today=None):
    """The IATI activity status: the one given, else what the dates say.

    Ended (actual end date passed): 3 finalisation; started: 2 implementation; only planned:
    1 pipeline.
    """
    if page.status:
        return page.status
    today = today or timezone.localdate()
    if page.end_date and page.end_date <= today:
        return "3"
    if page.start_date and page.start_date <= today:
        return "2"
    return "1"


def absolute_url(request, page):
    return request.build_absolute_uri(page.get_url(request))


def last_updated(pages):
    """When any language's page was last published, as ISO 8601."""
    moments = [page.last_published_at for page in pages if page.last_published_at]
    return max(moments).replace(microsecond=0).isoformat() if moments else None


def document_format(document):
    return mimetypes.guess_type(document.filename)[0] or "application/octet-stream"


# Reading the site


def homes_of(request):
    """{language: the site's live home page}; empty when the request has no site."""
    shown = site_chrome(request)["home"]  # in the reader's language: any will do
    if shown is None:
        return {}
    homes = HomePage.objects.filter(translation_key=shown.translation_key, live=True)
    return {home.locale.language_code: home for home in homes.select_related("locale")}


def source_programmes(request, home):
    return (
        visible(ProgrammePage.objects.descendant_of(home), request)
        .filter(locale_id=home.locale_id)
        .select_related("locale")
        .order_by("path")
    )


def organisation_data(request, open_data, homes):
    chrome = site_chrome(request)
    site_settings = chrome["settings"]
    return {
        "identifier": open_data.iati_organisation_identifier,
        "type": coded("OrganisationType", open_data.organisation_type),
        "name": in_languages(
            {language: home.organisation_name for language, home in homes.items()}
        ),
        "short_name": site_settings.short_name if site_settings else None,
        "website": in_languages(
            {language: absolute_url(request, home) for language, home in homes.items()}
        ),
        "licence": (
            {"id": open_data.licence, "url": open_data.licence_url} if open_data.licence else None
        ),
    }


def collect(request, open_data, page_id=None, *, programmes=True):
    """The Export of the request's site, or of one of its programmes (by its Vietnamese page's
    id), or of the organisation alone; None when the site has no home page, or the programme is
    not one of its public ones."""
    homes = homes_of(request)
    if SOURCE not in homes:
        return None
    export = Export(organisation_data(request, open_data, homes))
    if not programmes:
        return export
    pages = source_programmes(request, homes[SOURCE]).prefetch_related(
        Prefetch(
            "partner_links",
            ProgrammePartner.objects.select_related("partner").order_by("sort_order"),
        ),
        Prefetch("sectors", ProgrammeSector.objects.order_by("sort_order")),
        Prefetch("locations", ProgrammeLocation.objects.order_by("sort_order")),
        Prefetch("budgets", ProgrammeBudget.objects.order_by("sort_order")),
        Prefetch("indicators", ResultIndicator.objects.order_by("sort_order")),
    )
    if page_id is None:
        pages = list(pages)
        codes = {page.pk: page.code for page in pages}
    else:
        pages = list(pages.filter(pk=page_id))
        if not pages:
            return None
        # Identifiers depend on every programme's code: two codes that read the same take ids.
        codes = dict(source_programmes(request, homes[SOURCE]).values_list("pk", "code"))
    reading = Reading(request, pages, homes)
    identifiers = iati_identifiers(open_data.iati_organisation_identifier, codes)
    export.programmes = [reading.programme(page, identifiers[page.pk]) for page in pages]
    return export


class Reading:
    """What the programmes' records need besides their own rows, each read in one query."""

    def __init__(self, request, pages, homes):
        self.request = request
        keys = [page.translation_key for page in pages]
        # {language: {translation key: the live, public translation}}
        self.translations = {}
        for language in TRANSLATIONS:
            found = ProgrammePage.objects.none()
            if language in homes and pages:
                found = visible(
                    ProgrammePage.objects.descendant_of(homes[language]), self.request
                ).filter(locale_id=homes[language].locale_id)
                if len(pages) == 1:
                    found = found.filter(translation_key__in=keys)
                found = found.select_related("locale").prefetch_related(
                    Prefetch("indicators", ResultIndicator.objects.order_by("sort_order"))
                )
            self.translations[language] = {page.translation_key: page for page in found}
        self.partner_names = self.translated_partner_names(pages)
        self.areas = self.area_titles(pages)
        self.documents, self.private_paths = self.documents_of(pages)

    def translated_partner_names(self, pages):
        """{(language, partner translation key): name} of live partner translations."""
        keys = {link.partner.translation_key for page in pages for link in page.partner_links.all()}
        if not keys or not TRANSLATIONS:
            return {}
        rows = Partner.objects.filter(
            translation_key__in=keys, locale__language_code__in=TRANSLATIONS, live=True
        ).values_list("locale__language_code", "translation_key", "name")
        return {(language, key): name for language, key, name in rows}

    def area_titles(self, pages):
        """{path: title} of the programmes' parents (their areas), in every language."""
        steplen = Page.steplen
        translated = [page for pages in self.translations.values() for page in pages.values()]
        paths = {page.path[:-steplen] for page in [*pages, *translated]}
        if not paths:
            return {}
        return dict(Page.objects.filter(path__in=paths).values_list("path", "title"))

    def documents_of(self, pages):
        """({id: document}, [paths of private collections]) for the documents the pages list."""
        ids = {
            block["value"].get("document")
            for page in pages
            for block in page.documents.raw_data
            if isinstance(block.get("value"), dict)
        } - {None}
        if not ids:
            return {}, []
        documents = get_document_model().objects.filter(pk__in=ids).select_related("collection")
        private = Collection.objects.filter(
            Q(view_restrictions__isnull=False)
            | Q(pk__in=Organisation.objects.values("private_documents"))
        ).values_list("path", flat=True)
        return {document.pk: document for document in documents}, list(set(private))

    def is_public(self, document):
        path = document.collection.path
        return not any(path.startswith(private) for private in self.private_paths)

    # The record

    def programme(self, page, identifier):
        translations = {
            language: self.translations[language].get(page.translation_key)
            for language in TRANSLATIONS
        }
        versions = {SOURCE: page, **{lang: tr for lang, tr in translations.items() if tr}}
        steplen = Page.steplen

        def text(name):
            return in_languages(
                {lang: getattr(version, name) for lang, version in versions.items()}
            )

        reportable = is_reportable(page)
        return {
            "id": page.pk,
            "code": page.code,
            "iati": {"identifier": identifier, "reported": reportable},
            "title": text("title"),
            "full_name": text("full_name"),
            "summary": text("summary"),
            "area": in_languages(
                {
                    lang: self.areas.get(version.path[:-steplen])
                    for lang, version in versions.items()
                }
            ),
            "url": in_languages(
                {lang: absolute_url(self.request, version) for lang, version in versions.items()}
            ),
            "last_updated": last_updated(versions.values()),
            "status": coded("ActivityStatus", page.status),
            "iati_status": coded("ActivityStatus", iati_status(page)) if reportable else None,
            "dates": {
                "planned_start": iso(page.planned_start_date),
                "planned_end": iso(page.planned_end_date),
                "actual_start": iso(page.start_date),
                "actual_end": iso(page.end_date),
            },
            "places": self.places(page),
            "place_description": text("place_description"),
            "target_groups": {
                lang: (versions[lang].target_group_list if lang in versions else None)
                for lang in LANGUAGES
            },
            "participants": self.participants(page),
            "sectors": self.sectors(page),
            "sdg_goals": [
                goal
                for goal in (coded("UNSDG-Goals", code) for code in page.sdg_goals or [])
                if goal
            ],
            "gender_marker": coded("PolicySignificance", page.gender_marker),
            "budgets": [
                {
                    "period_start": iso(budget.period_start),
                    "period_end": iso(budget.period_end),
                    "value": amount(budget.value, budget.currency),
                    "currency": budget.currency,
                }
                for budget in page.budgets.all()
            ],
            "results": self.results(page, translations),
            "documents": self.document_links(page, translations),
        }

    def places(self, page):
        on = page.end_date or page.start_date
        return [
            {
                "province": location.province,
                "name": {
                    lang: provinces.province_name(location.province, lang, on=on)
                    for lang in LANGUAGES
                },
            }
            for location in page.locations.all()
            if provinces.is_province(location.province)
        ]

    def participants(self, page):
        links = [
            link
            for link in page.partner_links.all()
            if link.partner.live and codelists.is_valid("OrganisationRole", link.role)
        ]
        links.sort(key=lambda link: ROLE_ORDER.index(link.role) if link.role in ROLE_ORDER else 9)
        return [
            {
                "role": coded("OrganisationRole", link.role),
                "name": in_languages(
                    {
                        SOURCE: link.partner.name,
                        **{
                            lang: self.partner_names.get((lang, link.partner.translation_key))
                            for lang in TRANSLATIONS
                        },
                    }
                ),
                "kind": link.partner.kind,
                "website": link.partner.website or None,
            }
            for link in links
        ]

    def sectors(self, page):
        rows = [(row, coded("Sector", row.code)) for row in page.sectors.all()]
        rows = [(row, sector) for row, sector in rows if sector]
        return [
            {
                "vocabulary": DAC_5_DIGIT,
                **sector,
                # The share of the programme: a single sector has it all.
                "percentage": row.percentage if len(rows) > 1 else 100,
            }
            for row, sector in rows
        ]

    def results(self, page, translations):
        """One row per indicator and period, in the order the editor gave them."""
        own = list(page.indicators.all())
        translated = {}
        for lang, translation in translations.items():
            rows = list(translation.indicators.all()) if translation else []
            by_key = {row.translation_key: row for row in rows}
            positional = len(rows) == len(own)
            translated[lang] = [
                by_key.get(row.translation_key) or (rows[index] if positional else None)
                for index, row in enumerate(own)
            ]
        results = []
        for index, row in enumerate(own):
            versions = {SOURCE: row}
            versions.update({lang: rows[index] for lang, rows in translated.items() if rows[index]})
            results.append(
                {
                    "title": in_languages({lang: r.title for lang, r in versions.items()}),
                    "unit": in_languages({lang: r.unit for lang, r in versions.items()}),
                    "measure": coded("IndicatorMeasure", row.measure),
                    "ascending": row.ascending,
                    "period_start": iso(row.period_start),
                    "period_end": iso(row.period_end),
                    "baseline": row.baseline,
                    "baseline_year": row.baseline_year,
                    "target": row.target,
                    "actual": row.actual,
                }
            )
        return results

    def document_links(self, page, translations):
        """The public documents of the programme's documents block."""
        titles = {}  # {(language, block id): title}
        for lang, translation in translations.items():
            for block in translation.documents.raw_data if translation else []:
                if isinstance(block.get("value"), dict):
                    titles[(lang, block.get("id"))] = block["value"].get("title")
        links = []
        for block in page.documents.raw_data:
            value = block.get("value") if isinstance(block.get("value"), dict) else {}
            document = self.documents.get(value.get("document"))
            if document is None or not self.is_public(document):
                continue
            links.append(
                {
                    "title": in_languages(
                        {
                            SOURCE: value.get("title") or document.title,
                            **{
                                lang: titles.get((lang, block.get("id"))) or document.title
                                for lang, translation in translations.items()
                                if translation
                            },
                        }
                    ),
                    "url": self.request.build_absolute_uri(document.url),
                    "format": document_format(document),
                    "category": coded("DocumentCategory", value.get("category")),
                    "language": value.get("language") or None,
                }
            )
        return links

"""IATI 2.03 activity and organisation files, built from the export's dicts (opendata.export).

Elements follow the order the schema's sequences give them (iati-activities-schema.xsd);
`programmes.reference.validation` checks both files against the schemas and the codelists in the
tests. What each element says, and what is left out:

- `reporting-org` and a `participating-org` in role 4 (implementing): the organisation itself,
  which runs its own programmes; each live partner in the role the editor gave, without a `ref`
  (partners' identifiers are not known) and with a `type` only for governments (10);
- `activity-status`: the one the editor gave, else what the dates say (export.iati_status);
- `activity-date`: 1 planned start, 2 actual start, 3 planned end, 4 actual end, when given. IATI
  needs a start date: a programme without one is left out of the activity files (its JSON and
  CSV rows remain);
- `recipient-country` VN at 100%; a `location` per province, named in both languages as it was
  called when the work took place, lying in VN (`administrative` A4, level 0) and being a
  first-order administrative division (`feature-designation` ADM1); the place described in
  words, as a location of its own;
- `sector` (vocabulary 1, DAC 5-digit) with a percentage only when there are several;
  `tag` vocabulary 2 for the SDGs; `policy-marker` 1 (gender equality, vocabulary 1) with the
  DAC significance;
- `budget` type 1 (original), status 1 (indicative), valued on its first day;
- `document-link`: the programme's page in each language (A12, activity web page), then each
  public document that has a kind (IATI requires a category);
- `result`: one per indicator title, type 9 (other: the pages do not say whether a result is an
  output, an outcome or an impact), with its baselines and the periods that have both dates.
"""

import xml.etree.ElementTree as ET

from opendata.export import LANGUAGES, SOURCE, plain
from programmes.reference.codelists import (
    DAC_5_DIGIT,
    GENDER_EQUALITY,
    SDG_GOAL_TAG,
    VIETNAM,
    XML_LANG,
)

IATI_VERSION = "2.03"
IMPLEMENTING = "4"
GOVERNMENT_PARTNER = "government"
GOVERNMENT_TYPE = "10"
COUNTRY_VOCABULARY = "A4"  # ISO 3166-1 alpha-2
FIRST_ORDER_DIVISION = "ADM1"
ORIGINAL_BUDGET, INDICATIVE = "1", "1"
ACTIVITY_WEB_PAGE = "A12"
OTHER_RESULT = "9"
DATE_TYPES = (
    ("planned_start", "1"),
    ("actual_start", "2"),
    ("planned_end", "3"),
    ("actual_end", "4"),
)


def element(parent, tag, attributes=None, text=None):
    child = ET.SubElement(parent, tag, {k: v for k, v in (attributes or {}).items() if v})
    if text is not None:
        child.text = text
    return child


def narratives(parent, tag, texts, attributes=None):
    """An element holding one narrative per language that has a text, Vietnamese first."""
    holder = element(parent, tag, attributes)
    for language in LANGUAGES:
        if texts.get(language):
            element(holder, "narrative", {XML_LANG: language}, texts[language])
    return holder


def to_bytes(root):
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def reporting_org(parent, organisation):
    narratives(
        parent,
        "reporting-org",
        organisation["name"],
        {"ref": organisation["identifier"], "type": organisation["type"]["code"]},
    )


# Activities


def activities_xml(export):
    """The iati-activities file of the export's reportable programmes; None if there is none."""
    programmes = [programme for programme in export.programmes if programme["iati"]["reported"]]
    if not programmes:
        return None
    root = ET.Element(
        "iati-activities",
        {"version": IATI_VERSION, "generated-datetime": export.generated.isoformat()},
    )
    for programme in programmes:
        activity(root, export.organisation, programme)
    return to_bytes(root)


def activity(root, organisation, programme):
    node = element(
        root,
        "iati-activity",
        {"last-updated-datetime": programme["last_updated"], XML_LANG: SOURCE},
    )
    element(node, "iati-identifier", text=programme["iati"]["identifier"])
    reporting_org(node, organisation)
    title = {
        language: programme["full_name"][language] or programme["title"][language]
        for language in LANGUAGES
    }
    narratives(node, "title", title)
    narratives(node, "description", programme["summary"])
    participating_orgs(node, organisation, programme)
    element(node, "activity-status", {"code": programme["iati_status"]["code"]})
    for name, code in DATE_TYPES:
        if programme["dates"][name]:
            element(node, "activity-date", {"type": code, "iso-date": programme["dates"][name]})
    element(node, "recipient-country", {"code": VIETNAM, "percentage": "100"})
    for place in programme["places"]:
        location(node, place["name"], FIRST_ORDER_DIVISION)
    if any(programme["place_description"].values()):
        location(node, programme["place_description"])
    several = len(programme["sectors"]) > 1
    for sector in programme["sectors"]:
        element(
            node,
            "sector",
            {
                "vocabulary": DAC_5_DIGIT,
                "code": sector["code"],
                "percentage": str(sector["percentage"]) if several else None,
            },
        )
    for goal in programme["sdg_goals"]:
        element(node, "tag", {"vocabulary": SDG_GOAL_TAG, "code": goal["code"]})
    if programme["gender_marker"]:
        element(
            node,
            "policy-marker",
            {
                "vocabulary": "1",
                "code": GENDER_EQUALITY,
                "significance": programme["gender_marker"]["code"],
            },
        )
    for budget in programme["budgets"]:
        budget_element(node, budget)
    document_links(node, programme)
    results(node, programme["results"])


def participating_orgs(node, organisation, programme):
    for participant in programme["participants"]:
        narratives(
            node,
            "participating-org",
            participant["name"],
            {
                "role": participant["role"]["code"],
                "type": GOVERNMENT_TYPE if participant["kind"] == GOVERNMENT_PARTNER else None,
            },
        )
    narratives(
        node,
        "participating-org",
        organisation["name"],
        {
            "ref": organisation["identifier"],
            "type": organisation["type"]["code"],
            "role": IMPLEMENTING,
        },
    )


def location(node, names, feature=None):
    place = element(node, "location")
    narratives(place, "name", names)
    element(
        place, "administrative", {"vocabulary": COUNTRY_VOCABULARY, "level": "0", "code": VIETNAM}
    )
    if feature:
        element(place, "feature-designation", {"code": feature})


def budget_element(node, budget):
    holder = element(node, "budget", {"type": ORIGINAL_BUDGET, "status": INDICATIVE})
    element(holder, "period-start", {"iso-date": budget["period_start"]})
    element(holder, "period-end", {"iso-date": budget["period_end"]})
    element(
        holder,
        "value",
        {"currency": budget["currency"], "value-date": budget["period_start"]},
        plain(budget["value"]),
    )


def document_link(node, url, mime, titles, category, languages):
    link = element(node, "document-link", {"url": url, "format": mime})
    narratives(link, "title", titles)
    element(link, "category", {"code": category})
    for language in languages:
        element(link, "language", {"code": language})


def document_links(node, programme):
    for language in LANGUAGES:
        url = programme["url"][language]
        if url:
            document_link(
                node,
                url,
                "text/html",
                {language: programme["title"][language]},
                ACTIVITY_WEB_PAGE,
                [language],
            )
    for document in programme["documents"]:
        if document["category"]:
            document_link(
                node,
                document["url"],
                document["format"],
                document["title"],
                document["category"]["code"],
                [document["language"]] if document["language"] else [],
            )


def results(node, rows):
    """One result per indicator title (the Vietnamese one), its periods in the editor's order."""
    groups = {}
    for row in rows:
        groups.setdefault(row["title"][SOURCE], []).append(row)
    for group in groups.values():
        first = group[0]
        if first["measure"] is None:  # not a measure IATI knows: no indicator to report
            continue
        result = element(node, "result", {"type": OTHER_RESULT})
        narratives(result, "title", first["title"])
        indicator = element(
            result,
            "indicator",
            {"measure": first["measure"]["code"], "ascending": "1" if first["ascending"] else "0"},
        )
        narratives(indicator, "title", first["title"])
        baselines = []
        for row in group:
            baseline = (row["baseline_year"], row["baseline"])
            if row["baseline_year"] and baseline not in baselines:
                baselines.append(baseline)
        for year, value in baselines:
            element(indicator, "baseline", {"year": str(year), "value": plain(value)})
        for row in group:
            if row["period_start"] and row["period_end"]:
                period = element(indicator, "period")
                element(period, "period-start", {"iso-date": row["period_start"]})
                element(period, "period-end", {"iso-date": row["period_end"]})
                if row["target"] is not None:
                    element(period, "target", {"value": plain(row["target"])})
                if row["actual"] is not None:
                    element(period, "actual", {"value": plain(row["actual"])})


# The organisation


def organisation_xml(export):
    organisation = export.organisation
    root = ET.Element(
        "iati-organisations",
        {"version": IATI_VERSION, "generated-datetime": export.generated.isoformat()},
    )
    node = element(root, "iati-organisation", {XML_LANG: SOURCE})
    element(node, "organisation-identifier", text=organisation["identifier"])
    narratives(node, "name", organisation["name"])
    reporting_org(node, organisation)
    return to_bytes(root)

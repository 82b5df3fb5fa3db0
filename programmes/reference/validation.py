"""Checks of IATI 2.03 XML against the official schemas and codelists kept in `iati/`.

For tests: the schema checks need lxml, a development dependency, imported when first used.
The schemas check structure only; `invalid_codes` checks the coded values against the
codelists, which is what the IATI Validator does next.
"""

from functools import cache

from .codelists import IATI_DIR, is_valid

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACTIVITIES_SCHEMA = "iati-activities-schema.xsd"
ORGANISATIONS_SCHEMA = "iati-organisations-schema.xsd"

# {(element, attribute): codelist}, wherever the element is.
ATTRIBUTE_CODELISTS = {
    ("iati-activities", "version"): "Version",
    ("iati-organisations", "version"): "Version",
    ("reporting-org", "type"): "OrganisationType",
    ("participating-org", "role"): "OrganisationRole",
    ("participating-org", "type"): "OrganisationType",
    ("activity-status", "code"): "ActivityStatus",
    ("activity-date", "type"): "ActivityDateType",
    ("recipient-country", "code"): "Country",
    ("location-id", "vocabulary"): "GeographicVocabulary",
    ("administrative", "vocabulary"): "GeographicVocabulary",
    ("exactness", "code"): "GeographicExactness",
    ("feature-designation", "code"): "LocationType",
    ("sector", "vocabulary"): "SectorVocabulary",
    ("tag", "vocabulary"): "TagVocabulary",
    ("policy-marker", "significance"): "PolicySignificance",
    ("budget", "type"): "BudgetType",
    ("budget", "status"): "BudgetStatus",
    ("planned-disbursement", "type"): "BudgetType",
    ("total-budget", "status"): "BudgetStatus",
    ("recipient-org-budget", "status"): "BudgetStatus",
    ("recipient-region-budget", "status"): "BudgetStatus",
    ("recipient-country-budget", "status"): "BudgetStatus",
    ("result", "type"): "ResultType",
    ("indicator", "measure"): "IndicatorMeasure",
}
# {(element, attribute): codelist} for children of document-link (in activities, results and
# organisations alike).
DOCUMENT_LINK_CODELISTS = {
    ("category", "code"): "DocumentCategory",
    ("language", "code"): "Language",
}
# {attribute: codelist} on any element.
ANY_ELEMENT_CODELISTS = {
    "currency": "Currency",
    "default-currency": "Currency",
    XML_LANG: "Language",
}
# {(element, attribute): {its @vocabulary (None when absent): codelist}}; codes of other
# vocabularies are not checked.
CODELIST_BY_VOCABULARY = {
    ("sector", "code"): {None: "Sector", "1": "Sector", "7": "UNSDG-Goals", "8": "UNSDG-Targets"},
    ("tag", "code"): {"2": "UNSDG-Goals", "3": "UNSDG-Targets"},
    ("policy-marker", "code"): {None: "PolicyMarker", "1": "PolicyMarker"},
    ("administrative", "code"): {"A4": "Country"},
}
# The PolicyMarkerVocabulary codelist has two codes: 1 OECD DAC CRS, 99 reporting organisation.
POLICY_MARKER_VOCABULARIES = {"1", "99"}


def _parse(xml_bytes):
    from lxml import etree

    if isinstance(xml_bytes, str):
        xml_bytes = xml_bytes.encode()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(xml_bytes, parser)  # noqa: S320 - entities off, no network


@cache
def _schema(filename):
    from lxml import etree

    # The schemas include iati-common.xsd and import xml.xsd from beside them: no network.
    return etree.XMLSchema(etree.parse(str(IATI_DIR / filename)))  # noqa: S320 - our own copy


def _validate(xml_bytes, filename, root_tag):
    document = _parse(xml_bytes)
    if document.tag != root_tag:
        raise AssertionError(f"The root element is <{document.tag}>, not <{root_tag}>")
    schema = _schema(filename)
    if not schema.validate(document):
        errors = "\n".join(f"line {error.line}: {error.message}" for error in schema.error_log)
        raise AssertionError(f"Not valid against {filename}:\n{errors}")


def validate_activities(xml_bytes):
    """Raise AssertionError, with the schema's errors, unless this is a valid activity file."""
    _validate(xml_bytes, ACTIVITIES_SCHEMA, "iati-activities")


def validate_organisations(xml_bytes):
    """Raise AssertionError, with the schema's errors, unless this is a valid organisation file."""
    _validate(xml_bytes, ORGANISATIONS_SCHEMA, "iati-organisations")


def _codelist(element, attribute):
    """The codelist an attribute's value must be on, or None when it is not checked here."""
    tag = element.tag
    if attribute in ANY_ELEMENT_CODELISTS:
        return ANY_ELEMENT_CODELISTS[attribute]
    if (tag, attribute) in ATTRIBUTE_CODELISTS:
        return ATTRIBUTE_CODELISTS[(tag, attribute)]
    parent = element.getparent()
    if parent is not None and parent.tag == "document-link":
        return DOCUMENT_LINK_CODELISTS.get((tag, attribute))
    if (tag, attribute) in CODELIST_BY_VOCABULARY:
        return CODELIST_BY_VOCABULARY[(tag, attribute)].get(element.get("vocabulary"))
    return None


def invalid_codes(xml_bytes):
    """[(path, attribute, value)] of every coded value not on its codelist (or withdrawn).

    Works on activity and organisation files alike, e.g.
    [("/iati-activities/iati-activity/sector[2]", "code", "99999")].
    """
    document = _parse(xml_bytes)
    tree = document.getroottree()
    found = []
    for element in document.iter():
        if not isinstance(element.tag, str) or element.tag.startswith("{"):
            continue  # comments, processing instructions, other namespaces' extensions
        for attribute, value in element.attrib.items():
            if element.tag == "policy-marker" and attribute == "vocabulary":
                valid = value in POLICY_MARKER_VOCABULARIES
            else:
                codelist = _codelist(element, attribute)
                valid = codelist is None or is_valid(codelist, value)
            if not valid:
                name = "xml:lang" if attribute == XML_LANG else attribute
                found.append((tree.getpath(element), name, value))
    return found


def validate(xml_bytes):
    """Check an activity or organisation file against its schema and the codelists."""
    root_tag = _parse(xml_bytes).tag
    if root_tag == "iati-organisations":
        validate_organisations(xml_bytes)
    else:
        validate_activities(xml_bytes)
    bad = invalid_codes(xml_bytes)
    if bad:
        raise AssertionError(
            "Codes not on their IATI codelists:\n"
            + "\n".join(f"{path}/@{attribute} = {value!r}" for path, attribute, value in bad)
        )

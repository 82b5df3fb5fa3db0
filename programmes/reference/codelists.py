"""The IATI 2.03 codelists the programme pages use, and choices for their model fields.

The lists are the official XML files in `iati/codelists/` (see its README), read once each with
the standard library. English names come from the lists; Vietnamese names from the tables in
`programmes.reference.vietnamese`; a code with no Vietnamese name is shown in English.

Every `*_choices()` function returns [(code, lazy label)] and can be passed to a model field
as it is (`choices=sector_choices`): Django calls it when a form is built, a migration records
only the function's name, and each label picks Vietnamese or English when it is rendered.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .labels import lazy_pick, pick
from .vietnamese import BY_CODELIST

IATI_DIR = Path(__file__).resolve().parent / "iati"
CODELIST_DIR = IATI_DIR / "codelists"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The currencies budgets are kept in, with the decimal places an amount has (ISO 4217).
CURRENCY_DECIMALS = {"VND": 0, "USD": 2, "EUR": 2, "CAD": 2, "NOK": 2}
# The languages a programme's documents are in.
DOCUMENT_LANGUAGES = ("vi", "en")
# Vietnam in the Country codelist.
VIETNAM = "VN"
# The only significance codes the DAC gender equality marker takes.
GENDER_MARKER_SIGNIFICANCE = ("0", "1", "2")
# Sector vocabulary 1: OECD DAC CRS purpose codes (5 digits); policy marker 1: gender equality.
DAC_5_DIGIT = "1"
GENDER_EQUALITY = "1"
# Tag vocabularies for the SDGs: goals ("5") and targets ("5.2").
SDG_GOAL_TAG = "2"
SDG_TARGET_TAG = "3"


@dataclass(frozen=True)
class Item:
    """One code of a codelist: its names by language ("en" always), status and category."""

    code: str
    names: dict[str, str] = field(compare=False)
    status: str = "active"
    category: str = ""

    @property
    def withdrawn(self) -> bool:
        return self.status == "withdrawn"

    def name(self, language: str | None = None) -> str:
        """The name in `language` (default: the active one), else in English."""
        return pick(self.names, language)

    def label(self, *, with_code: bool = False):
        """A lazy label in the language active when it is rendered."""
        return lazy_pick(self.names, prefix=f"{self.code} – " if with_code else "")


def available() -> list[str]:
    """The names of the codelists kept in the project."""
    return sorted(path.stem for path in CODELIST_DIR.glob("*.xml"))


@cache
def codes(list_name: str) -> dict[str, Item]:
    """{code: Item} of one codelist, e.g. codes("Sector")["15180"], in the list's order.

    Read once per process; treat the result as read-only.
    """
    path = CODELIST_DIR / f"{list_name}.xml"
    if not re.fullmatch(r"[A-Za-z0-9-]+", list_name) or not path.is_file():
        raise LookupError(f"No IATI codelist {list_name!r} in {CODELIST_DIR}")
    root = ET.parse(path).getroot()  # noqa: S314 - the official lists, copied into the project
    default_language = root.get(XML_LANG, "en")
    vietnamese = BY_CODELIST.get(list_name, {})
    items = {}
    for element in root.iter("codelist-item"):
        code = (element.findtext("code") or "").strip()
        names = {}
        for narrative in element.findall("name/narrative"):
            text = " ".join((narrative.text or "").split())  # also folds no-break spaces
            if text:
                names.setdefault(narrative.get(XML_LANG, default_language), text)
        names.setdefault("en", code)  # Version's codes have no names
        if code in vietnamese:
            names["vi"] = vietnamese[code]
        items[code] = Item(
            code=code,
            names=names,
            status=element.get("status", "active"),
            category=(element.findtext("category") or "").strip(),
        )
    return items


def is_valid(list_name: str, code: str) -> bool:
    """Whether `code` is an active (not withdrawn) code of the codelist."""
    item = codes(list_name).get(code)
    return item is not None and not item.withdrawn


def name(list_name: str, code: str, language: str | None = None) -> str:
    """The name of a code in `language` (default: the active one); KeyError if unknown."""
    return codes(list_name)[code].name(language)


def label(list_name: str, code: str, *, with_code: bool = False):
    """The lazy label of a stored code, for showing it; KeyError if unknown."""
    return codes(list_name)[code].label(with_code=with_code)


def choices(list_name, only=None, *, with_code=False, category=None):
    """[(code, lazy label)] of a codelist's active codes, or of the codes in `only`, in order."""
    items = codes(list_name)
    if only is not None:
        selected = [items[code] for code in only]
    else:
        selected = [item for item in items.values() if not item.withdrawn]
    if category is not None:
        selected = [item for item in selected if item.category == category]
    return [(item.code, item.label(with_code=with_code)) for item in selected]


# Choices for model fields, each built once (the labels stay lazy).


@cache
def sector_choices():
    """DAC 5-digit sectors (vocabulary 1), "15180 – Ending violence against women and girls"."""
    dac = [c for c, item in codes("Sector").items() if len(c) == 5 and c.isdigit()]
    return choices("Sector", sorted(c for c in dac if is_valid("Sector", c)), with_code=True)


@cache
def activity_status_choices():
    return choices("ActivityStatus")


@cache
def activity_date_type_choices():
    return choices("ActivityDateType")


@cache
def organisation_role_choices():
    """1 funding, 2 accountable, 3 extending, 4 implementing."""
    return choices("OrganisationRole")


@cache
def organisation_type_choices():
    return choices("OrganisationType")


@cache
def policy_marker_choices():
    return choices("PolicyMarker")


@cache
def policy_significance_choices():
    """Every significance, 0-4 (3 is for desertification, 4 for RMNCH)."""
    return choices("PolicySignificance")


@cache
def gender_marker_choices():
    """The gender equality marker's significance: 0 not targeted, 1 significant, 2 principal."""
    return choices("PolicySignificance", GENDER_MARKER_SIGNIFICANCE)


@cache
def document_category_choices():
    """Every document category: A01-A12 (activities), then B01-B18 (organisations)."""
    return choices("DocumentCategory")


@cache
def activity_document_category_choices():
    return choices("DocumentCategory", category="A")


@cache
def organisation_document_category_choices():
    return choices("DocumentCategory", category="B")


@cache
def indicator_measure_choices():
    """1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative."""
    return choices("IndicatorMeasure")


@cache
def result_type_choices():
    return choices("ResultType")


@cache
def budget_type_choices():
    return choices("BudgetType")


@cache
def budget_status_choices():
    return choices("BudgetStatus")


@cache
def currency_choices():
    """The currencies of CURRENCY_DECIMALS, "VND – Đồng Việt Nam"."""
    return choices("Currency", CURRENCY_DECIMALS, with_code=True)


@cache
def language_choices():
    return choices("Language", DOCUMENT_LANGUAGES)


@cache
def sdg_goal_choices():
    """The 17 goals, "Goal 5. Achieve gender equality…" / "Mục tiêu 5. Đạt được bình đẳng…"."""
    return choices("UNSDG-Goals")


def currency_decimals(currency: str) -> int:
    """The decimal places of an amount in `currency` (VND 0; USD, EUR, CAD, NOK 2)."""
    return CURRENCY_DECIMALS[currency]

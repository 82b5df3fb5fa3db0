from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from pages import chrome
from pages.models import BasePage
from pages.numbers import format_number
from pages.routing import relatives
from pages.views import theme_version
from safeguarding.sensitivity import is_sensitive, parent_sensitivities

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """Home page, settings and menus for the header and footer (pages.chrome.site_chrome)."""
    request = context.get("request")
    return chrome.site_chrome(request) if request is not None else chrome.NO_CHROME


@register.simple_tag(takes_context=True)
def offers_quick_exit(context):
    """Whether the page is sensitive (safeguarding.sensitivity), without a query."""
    page, request = context.get("page"), context.get("request")
    if not isinstance(page, BasePage):
        return False
    chosen = parent_sensitivities(request) if request is not None else None
    return is_sensitive(page, chosen)


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """For each language: where the switcher goes, and whether it is this page's translation.

    Where the page has no live translation, the nearest translated ancestor stands in.
    """
    request = context["request"]
    current = get_language()
    family = relatives(request, page) if isinstance(page, Page) else None
    links = []
    for code, name in settings.LANGUAGES:
        target, exact = (family.translations.get(code), True) if family else (None, True)
        if target is None and family and family.ancestors:
            target, exact = family.nearest.get(code), False
        url = target.get_url(request) if target else f"/{code}/"
        links.append(
            {"code": code, "name": name, "url": url, "exact": exact, "current": code == current}
        )
    return links


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context, page=None):
    """The page's ancestors from its home page down, for the breadcrumb trail."""
    return relatives(context["request"], page).ancestors if isinstance(page, Page) else []


@register.filter
def number(value):
    """A stored number as the active language writes it: 150.000 or 150,000; empty if None."""
    return format_number(value)


@register.filter
def period_date(day):
    """A period's date by month ("tháng 3 năm 2019", "March 2019"), or its year alone when it
    is 1 January, which is how a period known only by its year is stored ("2008")."""
    if day is None:
        return ""
    if (day.month, day.day) == (1, 1):
        return str(day.year)
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


@register.filter
def figure_value(figure):
    """A figure's value grouped for the active language: 150.000 (Vietnamese), 150,000 (English)."""

    def number(value):
        decimals = 0 if value == value.to_integral_value() else None
        return formats.number_format(value, decimal_pos=decimals, force_grouping=True)

    text = number(figure["value"])
    if figure.get("value_to") is not None:
        text = f"{text}–{number(figure['value_to'])}"
    unit = figure.get("unit") or ""
    text = f"{text}{unit}"
    if figure.get("approximate"):
        text = _("about %(value)s") % {"value": text}
    return text


@register.filter
def milestone_date(value, precision):
    """A milestone's date, as precise as the editor said: 2007, August 2007 or 1 August 2007."""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def is_section_of(item, page):
    """Whether a menu item is the page or one of its ancestors."""
    return isinstance(page, Page) and page.path.startswith(item.path)


@register.simple_tag(takes_context=True)
def theme_stylesheet_url(context):
    """The site's stylesheet URL, versioned by its content so browsers may keep it a year."""
    site_settings = site_chrome(context)["settings"]
    accent = site_settings.accent_colour if site_settings else None
    return f"{reverse('theme_css')}?v={theme_version(accent)}"

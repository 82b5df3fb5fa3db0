from django import template
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

register = template.Library()


def _home_for(request, language):
    """The site's home page in the given language, or the source home page."""
    from pages.models import HomePage

    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    return (
        HomePage.objects.filter(
            translation_key=root.translation_key, locale__language_code=language
        ).first()
        or HomePage.objects.filter(pk=root.pk).first()
    )


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """Home page, settings and menus for the header and footer; computed once per request."""
    request = context["request"]
    language = get_language()
    cached = getattr(request, "_site_chrome", None)
    if cached and cached["language"] == language:
        return cached
    home = _home_for(request, language)
    chrome = {"language": language, "home": home, "menu": [], "footer_links": [], "partners": []}
    if home is not None:
        chrome["partners"] = [
            link.partner
            for link in home.featured_partners.select_related("partner", "partner__logo")
        ]
        chrome["menu"] = list(home.get_children().live().public().in_menu())
        chrome["footer_links"] = [
            link.link_page
            for link in home.footer_links.select_related("link_page")
            if link.link_page.live
        ] or chrome["menu"]
    request._site_chrome = chrome
    return chrome


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """For each language: where the switcher goes, and whether it is this page's translation.

    Where the page has no live translation, the nearest translated ancestor stands in.
    """
    from django.conf import settings

    request = context["request"]
    current = get_language()
    links = []
    translations = {}
    ancestors = []
    if isinstance(page, Page):
        translations = {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True).live().public().select_related("locale")
        }
        ancestors = list(page.get_ancestors().filter(depth__gt=1).order_by("-depth"))
    for code, name in settings.LANGUAGES:
        target, exact = translations.get(code), True
        if target is None and ancestors:
            exact = False
            fallback = (
                Page.objects.filter(
                    translation_key__in=[a.translation_key for a in ancestors],
                    locale__language_code=code,
                )
                .live()
                .public()
                .order_by("-depth")
                .first()
            )
            target = fallback
        url = target.get_url(request) if target else f"/{code}/"
        links.append(
            {"code": code, "name": name, "url": url, "exact": exact, "current": code == current}
        )
    return links


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
def page_meta(context):
    """Description, canonical and alternate URLs, sharing image and JSON-LD for the <head>."""
    from pages.seo import page_meta as build

    chrome = site_chrome(context)
    return build(context["request"], context.get("page"), chrome["home"])


@register.simple_tag(takes_context=True)
def theme_stylesheet_url(context):
    """The site's stylesheet URL, versioned by its content so browsers may keep it a year."""
    from django.urls import reverse

    from pages.views import theme_version

    accent = context["settings"]["pages"]["SiteSettings"].accent_colour
    return f"{reverse('theme_css')}?v={theme_version(accent)}"

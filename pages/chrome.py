"""What every page of a site shows around its content, and which of its pages visitors may see.

The site, its settings, the home page, menus and partners come from `site_chrome`, kept in the
shared cache per site and language until what it shows changes (pagecache.store.kept): a page
rendered afresh reads it from the cache, not the database, and takes on its tags, since it shows
the menus too. It also holds the site's private sections, so `visible` lists pages without
asking the database for view restrictions.
"""

from django.db.models import Q
from django.utils.translation import get_language
from wagtail.models import Locale, PageViewRestriction

from config import internals
from pagecache.keys import note
from pagecache.sites import find_site
from pagecache.store import kept
from pages.models.settings import SiteSettings
from pages.renditions import prefetch_renditions

NO_CHROME = {
    "home": None,
    "menu": [],
    "footer_links": [],
    "partners": [],
    "settings": None,
    "safety_page": None,
    "privacy_page": None,
    "restricted_paths": [],
    "locales": {},
}
# In the chrome's cache key, so that a release that changes what the chrome holds never reads
# one cached by the release before it.
CHROME_SHAPE = "-".join(sorted(NO_CHROME))


def site_chrome(request):
    """Home page, settings, menus and partners of the request's site in the active language.

    Looked up once per request. Also hands the settings to Wagtail's `settings` context
    processor and SiteSettings.for_request, which would otherwise query them again.
    """
    language = get_language()
    memo = request.__dict__.setdefault("_site_chrome", {})
    if language not in memo:
        memo[language] = _cached_chrome(request, language)
    chrome = memo[language]
    site_settings = chrome["settings"]
    if site_settings is not None and not hasattr(request, site_settings.get_cache_attr_name()):
        internals.remember_settings(request, site_settings)
    return chrome


def _cached_chrome(request, language):
    site = find_site(request)
    if site is None:
        return NO_CHROME
    return kept(
        request,
        f"site-chrome:{CHROME_SHAPE}:{site.pk}:{language}",
        lambda: build_chrome(site, language),
    )


def build_chrome(site, language):
    root = site.root_page
    home_model = root.specific_class
    # The home page Wagtail routes from: the live translation, else the site's own root.
    home = (
        home_model.objects.filter(
            translation_key=root.translation_key, locale__language_code=language, live=True
        ).first()
        or home_model.objects.filter(pk=root.pk).first()
    )
    site_settings, _created = SiteSettings.objects.select_related(
        "logo", "default_sharing_image", "safety_page", "privacy_page"
    ).get_or_create(site=site)
    chrome = {
        **NO_CHROME,
        "home": home,
        "settings": site_settings,
        # The pages the settings link to, in the visitor's language where translated.
        "safety_page": site_settings.safety_page and site_settings.safety_page.localized,
        "privacy_page": site_settings.privacy_page and site_settings.privacy_page.localized,
        "restricted_paths": list(PageViewRestriction.objects.values_list("page__path", flat=True)),
        "locales": dict(Locale.objects.values_list("pk", "language_code")),
    }
    if home is not None:
        note(f"children:{home.pk}")  # the menu: a page published below home may join it
        chrome["menu"] = list(
            without_restricted(home.get_children().live().in_menu(), chrome["restricted_paths"])
        )
        chrome["footer_links"] = [
            link.link_page
            for link in home.footer_links.select_related("link_page")
            if link.link_page.live
        ] or chrome["menu"]
        chrome["partners"] = [
            link.partner
            for link in home.featured_partners.select_related("partner", "partner__logo")
            if link.partner.live
        ]
    # Kept with the chrome, so that no page asks for these images' renditions again.
    prefetch_renditions(
        [
            site_settings.logo,
            site_settings.default_sharing_image,
            *(partner.logo for partner in chrome["partners"]),
        ]
    )
    return chrome


def without_restricted(queryset, restricted_paths):
    """The pages outside every private section: PageQuerySet.public() without its query."""
    condition = Q()
    for path in restricted_paths:
        condition |= Q(path__startswith=path)
    return queryset.exclude(condition) if condition else queryset


def visible(queryset, request):
    """queryset.live().public(), with the view restrictions the site chrome already holds."""
    return without_restricted(queryset.live(), site_chrome(request)["restricted_paths"])


def is_public(page, restricted_paths):
    return not any(page.path.startswith(path) for path in restricted_paths)

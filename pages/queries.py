"""The queries behind every page: each runs a fixed number of SQL queries, whatever the size.

What every page shows around its content (the site, its settings, the home page, menus and
partners) comes from `site_chrome`, kept in the shared cache per site and language until what it
shows changes (pages.cache.kept): a page rendered afresh reads it from the cache, not the
database, and takes on its tags, since it shows the menus too.

`find_page` routes a request in two queries whatever the page's depth, where Wagtail spends two
per level. The first also brings the page's ancestors and all their translations, which the
language switcher, the hreflang links and the breadcrumbs need (`relatives`).
"""

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils.functional import cached_property
from django.utils.translation import get_language
from taggit.models import Tag
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Page, get_page_models
from wagtail.url_routing import RouteResult

from pages.renditions import RESPONSIVE_SPECS as CARD_RENDITIONS

FIGURES_ON_HOME = 3
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


# The site around every page


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
        site_settings._request = request  # as for_request does, for its page URLs
        setattr(request, site_settings.get_cache_attr_name(), site_settings)
    return chrome


def _cached_chrome(request, language):
    from pages.cache import find_site, kept

    site = find_site(request)
    if site is None:
        return NO_CHROME
    return kept(
        request,
        f"site-chrome:{CHROME_SHAPE}:{site.pk}:{language}",
        lambda: build_chrome(site, language),
    )


def build_chrome(site, language):
    from wagtail.models import Locale, PageViewRestriction

    from pages.cache import note
    from pages.models import HomePage, SiteSettings

    root = site.root_page
    # The home page Wagtail routes from: the live translation, else the site's own root.
    home = (
        HomePage.objects.filter(
            translation_key=root.translation_key, locale__language_code=language, live=True
        ).first()
        or HomePage.objects.filter(pk=root.pk).first()
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


# Finding the page, its ancestors and translations


@dataclass
class Relatives:
    ancestors: list  # from the home page down, without the page itself
    translations: dict  # language code: the page in that language, live and public
    nearest: dict  # language code: the deepest ancestor translated into it, live and public


MAX_PAGE_DEPTH = 30


def find_page(request, path):
    """Route a page request as Wagtail would, in two queries whatever the page's depth.

    Sets what Page.route_for_request returns (Wagtail keeps it on the request), so Wagtail's
    serve view serves the page found here. Left to Wagtail when a page type routes on its own.
    """
    if hasattr(request, "_wagtail_route_for_request") or not _routes_by_url_path():
        return
    home = site_chrome(request)["home"]
    if home is None:
        return
    slugs = [slug for slug in path.split("/") if slug]
    if len(slugs) > MAX_PAGE_DEPTH:  # no page lies that deep; spare the database the long query
        request._wagtail_route_for_request = None
        return
    url_paths = [
        home.url_path + "".join(f"{slug}/" for slug in slugs[:n]) for n in range(len(slugs) + 1)
    ]
    family = _family(
        Q(pk=home.pk) | Q(path__startswith=home.path, slug__in=slugs, url_path__in=url_paths)
    )
    found = next(
        (
            page
            for page in family
            if page.url_path == url_paths[-1] and page.path.startswith(home.path)
        ),
        None,
    )
    if found is None or not found.live:
        request._wagtail_route_for_request = None  # Wagtail answers 404
        return
    page = _specific(found)
    chrome = site_chrome(request)
    relatives = _relate(page, family, chrome)
    request.__dict__.setdefault("_page_relatives", {})[page.pk] = relatives
    # Wagtail follows an alias to its original's restrictions: those are left to Wagtail.
    page.known_unrestricted = is_public(page, chrome["restricted_paths"]) and not any(
        p.alias_of_id for p in (page, *relatives.ancestors)
    )
    request._wagtail_route_for_request = RouteResult(page)


@functools.cache
def _routes_by_url_path():
    return all(model.route is Page.route for model in get_page_models())


def _family(pages):
    """The pages matched, and every translation of them, in one query."""
    return list(
        Page.objects.filter(
            translation_key__in=Page.objects.filter(pages).values("translation_key")
        )
    )


def _specific(page):
    """The page as its own type, with the images and pages it links to (its template shows them)."""
    model = page.specific_class
    if model is None:
        return page
    links = [
        field.name
        for field in model._meta.concrete_fields
        if field.many_to_one
        and field.model is not Page
        and field.related_model in (get_image_model(), Page)
    ]
    page = model.objects.select_related(*links).get(pk=page.pk)
    # Its images' renditions too: one query, where each image would otherwise ask the cache
    # twice (Wagtail writes renditions found in the cache back to it on every render).
    image_model = get_image_model()
    prefetch_renditions(
        getattr(page, field.name)
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model is image_model
    )
    return page


def relatives(request, page):
    """The page's ancestors and translations, and its ancestors' translations; one query."""
    memo = request.__dict__.setdefault("_page_relatives", {})
    if page.pk not in memo:
        steplen = Page.steplen
        lineage = [page.path[:end] for end in range(2 * steplen, len(page.path) + 1, steplen)]
        family = _family(Q(path__in=lineage)) if lineage else []
        memo[page.pk] = _relate(page, family, site_chrome(request))
    return memo[page.pk]


def _relate(page, family, chrome):
    locales, restricted = chrome["locales"], chrome["restricted_paths"]
    steplen = Page.steplen
    # Below the tree's root (depth 1), down to the page's parent.
    lineage = {page.path[:end] for end in range(2 * steplen, len(page.path), steplen)}
    ancestors = sorted((p for p in family if p.path in lineage), key=lambda p: p.depth)
    ancestor_keys = {ancestor.translation_key for ancestor in ancestors}
    shown = sorted(
        (p for p in family if p.live and is_public(p, restricted)), key=lambda p: p.depth
    )
    translations, nearest = {}, {}
    for relative in shown:  # shallow first, so the deepest ancestor wins
        code = locales.get(relative.locale_id)
        if relative.translation_key == page.translation_key:
            translations[code] = relative
        elif relative.translation_key in ancestor_keys:
            nearest[code] = relative
    return Relatives(ancestors=ancestors, translations=translations, nearest=nearest)


def localized_pages(pages):
    """{page id: page.localized} for many pages, in one query where .localized costs two each."""
    try:
        language = get_supported_content_language_variant(get_language())
    except LookupError:  # not a content language: .localized keeps every page as it is
        return {page.pk: page for page in pages}
    translations = {
        translation.translation_key: translation
        for translation in Page.objects.filter(
            translation_key__in={page.translation_key for page in pages},
            locale__language_code=language,
            live=True,
        )
    }
    return {page.pk: translations.get(page.translation_key, page) for page in pages}


# Listings


def prefetch_renditions(images, specs=None):
    """Every image's renditions in one query, however many images a listing shows.

    Only those of `specs` if given: cards show six of the ten sizes made for each image.
    Wagtail takes prefetched renditions as all there are, so `specs` must cover every
    rendition the images are shown in.
    """
    images = [image for image in images if image is not None]
    if not images:
        return
    renditions = get_image_model().get_rendition_model().objects.all()
    if specs is not None:
        renditions = renditions.filter(filter_spec__in=specs)
    prefetch_related_objects(images, Prefetch("renditions", queryset=renditions))


def home_page_context(home, request):
    from pages.models import AchievementsPage, StoryPage
    from programmes.models import Partner, ProgrammeAreaPage

    areas = [
        link.area
        for link in home.featured_areas.select_related("area", "area__image")
        if link.area.live
    ]
    if not areas:
        areas = list(
            visible(ProgrammeAreaPage.objects.descendant_of(home), request).select_related("image")
        )

    figures = [block.value for block in home.featured_figures]
    if not figures:
        achievements = (
            visible(AchievementsPage.objects.descendant_of(home), request).only("figures").first()
        )
        if achievements:
            figures = [block.value for block in achievements.figures[:FIGURES_ON_HOME]]

    stories = list(
        visible(StoryPage.objects.descendant_of(home), request)
        .select_related("image")
        .order_by("-date", "-pk")[: home.latest_stories_count]
    )
    prefetch_renditions(
        [area.image for area in areas] + [story.image for story in stories], CARD_RENDITIONS
    )

    chrome = site_chrome(request)
    if (
        chrome["home"] is not None
        and chrome["home"].pk == home.pk
        and not getattr(request, "is_preview", False)
    ):
        partners = chrome["partners"]  # the footer lists the same ones
    else:
        partners = [
            link.partner
            for link in home.featured_partners.select_related("partner", "partner__logo")
        ]
    if not partners:
        partners = list(
            Partner.objects.filter(
                locale_id=home.locale_id,
                programme_links__page__path__startswith=home.path,
            )
            .distinct()
            .select_related("logo")
        )

    return {
        "featured_areas": areas,
        "figures": figures,
        "latest_stories": stories,
        "partners": partners,
    }


class ListingPaginator(Paginator):
    """Pages of a queryset in a total order, the last as cheap to read as the first.

    The database finds a page with OFFSET, stepping over every row before it: at --scale the
    last page of the story index took longer than the first by the whole length of the list.
    A page in the second half is read in the opposite order instead, from the far end (the
    same index, walked backwards), and turned back round. Only for an order without ties
    ("-date", "-pk"; a tree path), or the two directions could disagree about the rows.

    `counted`, if given, is a cheaper queryset of as many rows to count instead.
    """

    def __init__(self, object_list, per_page, *, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = counted

    @cached_property
    def count(self):
        if isinstance(self.counted, int):
            return self.counted
        return (self.object_list if self.counted is None else self.counted).count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        after = self.count - top  # rows after this page
        if after >= bottom:
            return self._get_page(self.object_list[bottom:top], number, self)
        rows = list(self.object_list.reverse()[after : self.count - bottom])
        rows.reverse()
        return self._get_page(rows, number, self)


def paginate(request, items, per_page, paginator_class=Paginator, **options):
    """A page of results; a bad or out-of-range ?page= gives the nearest sensible page."""
    paginator = paginator_class(items, per_page, **options)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def story_index_context(index, request):
    from pages.cache import kept
    from pages.models import StoryPage, StoryTag

    stories = (
        visible(StoryPage.objects.child_of(index), request)
        .select_related("image")
        .order_by("-date", "-pk")
    )
    # The same stories, counted in the page table alone: joining the stories' own wide rows
    # only to count them was most of the count's time at --scale.
    counted = visible(Page.objects.child_of(index).type(StoryPage), request)
    tag = request.GET.get("tag", "").strip()[:100]
    if tag:
        # No slug holds a NUL, and PostgreSQL refuses one in a query: a 500, not "no stories".
        if "\x00" in tag:
            stories, counted = stories.none(), counted.none()
        else:
            stories = stories.filter(tags__slug=tag)
            tagged = StoryTag.objects.filter(tag__slug=tag).values("content_object_id")
            counted = counted.filter(pk__in=tagged)
    else:
        # Counting every story of the index was a tenth of the page's time at --scale.
        counted = kept(request, f"story-count:{index.pk}", counted.count, tags={f"view:{index.pk}"})
    shown = paginate(request, stories, index.stories_per_page, ListingPaginator, counted=counted)
    shown.object_list = list(shown.object_list)
    prefetch_renditions([story.image for story in shown.object_list], CARD_RENDITIONS)
    return {
        "stories": shown,
        "current_tag": tag,
        "page_query": urlencode({"tag": tag}) if tag else "",
        "tags": story_tags(index, request),
    }


def story_tags(index, request):
    """The tags of the index's live stories, for its filter.

    Listing them reads every story of the index (5,000 at --scale 10000: the slowest query of
    the page, by far), so they are kept until a page below the index changes.
    """
    from pages.cache import kept
    from pages.models import StoryTag

    def listed():
        live_stories = Page.objects.filter(path__startswith=index.path, live=True)
        tagged = StoryTag.objects.filter(content_object_id__in=live_stories.values("pk"))
        return list(Tag.objects.filter(pk__in=tagged.values("tag_id")).order_by("name"))

    return kept(request, f"story-tags:{index.pk}", listed, tags={f"view:{index.pk}"})


def parent_sensitivities(request):
    """{path: sensitivity} of the pages whose descendants inherit it (pages.safeguarding).

    Kept until any page changes: the pages rendered with it show those pages as ancestors, and
    are purged with them.
    """
    from pages.cache import SENSITIVITIES_TAG, kept
    from pages.safeguarding import parent_choices

    return kept(
        request, "parent-sensitivities", parent_choices, tags={SENSITIVITIES_TAG}, shown=False
    )

"""Routing a page request in two queries whatever its depth, with the page's relatives.

`find_page` routes as Wagtail would, where Wagtail spends two queries per level. The first also
brings the page's ancestors and all their translations, which the language switcher, the
hreflang links and the breadcrumbs need (`relatives`).
"""

import functools
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Page, get_page_models
from wagtail.url_routing import RouteResult

from config import internals
from pages.chrome import is_public, site_chrome
from pages.renditions import prefetch_renditions


@dataclass
class Relatives:
    ancestors: list  # from the home page down, without the page itself
    translations: dict  # language code: the page in that language, live and public
    nearest: dict  # language code: the deepest ancestor translated into it, live and public


MAX_PAGE_DEPTH = 30


def find_page(request, path):
    """Route a page request as Wagtail would, in two queries whatever the page's depth.

    Decides what Page.route_for_request returns (config.internals.set_route), so Wagtail's
    serve view serves the page found here. Left to Wagtail when a page type routes on its own.
    """
    if internals.routed(request) or not _routes_by_url_path():
        return
    home = site_chrome(request)["home"]
    if home is None:
        return
    slugs = [slug for slug in path.split("/") if slug]
    if len(slugs) > MAX_PAGE_DEPTH:  # no page lies that deep; spare the database the long query
        internals.set_route(request, None)
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
        internals.set_route(request, None)  # Wagtail answers 404
        return
    page = _specific(found)
    chrome = site_chrome(request)
    relatives = _relate(page, family, chrome)
    request.__dict__.setdefault("_page_relatives", {})[page.pk] = relatives
    # Wagtail follows an alias to its original's restrictions: those are left to Wagtail.
    page.known_unrestricted = is_public(page, chrome["restricted_paths"]) and not any(
        p.alias_of_id for p in (page, *relatives.ancestors)
    )
    internals.set_route(request, RouteResult(page))


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

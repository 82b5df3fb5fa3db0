"""A full-page cache for anonymous visitors, emptied site by site when published content changes.

Pages are stored per site, scheme, host, path and query string in the "pages" cache (Redis when
REDIS_URL is set, local memory otherwise). Each Wagtail site (one organisation, in both its
languages) has a generation number in the shared cache, and a cached page is served only if it
was rendered in the current one. Rather than tracking which cached pages show which object, a
change moves the generation of every site that could show it, once the change is committed:

- publishing, unpublishing, moving or deleting a page, or changing who may view it: the page's
  own site, and the sites of pages that link to it (Wagtail's reference index knows them);
- a site's settings or its Site record: that site;
- a partner, an image, a document or a locale, which both organisations share: every site.

So a change on LIGHT makes every LIGHT page, menu, listing, feed and sitemap stale in both
languages, while LIFE keeps its cached pages. That is exact from the visitor's point of view:
nothing stale is ever served, and content changes are rare next to reads.

Each site also remembers when its generation last moved. Nothing a visitor sees on the site has
changed since, so that time is every page's and feed's Last-Modified: If-Modified-Since gets a
304 from Django's ConditionalGetMiddleware, as a matching ETag does.
"""

import hashlib
import logging
import time
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from wagtail.models import Page, ReferenceIndex, Site

logger = logging.getLogger(__name__)

UNCACHED_PREFIXES = ("/admin/", "/accounts/", "/documents/", "/healthz", "/static/", "/media/")
UNCACHED_SEGMENTS = ("/search/", "/accounts/")
SITELESS_PREFIXES = ("/healthz", "/static/", "/media/")
# The query parameters that pages read (listings' ?page= and ?tag=, the reports' ?year= and
# ?kind=). Pages asked for with any other, or with a long value, are rendered but not stored,
# so that made-up query strings cannot fill the cache.
CACHED_QUERY_PARAMETERS = {"page", "tag", "year", "kind"}
CACHED_QUERY_VALUE_LENGTH = 100
SITES_VERSION_KEY = "page-cache-sites"
SITE_LOOKUP_SECONDS = 60 * 60 * 24
NO_SITE = "none"  # cached for hosts that match no site, so that None means "not cached"
# The sites this worker has found for each (hostname, port), with the sites version they were
# found under: a cached page can then be looked up in the same round trip as its site's state.
KNOWN_HOSTS = {}
KNOWN_HOSTS_LIMIT = 100


def page_cache():
    return caches["pages"]


def generation_key(site_id):
    return f"page-cache-generation:{site_id}"


def changed_key(site_id):
    return f"page-cache-changed:{site_id}"


class SiteState(NamedTuple):
    generation: int
    changed_at: float  # a Unix time


def site_state(site_id):
    """The site's generation and when it last moved, shared by every worker.

    None when the shared cache cannot say (it is down): then pages are served uncached.
    """
    keys = [generation_key(site_id), changed_key(site_id)]
    found = shared_cache.get_many(keys)
    if len(found) < len(keys):
        # First use, or the shared cache lost them: what is rendered from now on is current.
        # A new generation starts from the clock, so it never meets pages cached under an old
        # number that the shared cache forgot.
        shared_cache.add(keys[0], time.time_ns(), timeout=None)
        shared_cache.add(keys[1], time.time(), timeout=None)
        found = shared_cache.get_many(keys)
    if len(found) < len(keys):
        return None
    return SiteState(found[keys[0]], found[keys[1]])


def request_site_state(request):
    """site_state() for the request's site, looked up once per request."""
    if not hasattr(request, "_page_cache_state"):
        site = find_site(request)
        request._page_cache_state = site_state(site.pk) if site else None
    return request._page_cache_state


def find_site(request):
    """Site.find_for_request, answered from the shared cache without touching the database.

    Wagtail keeps the site it finds on the request (request._wagtail_site), so setting it here
    spares every later lookup in the request. The lookups are kept per host and port under a
    version that any change to a Site record moves on.
    """
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    version = counter(SITES_VERSION_KEY)
    if version is None:
        return Site.find_for_request(request)
    hostname, port = host = host_and_port(request)
    key = f"page-cache-site:{version}:{hostname}:{port}"
    site = shared_cache.get(key)
    if site is None:
        site = Site.find_for_request(request) or NO_SITE
        shared_cache.set(key, site, SITE_LOOKUP_SECONDS)
    if site == NO_SITE:
        site = None
    elif host in KNOWN_HOSTS or len(KNOWN_HOSTS) < KNOWN_HOSTS_LIMIT:
        KNOWN_HOSTS[host] = (version, site)
    request._wagtail_site = site
    return site


def host_and_port(request):
    # get_host() refuses hosts outside ALLOWED_HOSTS (400), so visitors cannot fill the caches
    # with made-up ones.
    return split_domain_port(request.get_host())[0], request.get_port()


def counter(key):
    value = shared_cache.get(key)
    if value is None:
        shared_cache.add(key, time.time_ns(), timeout=None)
        value = shared_cache.get(key)
    return value


# Purging


def purge(**_kwargs):
    """Make every site's cached pages stale once the change is committed.

    Wired in PagesConfig.ready() to changes that both organisations' pages may show. Waiting for
    the commit matters: purged earlier, a request in between could cache the old content under
    the new generation.
    """
    transaction.on_commit(lambda: move_on(all_site_ids()))


def purge_sites(site_ids):
    site_ids = set(site_ids)
    transaction.on_commit(lambda: move_on(site_ids))


def purge_page(page):
    """Make stale every site that shows the page: its own, and those of pages linking to it."""
    purge_sites(sites_showing(page))


def purge_sites_list(**_kwargs):
    """After a change to a Site record, look up every host's site afresh."""
    transaction.on_commit(lambda: bump(SITES_VERSION_KEY))


def sites_showing(page):
    site_id = site_of(page)
    if site_id is None:  # not under any site's home page (yet): be safe
        return all_site_ids()
    sites = {site_id}
    page_type = ContentType.objects.get_for_model(Page)
    referrers = ReferenceIndex.get_references_to(page).values_list(
        "base_content_type_id", "object_id"
    )
    linking_pages = set()
    for content_type_id, object_id in referrers:
        if content_type_id != page_type.pk:  # a snippet or a setting may be shown anywhere
            return all_site_ids()
        linking_pages.add(object_id)
    for linking_page in Page.objects.filter(pk__in=linking_pages).only("url_path"):
        sites.add(site_of(linking_page))
    sites.discard(None)  # a linking page outside every site is shown nowhere
    return sites


def site_of(page):
    """The id of the site the page belongs to, from Wagtail's cached site root paths."""
    parts = page.get_url_parts() if page.url_path else None
    return parts[0] if parts else None


def all_site_ids():
    return set(Site.objects.values_list("pk", flat=True))


def move_on(site_ids):
    # The time first: a request that sees the new generation must not see the old time.
    for site_id in site_ids:
        try:
            shared_cache.set(changed_key(site_id), time.time(), timeout=None)
        except Exception:  # noqa: BLE001 - down: nothing is served from it either; publish goes on
            logger.warning("Could not move the page cache on", exc_info=True)
        bump(generation_key(site_id))


def bump(key):
    try:
        shared_cache.incr(key)
    except ValueError:  # not set yet: nothing is cached under it
        shared_cache.set(key, time.time_ns(), timeout=None)
    except Exception:  # noqa: BLE001 - down: nothing is served from it either; publish goes on
        logger.warning("Could not move the page cache on", exc_info=True)


# Serving


class CachedPage(NamedTuple):
    """A rendered page as stored: plain values, quicker to load than a pickled HttpResponse."""

    generation: int  # the site's generation it was rendered in; any other means stale
    status: int
    headers: list
    content: bytes

    @classmethod
    def of(cls, response, generation):
        return cls(generation, response.status_code, list(response.items()), response.content)

    def response(self):
        response = HttpResponse(self.content, status=self.status, headers=dict(self.headers))
        response["X-Page-Cache"] = "hit"
        return response


def page_key(site, request):
    # CachedPage's fields name the key: a release that changes them never reads older pages.
    # The path is hashed: a key of a bounded length, whatever a visitor sends.
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return ":".join(
        [
            "page",
            "-".join(CachedPage._fields),
            str(site.pk),
            request.scheme,
            request.get_host(),
            path,
        ]
    )


def cached_page(request):
    """The current cached page for the request, or None.

    On the way it settles the request's site and that site's state, as find_site() and
    request_site_state() would. When this worker has met the host before, that takes one round
    trip to the shared cache (one MGET on Redis): the sites version, which says whether the
    host still belongs to the same site, the site's generation and change time, and the page.
    """
    known = KNOWN_HOSTS.get(host_and_port(request))
    if known is not None:
        version, site = known
        state_keys = [SITES_VERSION_KEY, generation_key(site.pk), changed_key(site.pk)]
        key = page_key(site, request)
        found = fetch(state_keys, key)
        if found.get(SITES_VERSION_KEY) == version and all(k in found for k in state_keys):
            request._wagtail_site = site
            request._page_cache_state = SiteState(found[state_keys[1]], found[state_keys[2]])
            return current(found.get(key), request._page_cache_state)
    site = find_site(request)
    state = request_site_state(request)
    if site is None or state is None:
        return None
    return current(page_cache().get(page_key(site, request)), state)


def fetch(state_keys, key):
    # With Redis, pages and state share one store (config/settings/base.py): a single MGET.
    if settings.CACHES["pages"] == settings.CACHES["default"]:
        return shared_cache.get_many([*state_keys, key])
    found = shared_cache.get_many(state_keys)
    page = page_cache().get(key)
    if page is not None:
        found[key] = page
    return found


def current(page, state):
    return page if page is not None and page.generation == state.generation else None


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.path
    if path.startswith(UNCACHED_PREFIXES) or any(part in path for part in UNCACHED_SEGMENTS):
        return False
    if not all(
        name in CACHED_QUERY_PARAMETERS and len(value) <= CACHED_QUERY_VALUE_LENGTH
        for name, value in request.GET.items()
    ):
        return False
    # A session cookie means a signed-in (or signing-in) member of staff: never share pages.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_cacheable_response(request, response):
    cache_control = response.get("Cache-Control", "")
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not (user is not None and user.is_authenticated)
    )


class PageCacheMiddleware:
    """Serves anonymous visitors from the page cache, and fills it.

    It comes right after WhiteNoise and ConditionalGetMiddleware (config/settings/base.py), so a
    hit skips the rest of the middleware and costs about what a static file does; what the
    inner middleware adds to a response (security policy, language, framing) is stored with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(SITELESS_PREFIXES):
            return self.get_response(request)
        if not is_cacheable_request(request):
            find_site(request)  # so that nothing later in the request asks the database
            return self.get_response(request)
        page = cached_page(request)
        if page is not None and settings.PAGE_CACHE_SECONDS:
            return page.response()
        response = self.get_response(request)
        state = request_site_state(request)
        if state is not None and is_cacheable_response(request, response):
            # Browsers and proxies keep it but ask again each time (a cheap 304 via the ETag or
            # Last-Modified), so a published change shows on the very next request.
            patch_cache_control(response, public=True, no_cache=True)
            # Also replaces the feed framework's newest story date, which stays put when a
            # story is edited or unpublished.
            response["Last-Modified"] = http_date(state.changed_at)
            if settings.PAGE_CACHE_SECONDS:
                set_response_etag(response)  # here once, rather than on every hit
                stored = CachedPage.of(response, state.generation)
                key = page_key(find_site(request), request)
                page_cache().set(key, stored, settings.PAGE_CACHE_SECONDS)
                response["X-Page-Cache"] = "miss"
        return response

"""Serving anonymous visitors from the page cache, and filling it."""

from django.conf import settings
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from config import internals
from pagecache.edge import edge_headers
from pagecache.keys import noting, site_key, site_pages_key, stamps
from pagecache.sites import find_site
from pagecache.store import cached_page, request_clock, store_page

UNCACHED_PREFIXES = ("/admin/", "/accounts/", "/documents/", "/healthz", "/static/", "/media/")
UNCACHED_SEGMENTS = ("/search/", "/accounts/")
SITELESS_PREFIXES = ("/healthz", "/static/", "/media/")
# The query parameters that pages read (listings' ?page= and ?tag=, the reports' ?year= and
# ?kind=). Pages asked for with any other, or with a long value, are rendered but not stored,
# so that made-up query strings cannot fill the cache.
CACHED_QUERY_PARAMETERS = {"page", "tag", "year", "kind"}
CACHED_QUERY_VALUE_LENGTH = 100
# A response showing more pages than this takes its site's pages wholesale instead: any page
# change there purges it. A listing's page shows a few dozen.
KEYS_LIMIT = 64


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


def response_keys(request, shown, site):
    """The keys of what the response shows: its site, and the page's own or the site's pages."""
    route = internals.route_of(request)
    if route is None or len(shown) >= KEYS_LIMIT:
        return {site_key(site.pk), site_pages_key(site.pk)}
    return {*shown, f"view:{route.page.pk}", site_key(site.pk)}


class PageCacheMiddleware:
    """Serves anonymous visitors from the page cache, and fills it.

    It comes right after WhiteNoise, ConditionalGetMiddleware and the media files
    (config/settings/base.py), so a hit skips the rest of the middleware and costs about what a
    static file does; what the inner middleware adds to a response (security policy, language,
    framing) is stored with it.
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
        with noting() as shown:
            response = self.get_response(request)
        site, as_of = find_site(request), request_clock(request)
        if site is None or as_of is None or not is_cacheable_response(request, response):
            return response
        keys = response_keys(request, shown, site)
        stamped = stamps(keys)
        if stamped is None:
            return response
        # Browsers and proxies keep it but ask again each time (a cheap 304 via the ETag or
        # Last-Modified), so a published change shows on the very next request.
        patch_cache_control(response, public=True, no_cache=True)
        # Also replaces the feed framework's newest story date, which stays put when a story is
        # edited or unpublished.
        response["Last-Modified"] = http_date(max(stamped.values()) / 1e9)
        # A key purged while the page rendered: it may show the change or not; serve, not store.
        if settings.PAGE_CACHE_SECONDS and max(stamped.values()) <= as_of:
            edge_headers(response, keys)
            set_response_etag(response)  # here once, rather than on every hit
            store_page(request, site, response, as_of, keys)
            response["X-Page-Cache"] = "miss"
        return response

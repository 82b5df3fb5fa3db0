"""A full-page cache for anonymous visitors, emptied whenever published content changes.

Pages are stored per host, path and query string in the "pages" cache (Redis when REDIS_URL is
set, local memory otherwise). Rather than tracking which cached pages show which object, every
change that a visitor could see (publishing, unpublishing, moving or deleting a page, editing a
snippet, a setting, an image or a document) moves a shared generation number on, so the next
request of every page, in every language, is rendered afresh. That is exact from the visitor's
point of view: nothing stale is ever served, and content changes are rare next to reads.
"""

import logging

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import transaction
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache-generation"
UNCACHED_PREFIXES = ("/admin/", "/accounts/", "/documents/", "/healthz", "/static/", "/media/")
UNCACHED_SEGMENTS = ("/search/", "/accounts/")


def page_cache():
    return caches["pages"]


def generation():
    """Shared by every worker, so that a change published in one is seen by all.

    None when the shared cache cannot say (it is down): then pages are served uncached.
    """
    return shared_cache.get(GENERATION_KEY) or (shared_cache.add(GENERATION_KEY, 1, None) and 1)


def purge(**_kwargs):
    """Make every cached page stale once the change is committed.

    Wired to content changes in PagesConfig.ready(). Waiting for the commit matters: purged
    earlier, a request in between could cache the old content under the new generation.
    """
    transaction.on_commit(next_generation)


def next_generation():
    try:
        shared_cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet: nothing is cached under a generation
        shared_cache.set(GENERATION_KEY, 2, timeout=None)
    except Exception:  # noqa: BLE001 - down: nothing is served from it either; publish goes on
        logger.warning("Could not move the page cache on", exc_info=True)


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.path
    if path.startswith(UNCACHED_PREFIXES) or any(part in path for part in UNCACHED_SEGMENTS):
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
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not is_cacheable_request(request):
            return self.get_response(request)
        current = generation()
        if not current:  # the shared cache cannot say which pages are current
            return self.get_response(request)
        key = f"page:{current}:{request.get_host()}:{request.get_full_path()}"
        response = page_cache().get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            # Browsers and proxies keep it but ask again each time (a cheap 304 via the ETag),
            # so a published change shows on the very next request.
            patch_cache_control(response, public=True, no_cache=True)
            response["X-Page-Cache"] = "miss"
            page_cache().set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

"""Responses and computed values, kept in the shared cache while nothing they show is purged."""

import hashlib
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.http import HttpResponse

from config import internals
from config.compression import PRECOMPRESSED, encoded_bodies
from pagecache.keys import CLOCK_KEY, clock, is_fresh, note, noting, site_key, stamp_name, stamps
from pagecache.sites import HOSTS_SEEN, SITES_VERSION_KEY, find_site, host_and_port

KEPT_SECONDS = 60 * 60 * 24
# The keys of the pages and values this worker has read, so that the next read of one fetches
# their stamps in the same round trip.
KEYS_SEEN = {}
KEYS_SEEN_LIMIT = 10_000


def page_cache():
    """Rendered pages: Redis with REDIS_URL (the same store as the stamps), else local memory."""
    return caches["pages"]


def request_clock(request):
    """The clock's reading as the request began: what it renders is fresh as of then.

    None while the shared cache cannot say: then nothing is served from it or stored.
    """
    if not hasattr(request, "_page_cache_as_of"):
        request._page_cache_as_of = clock()
    return request._page_cache_as_of


def remember_keys(name, keys):
    if KEYS_SEEN.get(name) != keys:
        if len(KEYS_SEEN) >= KEYS_SEEN_LIMIT:
            KEYS_SEEN.clear()
        KEYS_SEEN[name] = keys


def fresh(name, stored, found=None):
    """stored (a CachedPage or Kept) if none of its keys was purged since it was made, else None.

    Its keys are remembered, so that the next read of the name fetches their stamps with it.
    """
    if stored is None:
        return None
    remember_keys(name, stored.keys)
    return stored if is_fresh(stored.as_of, stored.keys, found) else None


# Values


class Kept(NamedTuple):
    as_of: int
    keys: frozenset
    value: object


def kept(request, name, compute, *, keys=(), shown=True):
    """compute(), kept in the shared cache until its site or one of its keys is purged.

    Its keys are those noted while computing, `keys` and the request's site. With `shown`, a
    response showing the value shows what it was computed from: it takes the keys on. Computed
    every time while the shared cache cannot say.
    """
    as_of = request_clock(request)
    if as_of is None:
        return compute()
    name = f"kept:{name}"
    found = shared_cache.get_many([name, *(stamp_name(key) for key in KEYS_SEEN.get(name, ()))])
    stored = fresh(name, found.get(name), found)
    if stored is not None:
        value, value_keys = stored.value, stored.keys
    else:
        with noting() as value_keys:
            value = compute()
        value_keys.update(keys)
        site = find_site(request)
        if site is not None:
            value_keys.add(site_key(site.pk))
        stamped = stamps(value_keys)
        if stamped is not None and max(stamped.values(), default=0) <= as_of:
            value_keys = frozenset(value_keys)
            shared_cache.set(name, Kept(as_of, value_keys, value), KEPT_SECONDS)
            remember_keys(name, value_keys)
    if shown:
        note(*value_keys)
    return value


# Pages


class CachedPage(NamedTuple):
    """A rendered page as stored: plain values, quicker to load than a pickled HttpResponse."""

    as_of: int  # the clock's reading as it began to render
    keys: tuple  # what it shows; any purged after as_of means stale
    status: int
    headers: list
    content: bytes
    encoded: dict  # {"br": body, "gzip": body}: compressed once, here, for every hit

    @classmethod
    def of(cls, response, as_of, keys):
        return cls(
            as_of,
            tuple(sorted(keys)),
            response.status_code,
            list(response.items()),
            response.content,
            encoded_bodies(response),
        )

    def response(self):
        response = HttpResponse(self.content, status=self.status, headers=dict(self.headers))
        response["X-Page-Cache"] = "hit"
        setattr(response, PRECOMPRESSED, self.encoded)
        return response


def page_name(site, request):
    # CachedPage's fields name the entry: a release that changes them never reads older pages.
    # The path is hashed: a name of a bounded length, whatever a visitor sends.
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    fields = "-".join(CachedPage._fields)
    return ":".join(["page", fields, str(site.pk), request.scheme, request.get_host(), path])


def cached_page(request):
    """The fresh cached page for the request, or None.

    On the way it settles the request's site and clock reading, as find_site() and
    request_clock() would. When this worker has met the host and the page before, that takes
    one round trip to the shared cache (one MGET on Redis): the sites version, which says
    whether the host still belongs to the same site; the clock; the page and its keys' stamps.
    """
    seen = HOSTS_SEEN.get(host_and_port(request))
    if seen is not None:
        version, site = seen
        name = page_name(site, request)
        stamp_names = [stamp_name(key) for key in KEYS_SEEN.get(name, ())]
        found = fetch([SITES_VERSION_KEY, CLOCK_KEY, *stamp_names], name)
        if found.get(SITES_VERSION_KEY) == version and CLOCK_KEY in found:
            internals.set_site(request, site)
            request._page_cache_as_of = found[CLOCK_KEY]
            return fresh(name, found.get(name), found)
    site = find_site(request)
    if site is None or request_clock(request) is None:
        return None
    name = page_name(site, request)
    return fresh(name, page_cache().get(name))


def fetch(names, page):
    # With Redis, pages and stamps share one store (config/settings/base.py): a single MGET.
    if settings.CACHES["pages"] == settings.CACHES["default"]:
        return shared_cache.get_many([*names, page])
    found = shared_cache.get_many(names)
    stored = page_cache().get(page)
    if stored is not None:
        found[page] = stored
    return found


def store_page(request, site, response, as_of, keys):
    name, page = page_name(site, request), CachedPage.of(response, as_of, keys)
    page_cache().set(name, page, settings.PAGE_CACHE_SECONDS)
    remember_keys(name, page.keys)
    setattr(response, PRECOMPRESSED, page.encoded)

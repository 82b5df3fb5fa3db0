"""A full-page cache for anonymous visitors, purged by what each page shows.

Pages are stored per site, scheme, host, path and query string in the "pages" cache (Redis when
REDIS_URL is set, local memory otherwise), and served only while nothing they show has changed.

What a page shows is noted while it renders, as tags:
- `page:<id>` for every page whose row it loads (a post_init receiver notes them): the page
  itself, its translations and ancestors (language links, breadcrumbs), the pages it lists or
  links to, and those the site's menus show; and likewise `<model>:<id>` for the partners,
  images, documents and story tags it loads, which both organisations share;
- `view:<id>` for the page served, whose listings can take in pages it did not load;
- `children:<id>` for the home page, whose children are the menu;
- `site:<id>` for the responses that are no page's (feeds, the sitemap), or that show more pages
  than are worth listing.

Each tag holds the reading of a shared clock when it was last purged, and a cached page the
reading from when it began to render: it is current while none of its tags is newer.
Publishing, unpublishing, moving or deleting a page purges, once committed (`Purge`), in both
languages: the page; the own pages of its ancestors, its translations' ancestors and the pages
it links to (listings it may join or leave; a programme lists the stories linking to it); its
parent's children; its site's feeds and sitemap. Nothing else moves: publishing a story leaves
the other stories, the programmes and the other organisation's site cached. Changing a shared
object purges the pages that loaded it.

What every page of a site shows without loading a row (its settings and private sections, the
locales) moves a site generation instead: pages cached in an older generation of their site
are stale.

Last-Modified is the latest of the site's generation move and the page's tags' purges; Django's
ConditionalGetMiddleware answers If-Modified-Since and If-None-Match with a 304.
"""

import hashlib
import logging
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from wagtail.models import Page, ReferenceIndex, Site

from config import internals

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
CLOCK_KEY = "page-cache-clock"
SITE_LOOKUP_SECONDS = 60 * 60 * 24
KEPT_SECONDS = 60 * 60 * 24
NO_SITE = "none"  # cached for hosts that match no site, so that None means "not cached"
# A response showing more pages than this is tagged with its site instead: any page change there
# purges it. A listing's page shows a few dozen.
TAGS_LIMIT = 64
# The sites this worker has found for each (hostname, port), with the sites version they were
# found under: a cached page can then be looked up in the same round trip as its site's state.
KNOWN_HOSTS = {}
KNOWN_HOSTS_LIMIT = 100
# The tags of the pages and values this worker has read from the cache, so that the next read
# fetches their versions in the same round trip.
KNOWN_TAGS = {}
KNOWN_TAGS_LIMIT = 10_000
SENSITIVITIES_TAG = "sensitivities"


def page_cache():
    return caches["pages"]


def generation_key(site_id):
    return f"page-cache-generation:{site_id}"


def changed_key(site_id):
    return f"page-cache-changed:{site_id}"


def tag_key(tag):
    return f"page-cache-tag:{tag}"


class SiteState(NamedTuple):
    generation: int
    changed_at: float  # a Unix time
    clock: int  # the clock's reading as the request began


def site_state(site_id):
    """The site's generation, when it last moved, and the clock; shared by every worker.

    None when the shared cache cannot say (it is down): then pages are served uncached.
    """
    keys = [generation_key(site_id), changed_key(site_id), CLOCK_KEY]
    found = shared_cache.get_many(keys)
    if len(found) < len(keys):
        # First use, or the shared cache lost them: what is rendered from now on is current.
        # A new generation starts from the clock, so it never meets pages cached under an old
        # number that the shared cache forgot.
        shared_cache.add(keys[0], time.time_ns(), timeout=None)
        shared_cache.add(keys[1], time.time(), timeout=None)
        shared_cache.add(keys[2], time.time_ns(), timeout=None)
        found = shared_cache.get_many(keys)
    if len(found) < len(keys):
        return None
    return SiteState(*(found[key] for key in keys))


def request_site_state(request):
    """site_state() for the request's site, looked up once per request."""
    if not hasattr(request, "_page_cache_state"):
        site = find_site(request)
        request._page_cache_state = site_state(site.pk) if site else None
    return request._page_cache_state


def find_site(request):
    """Site.find_for_request, answered from the shared cache without touching the database.

    Wagtail keeps the site it finds on the request (config.internals.set_site), so setting it
    here spares every later lookup in the request. The lookups are kept per host and port under a
    version that any change to a Site record moves on.
    """
    if internals.site_looked_up(request):
        return internals.known_site(request)
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
    internals.set_site(request, site)
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


# Tags: what a response shows

shown_tags = ContextVar("shown_tags", default=None)


@contextmanager
def noting():
    """Collect the tags of what is shown within the block, into the set it yields."""
    tags = set()
    token = shown_tags.set(tags)
    try:
        yield tags
    finally:
        shown_tags.reset(token)


def note(*tags):
    noted = shown_tags.get()
    if noted is not None:
        noted.update(tags)


def shown_tag(instance):
    if isinstance(instance, Page):
        return f"page:{instance.pk}"
    return f"{instance._meta.label_lower}:{instance.pk}"


def note_shown(sender, instance, **kwargs):
    """Connected to post_init of pages and shared objects: what loads while rendering is shown."""
    noted = shown_tags.get()
    if noted is not None and instance.pk is not None:
        noted.add(shown_tag(instance))


def purge_shown(sender, instance, **kwargs):
    """Purge the pages that show a shared object (a partner, image, document or tag)."""
    tag = shown_tag(instance)
    transaction.on_commit(lambda: expire({tag}))


def tag_versions(tags):
    """{tag: the clock's reading when it was last purged}, or None if the cache cannot say.

    A tag the cache does not hold (never purged, or forgotten) starts at the clock's current
    reading, so that anything rendered before then counts as stale.
    """
    keys = {tag_key(tag): tag for tag in tags}
    found = shared_cache.get_many(keys)
    if len(found) < len(keys):
        now = counter(CLOCK_KEY)
        for key in keys.keys() - found.keys():
            shared_cache.add(key, now, timeout=None)
        found = shared_cache.get_many(keys)
    if len(found) < len(keys):
        return None
    return {keys[key]: version for key, version in found.items()}


def is_current(as_of, tags, found=None):
    """Whether none of the tags was purged after the clock read as_of.

    `found` holds the versions already read, by tag key; the rest are read in one round trip.
    """
    found = found or {}
    missing = [tag_key(tag) for tag in tags if tag_key(tag) not in found]
    if missing:
        found = {**found, **shared_cache.get_many(missing)}
    return all(found.get(tag_key(tag), as_of + 1) <= as_of for tag in tags)


class Kept(NamedTuple):
    as_of: int
    tags: frozenset
    value: object


def kept(request, key, compute, *, tags=(), shown=True):
    """compute(), kept in the shared cache until its site moves on or its tags are purged.

    Its tags are those noted while computing, and `tags`. With `shown`, a response showing the
    value shows what it was computed from: it takes the tags on. Computed every time while the
    shared cache cannot say.
    """
    state = request_site_state(request)
    if state is None:
        return compute()
    key = f"{key}:{state.generation}"
    found = shared_cache.get_many([key, *(tag_key(tag) for tag in KNOWN_TAGS.get(key, ()))])
    stored = unpurged(key, found.get(key), found)
    if stored is not None:
        value, value_tags = stored.value, stored.tags
    else:
        with noting() as value_tags:
            value = compute()
        value_tags.update(tags)
        versions = tag_versions(value_tags)
        if versions is not None and max(versions.values(), default=0) <= state.clock:
            value_tags = frozenset(value_tags)
            shared_cache.set(key, Kept(state.clock, value_tags, value), KEPT_SECONDS)
            remember_tags(key, value_tags)
    if shown:
        note(*value_tags)
    return value


# Purging


class Purge:
    """Pages changed, purged once their transaction commits (see the module's docstring).

    Each change queues its page and asks for a run on commit; the first run purges everything
    queued, so that deleting a section, which signals each of its pages, costs a few queries.
    The queue is the thread's, as a transaction is. What a rolled-back transaction queued is
    purged with the next commit: needless, and harmless.
    """

    queued = threading.local()

    @classmethod
    def page(cls, page, moved_from=None):
        if not hasattr(cls.queued, "pages"):
            cls.queued.pages, cls.queued.former_parents = {}, set()
        cls.queued.pages[page.pk] = (page.path, page.translation_key)
        if moved_from is not None:
            cls.queued.former_parents.add(moved_from.path)
        # Waiting for the commit matters: purged earlier, a request in between could cache the
        # old content as current. Outside a transaction, this runs at once.
        transaction.on_commit(cls.run)

    @classmethod
    def run(cls):
        pages = getattr(cls.queued, "pages", None)
        if not pages:
            return
        former_parents = cls.queued.former_parents
        del cls.queued.pages, cls.queued.former_parents
        expire(cls.tags(pages, former_parents))

    @staticmethod
    def tags(pages, former_parents):
        steplen = Page.steplen
        translations = Page.objects.filter(
            translation_key__in={key for _path, key in pages.values()}
        ).exclude(pk__in=pages)
        paths = [path for path, _key in pages.values()]
        paths += translations.values_list("path", flat=True)
        parents = {path[:-steplen] for path in paths} | former_parents
        lineage = {path[:end] for path in parents for end in range(steplen, len(path) + 1, steplen)}
        tags = {f"page:{pk}" for pk in pages} | {SENSITIVITIES_TAG}
        for pk, path, url_path in Page.objects.filter(path__in=lineage).values_list(
            "pk", "path", "url_path"
        ):
            tags.add(f"view:{pk}")
            if path in parents:
                tags.add(f"children:{pk}")
            tags.update(f"site:{site_id}" for site_id in sites_under(url_path))
        page_type = ContentType.objects.get_for_model(Page)
        linked = ReferenceIndex.objects.filter(
            base_content_type=page_type,
            object_id__in=[str(pk) for pk in pages],
            to_content_type=page_type,
        ).values_list("to_object_id", flat=True)
        tags.update(f"view:{pk}" for pk in linked)
        return tags


def purge_page(page, *, moved_from=None):
    """Purge what shows the page once the change is committed; moved_from: its former parent."""
    Purge.page(page, moved_from)


def sites_under(url_path):
    """The sites the page at url_path belongs to (one, unless site roots nest)."""
    return {
        root.site_id for root in Site.get_site_root_paths() if url_path.startswith(root.root_path)
    }


def expire(tags):
    """Move the clock on, and every tag to its new reading."""
    if not tags:
        return
    now = time.time_ns()
    try:
        try:
            reading = shared_cache.incr(CLOCK_KEY)
        except ValueError:  # not set yet
            shared_cache.add(CLOCK_KEY, now, timeout=None)
            reading = shared_cache.incr(CLOCK_KEY)
        if reading < now:  # the readings stand for times too: Last-Modified
            reading = shared_cache.incr(CLOCK_KEY, now - reading)
        keys = [tag_key(tag) for tag in tags]
        if hasattr(shared_cache, "raise_many"):
            shared_cache.raise_many(keys, reading)  # atomic: a slower purge never lowers a tag
        else:
            shared_cache.set_many(dict.fromkeys(keys, reading), timeout=None)
    except Exception:  # noqa: BLE001 - down: nothing is served from it either; the change stands
        logger.warning("Could not purge the page cache", exc_info=True)


def purge(**_kwargs):
    """Make every site's cached pages stale once the change is committed.

    Wired in PageCacheConfig.ready() to changes that both organisations' pages may show.
    """
    transaction.on_commit(lambda: move_on(all_site_ids()))


def purge_changed_page(sender, instance, **kwargs):
    purge_page(instance)


def purge_moved_page(sender, instance, parent_page_before, **kwargs):
    purge_page(instance, moved_from=parent_page_before)


def purge_restricted_site(sender, instance, **kwargs):
    """Every page of the site knows the private sections: their pages are left out of lists."""
    page = Page.objects.filter(pk=instance.page_id).only("url_path").first()
    if page is not None:  # else the page is being deleted, which purges on its own
        purge_sites(sites_under(page.url_path))


def purge_settings_site(sender, instance, **kwargs):
    purge_sites([instance.site_id])


def purge_site(sender, instance, **kwargs):
    purge_sites_list()
    purge_sites([instance.pk])


def purge_when_changed(model, receiver):
    """Call receiver(sender, instance) once an instance of model is saved or deleted."""
    for signal in (post_save, post_delete):
        signal.connect(receiver, sender=model, dispatch_uid=f"page-cache-{signal}-{model}")


def watch_shown(model):
    """Note the instances of model that a page loads, and purge those pages when one changes.

    For what both organisations' pages may show beside pages: partners, images, documents, tags.
    """
    post_init.connect(note_shown, sender=model, dispatch_uid=f"page-cache-shown-{model}")
    purge_when_changed(model, purge_shown)


def watch_site_settings(model):
    """Every page of a site shows its settings (model has a site): a change moves the site on."""
    purge_when_changed(model, purge_settings_site)


def purge_sites(site_ids):
    site_ids = set(site_ids)
    transaction.on_commit(lambda: move_on(site_ids))


def purge_sites_list(**_kwargs):
    """After a change to a Site record, look up every host's site afresh."""
    transaction.on_commit(lambda: bump(SITES_VERSION_KEY))


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
    as_of: int  # the clock's reading as it began to render
    tags: tuple  # what it shows; any tag purged after as_of means stale
    status: int
    headers: list
    content: bytes

    @classmethod
    def of(cls, response, state, tags):
        return cls(
            state.generation,
            state.clock,
            tuple(sorted(tags)),
            response.status_code,
            list(response.items()),
            response.content,
        )

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
    request_site_state() would. When this worker has met the host and the page before, that
    takes one round trip to the shared cache (one MGET on Redis): the sites version, which says
    whether the host still belongs to the same site; the site's generation, change time and the
    clock; the page, and its tags' versions.
    """
    known = KNOWN_HOSTS.get(host_and_port(request))
    if known is not None:
        version, site = known
        state_keys = [SITES_VERSION_KEY, generation_key(site.pk), changed_key(site.pk), CLOCK_KEY]
        key = page_key(site, request)
        tag_keys = [tag_key(tag) for tag in KNOWN_TAGS.get(key, ())]
        found = fetch([*state_keys, *tag_keys], key)
        if found.get(SITES_VERSION_KEY) == version and all(k in found for k in state_keys):
            internals.set_site(request, site)
            request._page_cache_state = SiteState(*(found[k] for k in state_keys[1:]))
            return current(key, found.get(key), request._page_cache_state, found)
    site = find_site(request)
    state = request_site_state(request)
    if site is None or state is None:
        return None
    key = page_key(site, request)
    return current(key, page_cache().get(key), state)


def fetch(keys, key):
    # With Redis, pages and state share one store (config/settings/base.py): a single MGET.
    if settings.CACHES["pages"] == settings.CACHES["default"]:
        return shared_cache.get_many([*keys, key])
    found = shared_cache.get_many(keys)
    page = page_cache().get(key)
    if page is not None:
        found[key] = page
    return found


def current(key, page, state, found=None):
    if page is None or page.generation != state.generation:
        return None
    return unpurged(key, page, found)


def unpurged(key, stored, found=None):
    """stored (a CachedPage or a Kept value) if none of its tags was purged since, else None.

    Its tags are remembered, so that the next read of the key fetches their versions with it.
    """
    if stored is None:
        return None
    remember_tags(key, stored.tags)
    return stored if is_current(stored.as_of, stored.tags, found) else None


def remember_tags(key, tags):
    if KNOWN_TAGS.get(key) != tags:
        if len(KNOWN_TAGS) >= KNOWN_TAGS_LIMIT:
            KNOWN_TAGS.clear()
        KNOWN_TAGS[key] = tags


def response_tags(request, shown, site):
    route = internals.route_of(request)
    if route is None or len(shown) >= TAGS_LIMIT:
        return {f"site:{site.pk}"}
    return {*shown, f"view:{route.page.pk}"}


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
        with noting() as shown:
            response = self.get_response(request)
        state = request_site_state(request)
        if state is None or not is_cacheable_response(request, response):
            return response
        site = find_site(request)
        tags = response_tags(request, shown, site)
        versions = tag_versions(tags)
        if versions is None:
            return response
        # Browsers and proxies keep it but ask again each time (a cheap 304 via the ETag or
        # Last-Modified), so a published change shows on the very next request.
        patch_cache_control(response, public=True, no_cache=True)
        # Also replaces the feed framework's newest story date, which stays put when a story is
        # edited or unpublished.
        changed_at = max(state.changed_at, max(versions.values()) / 1e9)
        response["Last-Modified"] = http_date(changed_at)
        # A tag purged while the page rendered: it may show the change or not; serve, not store.
        if settings.PAGE_CACHE_SECONDS and max(versions.values()) <= state.clock:
            set_response_etag(response)  # here once, rather than on every hit
            key = page_key(site, request)
            page_cache().set(key, CachedPage.of(response, state, tags), settings.PAGE_CACHE_SECONDS)
            remember_tags(key, tuple(sorted(tags)))
            response["X-Page-Cache"] = "miss"
        return response

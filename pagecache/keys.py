"""Surrogate keys: names for what a response shows, and when each was last purged.

A response shows, and is stored with, the keys of:
- `page:<id>`: every page whose row it loads (the page itself, its translations and ancestors,
  the pages it lists or links to, the menu's pages), noted as each row loads (`note_shown`);
- `<app.model>:<id>`: likewise the partners, images, documents and story tags it loads;
- `view:<id>`: the page served, whose listings can take in pages it never loaded;
- `children:<id>`: the home page, whose children are the menu;
- `sensitivities`: the pages whose children inherit a sensitivity;
- `site:<id>`: its site, which every response of the site shows (settings, private sections);
- `site-pages:<id>`: for responses that show the site's pages wholesale (feeds, the sitemap,
  a listing too long to name each page).

Purging a key stamps it with a reading of a shared clock (nanoseconds, never behind the time);
a response or value stored with the clock's reading from when it began to render stays fresh
while none of its keys has a later stamp. Keys are the strings an edge cache's surrogate keys
take (no spaces), so an edge in front can be purged by the same names.
"""

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache as shared_cache
from wagtail.models import Page

from pagecache.edge import purge_edge

logger = logging.getLogger(__name__)

CLOCK_KEY = "page-cache-clock"
SENSITIVITIES = "sensitivities"


def site_key(site_id):
    return f"site:{site_id}"


def site_pages_key(site_id):
    return f"site-pages:{site_id}"


def stamp_name(key):
    """Where the shared cache keeps a key's stamp."""
    return f"page-cache-key:{key}"


def key_of(instance):
    if isinstance(instance, Page):
        return f"page:{instance.pk}"
    return f"{instance._meta.label_lower}:{instance.pk}"


# Noting what is shown

_noted = ContextVar("page_cache_noted", default=None)


@contextmanager
def noting():
    """Collect the keys of what is shown within the block, into the set it yields."""
    keys = set()
    token = _noted.set(keys)
    try:
        yield keys
    finally:
        _noted.reset(token)


def note(*keys):
    noted = _noted.get()
    if noted is not None:
        noted.update(keys)


def note_shown(sender, instance, **kwargs):
    """Connected to post_init of pages and shared objects: what loads while rendering is shown."""
    noted = _noted.get()
    if noted is not None and instance.pk is not None:
        noted.add(key_of(instance))


# The clock and the stamps


def counter(name):
    """A number kept in the shared cache, started from the time (so that one the cache forgot
    is never taken up again); None while the shared cache cannot say."""
    value = shared_cache.get(name)
    if value is None:
        shared_cache.add(name, time.time_ns(), timeout=None)
        value = shared_cache.get(name)
    return value


def clock():
    """The clock's reading, or None while the shared cache cannot say."""
    return counter(CLOCK_KEY)


def stamps(keys):
    """{key: its stamp}, or None if the shared cache cannot say.

    A key the cache does not hold (never purged, or forgotten) is stamped with the clock's
    reading now, so that anything rendered before counts as stale.
    """
    names = {stamp_name(key): key for key in keys}
    found = shared_cache.get_many(names)
    if len(found) < len(names):
        now = clock()
        if now is None:
            return None
        for name in names.keys() - found.keys():
            shared_cache.add(name, now, timeout=None)
        found = shared_cache.get_many(names)
    if len(found) < len(names):
        return None
    return {names[name]: stamp for name, stamp in found.items()}


def is_fresh(as_of, keys, found=None):
    """Whether none of the keys was purged after the clock read as_of.

    `found` holds stamps already read, by stamp name; the rest are read in one round trip.
    """
    found = found or {}
    missing = [stamp_name(key) for key in keys if stamp_name(key) not in found]
    if missing:
        found = {**found, **shared_cache.get_many(missing)}
    return all(found.get(stamp_name(key), as_of + 1) <= as_of for key in keys)


def purge(keys):
    """Move the clock on, and stamp each key with its new reading. Never raises."""
    if not keys:
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
        names = [stamp_name(key) for key in keys]
        if hasattr(shared_cache, "raise_many"):
            shared_cache.raise_many(names, reading)  # atomic: a slower purge never lowers one
        else:
            shared_cache.set_many(dict.fromkeys(names, reading), timeout=None)
    except Exception:  # noqa: BLE001 - down: nothing is served from it either; the change stands
        logger.warning("Could not purge the page cache", exc_info=True)
    purge_edge(keys)

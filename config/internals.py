"""Every use of Django's and Wagtail's private attributes, in one place.

Each saves work that no public API can spare: a query per request, a cache round trip, a log
line per request of an outage. Each was checked against Django 5.2 and Wagtail 8.0, and
`tests/test_internals.py` fails when a release changes what it relies on; no other module may
use them (the same test checks).
"""

import time

from allauth.account.internal.flows.login import get_authentication_records
from django.core.cache.backends.redis import RedisCacheClient
from django.db import transaction

# Wagtail 8.0: Page.route_for_request keeps its answer on the request under this name and reads
# it back before routing (wagtail/models/pages.py); Site.find_for_request likewise
# (wagtail/models/sites.py).
_ROUTE = "_wagtail_route_for_request"
_SITE = "_wagtail_site"


def routed(request):
    """Whether Wagtail's routing has been decided for this request."""
    return hasattr(request, _ROUTE)


def route_of(request):
    """The RouteResult Wagtail will serve, if routing has been decided; else None."""
    return getattr(request, _ROUTE, None)


def set_route(request, route):
    """Decide the routing for Wagtail: it serves `route` (a RouteResult), or 404 for None."""
    setattr(request, _ROUTE, route)


def site_looked_up(request):
    """Whether the request's Site has been looked up (it may be None: no site has the host)."""
    return hasattr(request, _SITE)


def known_site(request):
    """The Site already found for this request, or None."""
    return getattr(request, _SITE, None)


def set_site(request, site):
    """Hand Wagtail the request's Site, so that Site.find_for_request asks nothing more."""
    setattr(request, _SITE, site)


def remember_settings(request, site_settings):
    """What BaseSiteSetting.for_request does with the settings it loads (Wagtail 8.0), for
    settings loaded another way: later lookups in the request, and the settings' page URLs,
    use them."""
    site_settings._request = request
    setattr(request, site_settings.get_cache_attr_name(), site_settings)


def csrf_checks_skipped(request):
    """Whether Django 5.2 skips CSRF checks for the request, as it does for its test client."""
    return getattr(request, "_dont_enforce_csrf_checks", False)


def mark_logged(response):
    """Django 5.2's log_response skips a response so marked (django/utils/log.py)."""
    response._has_been_logged = True


def awaits_commit(callback, using=None):
    """Whether callback was handed to transaction.on_commit and neither ran nor was rolled back.

    Django 5.2 keeps the callbacks still to run as (savepoint ids, callback, robust) in the
    connection's run_on_commit, as TestCase.captureOnCommitCallbacks reads them.
    """
    pending = transaction.get_connection(using).run_on_commit
    return any(registered == callback for _savepoints, registered, _robust in pending)


def stop_selecting(query, names):
    """Keep the annotations `names` in the query's WHERE, but no longer in its SELECT.

    What QuerySet.alias() does for an annotation not yet added (Django 5.2, Query API).
    """
    selected = set(query.annotation_select)
    if selected & set(names):
        query.set_annotation_mask(selected - set(names))


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django 5.2's Redis client, keeping one redis.Redis per connection pool.

    Django builds a new redis.Redis for every cache call (RedisCacheClient.get_client), which
    fills a table of response callbacks each time. A client is safe to share between threads:
    its connection pool hands each command a connection.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def use_shared_clients(cache):
    """Make a django.core.cache.backends.redis.RedisCache build SharedClientRedisCacheClient."""
    cache._class = SharedClientRedisCacheClient


def redis_client(cache, *, write=False):
    """The redis.Redis behind a RedisCache, for commands Django's cache API does not have."""
    return cache._cache.get_client(write=write)


# The demo's bulk writer (demo/scale.py) adds thousands of pages in a few queries a batch, as
# Wagtail's add_child would one at a time: treebeard 5.3's path arithmetic, Django 5.2's
# multi-table insert, modelcluster 6.5's unsaved inline objects.


def tree_step(model, path_segment):
    """The number a segment of a treebeard model's path stands for."""
    return model._str2int(path_segment)


def tree_path(model, parent_path, depth, step):
    """The treebeard path of a parent's child at a step."""
    return model._get_path(parent_path, depth, step)


def insert_rows(model, objects, fields, returning_fields=None):
    """INSERT the objects' rows into model's own table alone (not its parents')."""
    return model._base_manager._insert(objects, fields=fields, returning_fields=returning_fields)


def inline_objects_set(instance):
    """The names of the inline (cluster) relations whose objects were set on the instance."""
    return set(getattr(instance, "_cluster_related_objects", {}))


def set_file_metadata(document):
    """What Wagtail 8.0's document form sets from the file: its size and hash."""
    document._set_document_file_metadata()


# django-allauth 65: the session's sign-ins and reauthentications, newest last, each with its
# time ("at"); allauth keeps them in its own session keys (allauth/account/internal/flows).
def authenticated_within(request, seconds):
    """Whether the user signed in, or confirmed their password, in the last `seconds`."""
    records = get_authentication_records(request, request.user)
    return bool(records) and time.time() - records[-1]["at"] < seconds

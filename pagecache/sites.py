"""Which site a request is for, answered from the shared cache without touching the database."""

import logging

from django.core.cache import cache as shared_cache
from django.http.request import split_domain_port
from wagtail.models import Site

from config import internals
from pagecache.keys import counter

logger = logging.getLogger(__name__)

# Moved on whenever a Site record changes, so that every host is looked up afresh.
SITES_VERSION_KEY = "page-cache-sites"
SITE_LOOKUP_SECONDS = 60 * 60 * 24
NO_SITE = "none"  # cached for hosts that match no site, so that None means "not cached"
# The sites this worker has found for each (hostname, port), with the sites version they were
# found under: a cached page can then be looked up in the same round trip as the version.
HOSTS_SEEN = {}
HOSTS_SEEN_LIMIT = 100


def host_and_port(request):
    # get_host() refuses hosts outside ALLOWED_HOSTS (400), so visitors cannot fill the caches
    # with made-up ones.
    return split_domain_port(request.get_host())[0], request.get_port()


def sites_version():
    """The version of the host-to-site lookups, or None while the shared cache cannot say."""
    return counter(SITES_VERSION_KEY)


def find_site(request):
    """Site.find_for_request, from the shared cache; handed to Wagtail for the request."""
    if internals.site_looked_up(request):
        return internals.known_site(request)
    version = sites_version()
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
    elif host in HOSTS_SEEN or len(HOSTS_SEEN) < HOSTS_SEEN_LIMIT:
        HOSTS_SEEN[host] = (version, site)
    internals.set_site(request, site)
    return site


def move_sites_on():
    """After a change to a Site record: look up every host's site afresh."""
    try:
        shared_cache.incr(SITES_VERSION_KEY)
    except ValueError:  # not set yet: nothing was looked up under it
        pass
    except Exception:  # noqa: BLE001 - down: nothing is served from it either; the change stands
        logger.warning("Could not move the site lookups on", exc_info=True)


def all_site_ids():
    return set(Site.objects.values_list("pk", flat=True))

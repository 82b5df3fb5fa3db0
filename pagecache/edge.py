"""The edge cache in front of the app servers (Varnish with xkey, config/edge/default.vcl).

A page the page cache stores is also one the edge may keep: it goes out with `s-maxage` and an
`xkey` header naming its surrogate keys (the page cache's own keys). Each purge of the page
cache purges the same keys at every edge, through a Wagtail frontend-cache backend
(WAGTAILFRONTENDCACHE, set from EDGE_PURGE_URLS), so a publish shows there on the next request.
"""

import logging
from http.client import HTTPConnection
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.utils import get_backends

logger = logging.getLogger(__name__)
KEYS_HEADER = "xkey"
PURGE_KEYS_HEADER = "xkey-purge"
TIMEOUT_SECONDS = 2
# Varnish reads a header line of up to 8 KB by default: purge keys in batches well below it.
KEYS_PER_PURGE = 200


def edge_headers(response, keys):
    """Let the edge keep `response` until one of `keys` is purged."""
    if not settings.EDGE_CACHE_SECONDS:
        return
    response[KEYS_HEADER] = " ".join(sorted(keys))
    response["Cache-Control"] = (
        f"{response.get('Cache-Control', 'public')}, s-maxage={settings.EDGE_CACHE_SECONDS}"
    )


def purge_edge(keys):
    """Purge `keys` at every edge; never raises (the page cache's stamps still hold)."""
    for backend in get_backends().values():
        if hasattr(backend, "purge_keys"):
            backend.purge_keys(keys)


class XkeyBackend(BaseBackend):
    """Purges Varnish by surrogate key (xkey), or one URL: a PURGE to each location."""

    def __init__(self, params):
        super().__init__(params)
        self.locations = [urlsplit(location) for location in params["LOCATIONS"]]

    def request(self, path, headers):
        for location in self.locations:
            connection = HTTPConnection(location.hostname, location.port, timeout=TIMEOUT_SECONDS)
            try:
                connection.request("PURGE", path, headers=headers)
                connection.getresponse().read()
            except OSError as error:
                logger.warning("Could not purge the edge at %s: %s", location.netloc, error)
            finally:
                connection.close()

    def purge_keys(self, keys):
        keys = sorted(keys)
        for start in range(0, len(keys), KEYS_PER_PURGE):
            batch = " ".join(keys[start : start + KEYS_PER_PURGE])
            self.request("/", {PURGE_KEYS_HEADER: batch})

    def purge(self, url):
        parts = urlsplit(url)
        self.request(parts.path or "/", {"Host": parts.netloc})

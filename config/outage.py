"""While the database cannot be reached, visitors get a friendly 503, not a 500 or a hang.

This is the project's handler500 rather than a middleware: Django turns an exception into a
response at every middleware layer, so a middleware would only see failures in views, while the
first query of a public request is made by middleware (config.hosts looks up the site; the page
cache asks the database cache; sessions load and save). Every one of them ends up here.

Nothing here touches the database. Each request tries it afresh (CONN_HEALTH_CHECKS throws a
broken connection away), so the site recovers by itself once the database is back.
"""

import logging
import sys
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.defaults import server_error as default_server_error

from config import internals

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
LOG_INTERVAL = 60  # seconds between outage messages, per process
_last_logged = 0.0


def server_error(request):
    """The 503 page when the database could not be reached, else Django's usual 500 page."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        return unavailable_response()
    return default_server_error(request)


def unavailable_response():
    """The static, bilingual 503 page (templates/503.html), rendered without the database."""
    global _last_logged  # one per process, as in config/cache.py
    now = time.monotonic()
    if now - _last_logged > LOG_INTERVAL:
        _last_logged = now
        logger.error("The database is unavailable; answering 503", exc_info=True)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Logged above once a minute; otherwise Django logs every request of the outage in full.
    internals.mark_logged(response)
    return response

"""Ways of reaching the demo content that many tests share."""

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connections
from django.test.testcases import LiveServerThread
from wagtail.models import Locale, Site

from giving.models import DonatePage
from opendata.models import OpenDataPage
from pages.models import (
    AboutPage,
    AchievementsPage,
    ContactPage,
    HomePage,
    MilestonesPage,
    ReportsPage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
)
from programmes.models import ProgrammeAreaPage, ProgrammeIndexPage, ProgrammePage

PAGE_TYPES = [
    HomePage,
    AboutPage,
    StandardPage,
    AchievementsPage,
    MilestonesPage,
    StoryIndexPage,
    StoryPage,
    ProgrammeIndexPage,
    ProgrammeAreaPage,
    ProgrammePage,
    ContactPage,
    ReportsPage,
    DonatePage,
    OpenDataPage,
]


def home_of(hostname, language):
    """The site's home page in one language."""
    return Site.objects.get(hostname=hostname).root_page.get_translation(
        Locale.objects.get(language_code=language)
    )


def path_of(page):
    """The page's path on its own site."""
    return page.get_url_parts()[2]


def pages_of_each_type(hostname, language):
    """One live page of every type the site has in that language."""
    pages = {}
    for page in home_of(hostname, language).get_descendants(inclusive=True).live().specific():
        pages.setdefault(type(page), page)
    return pages.values()


def outside_the_test_transaction(function, *args, **kwargs):
    """Call function on a database connection of its own, which commits as it goes.

    A test's own connection is inside a transaction that other connections (a server thread's,
    pg_dump's) cannot see into, and that CREATE DATABASE cannot run in.
    """

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


class OneRequestAtATime:
    """A WSGI app that serves one request at a time, so that a test can wait for them to end.

    The server thread shares the test's in-memory SQLite connection: two threads using it at
    once, or a request still running when the test's transaction rolls back, corrupt its
    transaction state (the rollback then fails with "outside of an 'atomic' block").
    """

    lock = threading.Lock()

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with self.lock:
            return self.app(environ, start_response)


def finish_requests():
    """Wait until the live server has finished the requests already sent to it."""
    with OneRequestAtATime.lock:
        pass


@contextmanager
def live_server(handler):
    """A threaded test server on a free port, sharing in-memory SQLite with the test process.

    Yields the port. Data it should see must be committed (PostgreSQL) or on the shared
    in-memory SQLite connection.
    """
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = LiveServerThread(
        "127.0.0.1", lambda app: OneRequestAtATime(handler(app)), shared, port=0
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield thread.port
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()

"""Drive Debian's Chromium against a live server that serves the demo content.

The server runs in a thread of the test process, on the test database that the session
fixture filled with both demo sites. It is not pytest-django's `live_server`, whose
transactional teardown would empty the tables after the first test.
"""

import os
import shutil

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler

from tests.helpers import finish_requests, live_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def site_server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), live_server(StaticFilesHandler) as port:
        yield port


@pytest.fixture(autouse=True)
def requests_finished():
    """Torn down after the test's browser pages close, before its transaction rolls back."""
    yield
    finish_requests()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls that fixtures
    # make here are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()

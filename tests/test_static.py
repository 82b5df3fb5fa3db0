"""Static files as production serves them: collected, hashed, compressed, cached for a year."""

import gzip
import json
from wsgiref.util import setup_testing_defaults

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings

from config.settings import base as base_settings  # production.py keeps these
from tests.conftest import LIGHT

YEAR = 60 * 60 * 24 * 365
STYLESHEET = "css/site.css"


@pytest.fixture(scope="module")
def static_app(tmp_path_factory):
    """The WSGI application over a STATIC_ROOT collected with production's storage.

    Only the project's own files are collected (not Wagtail's admin), which keeps this quick.
    """
    root = tmp_path_factory.mktemp("static")
    production_like = override_settings(
        STATIC_ROOT=root,
        STORAGES=base_settings.STORAGES,  # the tests' own settings keep plain storage
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    )
    with production_like:
        call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
        yield get_wsgi_application(), manifest


def test_production_compresses_and_hashes_static_files():
    assert base_settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    # Directly after SecurityMiddleware, so that static files skip the rest.
    assert base_settings.MIDDLEWARE[:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def fetch(app, path, **headers):
    environ = {"PATH_INFO": path, "HTTP_HOST": LIGHT, **headers}
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    # Like Django's test client, keep the request from closing the database connection that
    # other tests in this process hold.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = app(environ, start_response)
        try:
            answer["body"] = b"".join(body)
        finally:
            body.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer


def max_age(cache_control):
    directives = dict(
        part.strip().partition("=")[::2] for part in cache_control.split(",") if part.strip()
    )
    return int(directives.get("max-age", 0))


def original(name):
    return (settings.BASE_DIR / "static" / name).read_bytes()


@pytest.mark.parametrize(
    ("accept", "encoding", "decompress"),
    [("br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_hashed_files_are_compressed_and_cached_for_a_year(
    static_app, accept, encoding, decompress
):
    app, manifest = static_app
    hashed = manifest[STYLESHEET]
    assert hashed != STYLESHEET

    response = fetch(app, f"/static/{hashed}", HTTP_ACCEPT_ENCODING=f"{accept}, deflate")

    headers = response["headers"]
    assert response["status"] == 200
    assert headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in headers["Vary"]
    assert max_age(headers["Cache-Control"]) >= YEAR
    assert "immutable" in headers["Cache-Control"]
    assert "public" in headers["Cache-Control"]
    assert len(response["body"]) < len(original(STYLESHEET)) / 2
    # The hashed copy is site.css with its font URLs rewritten to their hashed names.
    assert b".woff2" in decompress(response["body"])


def test_clients_that_cannot_decompress_get_the_plain_file(static_app):
    app, manifest = static_app

    response = fetch(app, f"/static/{manifest[STYLESHEET]}", HTTP_ACCEPT_ENCODING="identity")

    assert response["status"] == 200
    assert "Content-Encoding" not in response["headers"]
    assert response["body"].startswith(original(STYLESHEET)[:200])


def test_unhashed_names_are_not_cached_forever(static_app):
    app, _manifest = static_app

    response = fetch(app, f"/static/{STYLESHEET}", HTTP_ACCEPT_ENCODING="br")

    cache_control = response["headers"]["Cache-Control"]
    assert response["status"] == 200
    assert "immutable" not in cache_control
    assert max_age(cache_control) <= 60 * 60


def test_fonts_are_hashed_and_immutable_too(static_app):
    app, manifest = static_app
    fonts = [name for name in manifest if name.endswith(".woff2")]

    responses = [fetch(app, f"/static/{manifest[name]}") for name in fonts]

    assert fonts
    assert all(response["status"] == 200 for response in responses)
    assert all("immutable" in response["headers"]["Cache-Control"] for response in responses)

"""Uploaded images as production serves them: `make serve` (gunicorn, production settings) on
the test database, every picture of every page type of both sites in both languages."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import time
import uuid
from http.client import HTTPConnection

import brotli
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from wagtail.documents import get_document_model

from organisations.models import Organisation
from tests.bench.common import free_port
from tests.conftest import LIFE, LIGHT, TEST_REDIS_URL, connect_to_test_redis
from tests.helpers import pages_of_each_type, path_of
from tests.pictures import media_paths

CONSENT_FORM = b"%PDF-1.4 signed consent of a named person"


def database_url_for_the_server(directory):
    """The test database, as a URL another process can open.

    PostgreSQL: the test database itself, whose demo content is committed. In-memory SQLite:
    a copy of it in a file.
    """
    if connection.vendor == "sqlite":
        path = directory / "db.sqlite3"
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def request(port, path, host=LIGHT, headers=None):
    """One GET, its path sent exactly as given; (status, headers, body)."""
    client = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        client.putheader("Host", host)
        for name, value in (headers or {}).items():
            client.putheader(name, value)
        client.endheaders()
        response = client.getresponse()
        return response.status, response.headers, response.read()
    finally:
        client.close()


def stop(server):
    """gunicorn's quick shutdown; then, for a worker that has not exited, its end."""
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGKILL, 30)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=wait)
            return


@pytest.fixture(scope="module")
def production(django_db_setup, django_db_blocker, tmp_path_factory):
    """`make serve` on a free port over the test database and media, with Redis as its cache
    and a private consent form.

    Yields (port, consent form document).
    """
    directory = tmp_path_factory.mktemp("production")
    with django_db_blocker.unblock():
        consent_form = get_document_model()(
            title="Signed consent",
            collection=Organisation.objects.get(site__hostname=LIGHT).private_documents,
        )
        consent_form.file.save("consent-signed.pdf", ContentFile(CONSENT_FORM), save=False)
        consent_form.save()
        database_url = database_url_for_the_server(directory)
    redis = connect_to_test_redis()
    cache_prefix = f"test-{uuid.uuid4().hex}"
    port = free_port()
    environment = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "STATIC_ROOT": str(directory / "static"),
        "REDIS_URL": TEST_REDIS_URL,
        "CACHE_KEY_PREFIX": cache_prefix,
        "WEB_CONCURRENCY": "2",
        # Several servers may run on this machine: no shared control socket (see STYLE.md).
        "GUNICORN_CMD_ARGS": "--no-control-socket",
    }
    # make serve chooses these itself.
    for name in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS"):
        environment.pop(name, None)
    log = (directory / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - a fixed command
        ["/usr/bin/make", "--no-print-directory", "-o", ".venv/bin/.installed", "serve"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, (directory / "server.log").read_text()
            assert time.monotonic() < deadline, (directory / "server.log").read_text()
            with contextlib.suppress(OSError):
                if request(port, "/healthz", host="localhost")[0] == 200:
                    break
            time.sleep(0.3)
        yield port, consent_form
    finally:
        stop(server)
        log.close()
        for key in redis.scan_iter(f"{cache_prefix}*"):
            redis.delete(key)
        with django_db_blocker.unblock():
            consent_form.delete()


@pytest.mark.django_db
@pytest.mark.parametrize("hostname", [LIGHT, LIFE])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_picture_of_every_page_type_is_served(production, hostname, language):
    port, _ = production
    pages = list(pages_of_each_type(hostname, language))
    assert len(pages) >= 8
    images = set()
    for page in pages:
        status, _, body = request(port, path_of(page), host=hostname)
        assert status == 200, path_of(page)
        images |= media_paths(body.decode())
    assert len(images) >= 10  # renditions in several widths and formats, on several pages

    for path in sorted(images):
        status, headers, body = request(port, path, host=hostname)
        assert status == 200, path
        assert headers["Content-Type"] in ("image/avif", "image/webp", "image/jpeg", "image/png")
        assert len(body) == int(headers["Content-Length"]) > 0


@pytest.mark.django_db
def test_renditions_are_cached_for_a_year_and_revalidate(production):
    port, _ = production
    home = next(iter(pages_of_each_type(LIGHT, "vi")))
    _, _, body = request(port, path_of(home))
    rendition = min(media_paths(body.decode()))

    status, headers, _ = request(port, rendition)

    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, body = request(
        port, rendition, headers={"If-Modified-Since": headers["Last-Modified"]}
    )
    assert (status, body) == (304, b"")


@pytest.mark.django_db
def test_a_private_document_is_never_a_public_file(production):
    port, consent_form = production
    file_path = settings.MEDIA_URL + consent_form.file.name

    for path in (
        file_path,
        file_path.replace("/documents/", "/images/../documents/"),
        file_path.replace("/documents/", "/images/%2e%2e/documents/"),
        file_path.replace("/documents/", "/original_images/%2E%2E/documents/"),
    ):
        status, _, body = request(port, path)
        assert status == 404, path
        assert CONSENT_FORM not in body

    # Wagtail's document view, the only way to a document, sends a visitor to sign in.
    status, headers, body = request(port, consent_form.url)
    assert status == 302
    assert "/accounts/login/" in headers["Location"]
    assert CONSENT_FORM not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/media/",
        "/media/images/",
        "/media/original_images/",
        "/media/images/no-such-picture.jpg",
        "/media/../config/settings/base.py",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/images/..%2f..%2fconfig%2fsettings%2fbase.py",
        "/media/images/%2e%2e%2f%2e%2e%2fmanage.py",
        "/media/images/.hidden.jpg",
        "/media/images/light-hero.format-jpeg.width-480.jpg%00.py",
    ],
)
def test_nothing_else_comes_out_of_the_media_folder(production, path):
    port, _ = production

    status, headers, _ = request(port, path)

    assert status == 404, path
    assert "Location" not in headers  # not redirected to /vi/media/...


@pytest.mark.parametrize("path", ["/vi/", "/en/", "/theme.css", "/vi/feed/"])
def test_production_sends_text_compressed(production, path):
    """What Lighthouse's text-compression audit asks of `make serve`: a miss and a hit alike."""
    port, _consent_form = production
    _status, _headers, plain = request(port, path)
    for _ in ("miss", "hit"):
        status, headers, body = request(port, path, headers={"Accept-Encoding": "gzip, br"})
        assert status == 200
        assert headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in headers["Vary"]
        assert brotli.decompress(body) == plain

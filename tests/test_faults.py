"""Faults: the database going away and coming back, and a mail server that refuses mail.

The database outage is real: the site's connection goes through a TCP proxy to the test
PostgreSQL server, and stopping the proxy refuses new connections and cuts the open ones, as a
database that has gone down does. The mail server is a closed port on this machine.
"""

import contextlib
import http.client
import logging
import socket
import sys
import threading
import time
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.test import RequestFactory
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Locale, Site

from config.outage import RETRY_AFTER_SECONDS, server_error
from pages.models import ContactPage
from tests.conftest import LIGHT
from tests.helpers import outside_the_test_transaction, path_of

VIETNAMESE_503 = "Trang web tạm thời gián đoạn"
ENGLISH_503 = "The site is temporarily unavailable"


# The database goes down and comes back


class DatabaseProxy:
    """Forwards a local port to the database server; stop() is the database going down."""

    def __init__(self, target):
        self.target = target
        self.port = 0
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()

    def start(self):
        # The same port every time, so the site's settings stay as they were.
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        """Refuse new connections and cut the open ones."""
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for source, sink in [(client, upstream), (upstream, client)]:
                threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def pipe(source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


class QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextlib.contextmanager
def site_served_through(proxy):
    """The site in a thread, like one gunicorn worker, its database connection via the proxy.

    Connections belong to their thread, so the rest of the test process keeps its own.
    """
    server = WSGIServer(("127.0.0.1", 0), QuietRequestHandler)
    server.set_app(WSGIHandler())

    def serve():
        through_proxy = connections.create_connection(DEFAULT_DB_ALIAS)
        through_proxy.settings_dict = {
            **through_proxy.settings_dict,
            "HOST": "127.0.0.1",
            "PORT": str(proxy.port),
        }
        connections[DEFAULT_DB_ALIAS] = through_proxy
        try:
            server.serve_forever(poll_interval=0.05)
        finally:
            through_proxy.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        proxy.stop()  # a request stuck on the database fails, so the server can stop
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def request(port, path, method="GET", host=LIGHT, headers=None, body=None):
    started = time.monotonic()
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = client.getresponse()
        text = response.read().decode()
    finally:
        client.close()
    return SimpleNamespace(
        status=response.status,
        headers=response.headers,
        text=text,
        seconds=time.monotonic() - started,
    )


def assert_friendly_503(response):
    assert response.status == 503, response.text[:500]
    assert response.seconds < 1
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response.headers["Cache-Control"]
    assert VIETNAMESE_503 in response.text
    assert ENGLISH_503 in response.text
    assert response.text.index(VIETNAMESE_503) < response.text.index(ENGLISH_503)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="cuts a network connection to the database server; SQLite has none (CI runs both)",
)


def drop_cache_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS django_cache")


@pytest.fixture(params=["off", "on the database cache", "on Redis"])
def page_cache(request, settings):
    """The page cache as each kind of deployment has it."""
    settings.PAGE_CACHE_SECONDS = 0 if request.param == "off" else 300
    if request.param == "off":
        yield request.param
    elif request.param == "on the database cache":
        # Production without Redis: the page cache asks the database which pages are current.
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "django_cache",
            },
        }
        outside_the_test_transaction(call_command, "createcachetable", verbosity=0)
        yield request.param
        outside_the_test_transaction(drop_cache_table)  # other tests share this database
    else:
        request.getfixturevalue("redis_caches")
        yield request.param


def contact_form_path():
    site = Site.objects.get(hostname=LIGHT)
    return path_of(ContactPage.objects.descendant_of(site.root_page).get())


@postgresql_only
@pytest.mark.django_db
def test_database_outage_gives_a_quick_friendly_503_and_recovers_by_itself(page_cache):
    database = connection.settings_dict
    if (database["HOST"] or "").startswith("/"):
        pytest.skip("the test database is reached through a Unix socket, not TCP")
    proxy = DatabaseProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    # Wagtail caches what it looks up; with the database cache, rows written inside this test's
    # transaction would block the site's own writes of the same keys.
    contact = outside_the_test_transaction(contact_form_path)

    proxy.start()
    try:
        with site_served_through(proxy) as port:
            assert request(port, "/vi/").status == 200
            assert request(port, "/vi/").headers.get("X-Page-Cache") == (
                None if page_cache == "off" else "hit"
            )
            assert request(port, "/healthz").status == 200

            proxy.stop()

            cached = request(port, "/vi/")
            if page_cache == "on Redis":  # Redis still says which pages are current
                assert (cached.status, cached.headers["X-Page-Cache"]) == (200, "hit")
            else:
                assert_friendly_503(cached)
            assert_friendly_503(request(port, "/en/"))
            # Sessions and sign-in need the database too: 503 rather than 500.
            signed_in = {"Cookie": "sessionid=a-staff-members-session"}
            assert_friendly_503(request(port, "/vi/", headers=signed_in))
            assert_friendly_503(request(port, "/admin/", headers=signed_in))
            assert_friendly_503(request(port, "/en/accounts/login/"))
            assert_friendly_503(
                request(
                    port,
                    contact,
                    method="POST",
                    body="name=Lan&email=lan%40example.org&message=Xin+chao",
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
            )
            health = request(port, "/healthz")
            assert health.status == 503
            assert health.seconds < 1
            assert health.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)

            proxy.start()  # the database is back, on the same address

            assert request(port, "/en/").status == 200
            assert request(port, "/vi/", headers=signed_in).status == 200
            assert request(port, "/healthz").status == 200
    finally:
        proxy.stop()


def raised(exception):
    """Call the 500 handler as Django does: while the exception is being handled."""
    try:
        raise exception
    except Exception:
        return server_error(RequestFactory().get("/vi/"))


def test_only_database_connection_failures_get_the_503_page():
    unavailable = raised(OperationalError("connection refused"))
    assert unavailable.status_code == 503
    assert unavailable["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert VIETNAMESE_503 in unavailable.text and ENGLISH_503 in unavailable.text

    broken = raised(ValueError("a bug"))
    assert broken.status_code == 500
    assert "Đã có lỗi xảy ra" in broken.text


def test_an_outage_is_logged_once_a_minute_not_per_request(caplog, monkeypatch):
    monkeypatch.setattr(sys.modules["config.outage"], "_last_logged", 0.0)
    with caplog.at_level(logging.ERROR, logger="config.outage"):
        for _ in range(5):
            assert raised(OperationalError("connection refused")).status_code == 503
    assert [r.name for r in caplog.records if r.name == "config.outage"] == ["config.outage"]


# The mail server refuses mail


@pytest.fixture
def mail_server_down(settings):
    """SMTP on a port that is bound but not listening: every connection is refused."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed.getsockname()[1]
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield
    closed.close()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "thanks"),
    [("vi", "Cảm ơn bạn đã liên hệ với LIGHT"), ("en", "Thank you for contacting LIGHT")],
)
def test_contact_form_keeps_the_message_and_thanks_the_visitor_when_mail_fails(
    client, light, mail_server_down, caplog, language, thanks
):
    page = ContactPage.objects.descendant_of(light.root_page).get()
    page = page.get_translation(Locale.objects.get(language_code=language))
    data = {"name": "Nguyễn Thị Lan", "email": "lan@example.org", "message": "Xin chào!"}

    with caplog.at_level(logging.ERROR, logger="pages.models.contact"):
        response = client.post(path_of(page), data, HTTP_HOST=LIGHT)

    assert response.status_code == 200
    assert thanks in response.text
    assert FormSubmission.objects.get(page=page).get_data()["message"] == "Xin chào!"
    [record] = [r for r in caplog.records if r.name == "pages.models.contact"]
    assert isinstance(record.exc_info[1], ConnectionRefusedError)


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["boss@example.org", "stranger@example.org"])
def test_password_reset_answers_as_usual_and_logs_when_mail_fails(
    client, mail_server_down, caplog, email
):
    get_user_model().objects.create_user("boss", "boss@example.org", "a long passphrase 2025")

    with caplog.at_level(logging.ERROR, logger="accounts.adapter"):
        response = client.post("/vi/accounts/password/reset/", {"email": email}, HTTP_HOST=LIGHT)
        done = client.get(response["Location"], HTTP_HOST=LIGHT)

    assert response.status_code == 302
    assert done.status_code == 200
    assert "/vi/accounts/password/reset/done/" in response["Location"]
    [record] = [r for r in caplog.records if r.name == "accounts.adapter"]
    assert isinstance(record.exc_info[1], ConnectionRefusedError)

"""Varnish in front of two app servers: hits, exact purges, passes, and pages kept when apps stop.

Skipped without varnishd (apt-get install -y varnish varnish-modules); CI installs it, and there a
missing one fails.
"""

import contextlib
import os
import re
import shutil
import subprocess
import textwrap
import time
import uuid
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import unquote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from urllib3 import encode_multipart_formdata
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from config.edge.run import varnish
from organisations.models import Organisation
from programmes.models import ProgrammePage
from tests.bench.common import free_port
from tests.conftest import LIFE, LIGHT, TEST_REDIS_URL, connect_to_test_redis
from tests.helpers import home_of, path_of
from tests.object_storage import files_named_by
from tests.test_production_media import database_url_for_the_server, request, stop
from tests.test_uploads import png

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # noqa: S105


def varnishd_or_skip():
    if shutil.which("varnishd") or os.path.exists("/usr/sbin/varnishd"):
        return
    message = "varnishd is not installed (apt-get install -y varnish varnish-modules)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def wait_for(port, path="/healthz", host="localhost", status=200, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if request(port, path, host=host)[0] == status:
                return
        time.sleep(0.3)
    raise AssertionError(f"nothing answered {status} on {port}{path}")


@pytest.fixture(scope="module")
def edge(django_db_setup, django_db_blocker, tmp_path_factory, object_store):
    """Varnish on a free port before two `make serve` app servers sharing a database, Redis and
    a media bucket (each with an empty disk of its own).

    Yields a dict: the edge's port, the app ports, and `run(code)`, which runs Python in a
    separate Django process against the same database, cache and edge (as a third server would).
    """
    varnishd_or_skip()
    directory = tmp_path_factory.mktemp("edge")
    with django_db_blocker.unblock():
        for name in ("edge-staff", "edge-editor"):
            user = get_user_model().objects.create_user(name, f"{name}@example.org")
            # The servers run production settings, whose hashers do not include the tests' MD5.
            hasher = PBKDF2PasswordHasher()
            user.password = hasher.encode(PASSWORD, hasher.salt())
            user.save()
        user.groups.add(Organisation.objects.get(site__hostname=LIGHT).editors)
        database_url = database_url_for_the_server(directory)
        home = path_of(home_of(LIGHT, "vi"))
        images = get_image_model()
        uploads = files_named_by(images, images.get_rendition_model(), get_document_model())
    bucket = object_store.new_bucket()
    object_store.upload(bucket, uploads, settings.MEDIA_ROOT)  # the demo's media, moved
    redis = connect_to_test_redis()
    prefix = f"test-{uuid.uuid4().hex}"
    port, app_ports = free_port(), [free_port(), free_port()]
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_STORAGE_URL": object_store.url(bucket),
        "STAFF_MFA_REQUIRED": "false",
        "STATIC_ROOT": str(directory / "static"),
        "REDIS_URL": TEST_REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "EDGE_PURGE_URLS": f"http://127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_CMD_ARGS": "--no-control-socket",
    }
    for name in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS"):
        environment.pop(name, None)
    edge = varnish(port, app_ports, directory)
    servers = []

    def run(code):
        subprocess.run(  # noqa: S603 - a fixed command
            [str(settings.BASE_DIR / ".venv/bin/python"), "manage.py", "shell", "-c", code],
            cwd=settings.BASE_DIR,
            env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
            check=True,
            capture_output=True,
        )

    try:
        # One after the other: each runs make serve's migrate and collectstatic first.
        for app_port in app_ports:
            servers.append(
                subprocess.Popen(  # noqa: S603 - a fixed command
                    [
                        "/usr/bin/make",
                        "--no-print-directory",
                        "-o",
                        ".venv/bin/.installed",
                        "serve",
                    ],
                    cwd=settings.BASE_DIR,
                    env={
                        **environment,
                        "PORT": str(app_port),
                        "MEDIA_ROOT": str(directory / f"media-{app_port}"),
                    },
                    stdout=(directory / f"server-{app_port}.log").open("w"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            wait_for(app_port)
        wait_for(port, home, host=LIGHT)
        yield {
            "port": port,
            "apps": app_ports,
            "servers": servers,
            "run": run,
            "directory": directory,
            "bucket": bucket,
        }
    finally:
        for server in servers:
            stop(server)
        stop(edge)
        for key in redis.scan_iter(f"{prefix}*"):
            redis.delete(key)
        with django_db_blocker.unblock():
            get_user_model().objects.filter(username__in=["edge-staff", "edge-editor"]).delete()


def through_edge(edge, path, host=LIGHT, headers=None):
    status, response_headers, body = request(edge["port"], path, host=host, headers=headers)
    return status, response_headers.get("X-Edge"), body


def warm(edge, path, host=LIGHT):
    for _ in range(2):
        through_edge(edge, path, host)
    assert through_edge(edge, path, host)[1] == "hit", path


def test_a_second_request_is_a_hit_and_compressed_variants_are_kept(edge):
    path = path_of(home_of(LIGHT, "vi"))
    through_edge(edge, path)
    status, served, _body = through_edge(edge, path)
    assert (status, served) == (200, "hit")
    status, headers, body = request(edge["port"], path, LIGHT, {"Accept-Encoding": "br"})
    status, headers, body = request(edge["port"], path, LIGHT, {"Accept-Encoding": "br"})
    assert headers["Content-Encoding"] == "br" and headers["X-Edge"] == "hit"
    assert "xkey" not in headers and "s-maxage" not in headers["Cache-Control"]


def test_a_publish_purges_exactly_the_pages_that_show_it(edge):
    programme = (
        ProgrammePage.objects.filter(locale__language_code="vi")
        .descendant_of(home_of(LIGHT, "vi"))
        .first()
    )
    area = programme.get_parent()
    unrelated = home_of(LIGHT, "vi").get_children().get(slug="quyen-rieng-tu")
    elsewhere = home_of(LIFE, "vi")
    pages = {
        "programme": (LIGHT, path_of(programme)),
        "area": (LIGHT, path_of(area)),
        "unrelated": (LIGHT, path_of(unrelated)),
        "other organisation": (LIFE, path_of(elsewhere)),
    }
    for host, path in pages.values():
        warm(edge, path, host)

    rename = textwrap.dedent("""
        from programmes.models import ProgrammePage
        from wagtail_localize.models import TranslationSource
        page = ProgrammePage.objects.get(pk={pk})
        page.title = {title!r}
        page.save_revision().publish()
        # Synced, as an editor would: the committed rename must not leave the English page
        # out of date for the tests that share this database.
        TranslationSource.update_or_create_from_instance(page)
    """)
    edge["run"](rename.format(pk=programme.pk, title="Dự án đã đổi tên"))
    try:
        served = {name: through_edge(edge, path, host) for name, (host, path) in pages.items()}
    finally:
        edge["run"](rename.format(pk=programme.pk, title=programme.title))
    assert (
        served["programme"][1] == "miss" and "Dự án đã đổi tên" in served["programme"][2].decode()
    )
    assert served["area"][1] == "miss"
    assert served["unrelated"][1] == "hit"
    assert served["other organisation"][1] == "hit"


@pytest.mark.parametrize("path", ["/admin/login/", "/vi/search/?q=hiv", "/vi/accounts/login/"])
def test_staff_account_and_search_pages_never_come_from_the_edge(edge, path):
    for _ in range(3):
        assert through_edge(edge, path)[1] == "miss"


def test_a_signed_in_member_of_staff_always_reaches_an_app(edge):
    path = path_of(home_of(LIGHT, "vi"))
    warm(edge, path)
    headers = {"Cookie": "sessionid=whatever"}
    assert through_edge(edge, path, headers=headers)[1] == "miss"


def sign_in(port, password=PASSWORD, login="edge-staff@example.org"):
    """Sign in through one app server's login page; returns (status, its session cookie)."""
    status, headers, body = request(port, "/vi/accounts/login/", host=LIGHT)
    csrf = SimpleCookie(headers["Set-Cookie"])["csrftoken"].value
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        "/vi/accounts/login/",
        body=urlencode({"login": login, "password": password}),
        headers={
            "Host": LIGHT,
            "Cookie": f"csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Origin": f"http://{LIGHT}",
            "Referer": f"http://{LIGHT}/vi/accounts/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = connection.getresponse()
    response.read()
    cookies = SimpleCookie()
    for value in response.headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    connection.close()
    return response.status, cookies.get("sessionid")


def test_a_login_on_one_app_server_holds_on_the_other(edge):
    first, second = edge["apps"]
    status, session = sign_in(first)
    assert status == 302 and session is not None
    status, _headers, body = request(
        second, "/vi/accounts/email/", host=LIGHT, headers={"Cookie": f"sessionid={session.value}"}
    )
    assert status == 200 and b"edge-staff@example.org" in body


def test_a_rate_limit_counted_on_one_app_server_holds_on_the_other(edge):
    first, second = edge["apps"]
    statuses = [sign_in((first, second)[attempt % 2], "wrong password")[0] for attempt in range(5)]
    assert statuses == [200] * 5  # the form again, with an error
    assert sign_in(first, "wrong password")[0] == 429
    assert sign_in(second, PASSWORD)[0] == 429  # the account is locked on both


def test_an_image_uploaded_through_one_app_server_renders_on_the_other(edge, object_store):
    first, second = edge["apps"]
    _status, session = sign_in(first, login="edge-editor@example.org")
    _status, headers, _body = request(
        first, "/admin/images/add/", host=LIGHT, headers={"Cookie": f"sessionid={session.value}"}
    )
    csrf = SimpleCookie(", ".join(headers.get_all("Set-Cookie")))["csrftoken"].value
    title = f"Ảnh {uuid.uuid4().hex[:8]}"
    body, content_type = encode_multipart_formdata(
        {
            "csrfmiddlewaretoken": csrf,
            "title": title,
            "collection": str(Organisation.objects.get(site__hostname=LIGHT).media.pk),
            "file": ("anh-may-chu.png", png(800, 600), "image/png"),
        }
    )
    connection = HTTPConnection("127.0.0.1", first, timeout=30)
    connection.request(
        "POST",
        "/admin/images/add/",
        body=body,
        headers={
            "Host": LIGHT,
            "Cookie": f"sessionid={session.value}; csrftoken={csrf}",
            "Origin": f"http://{LIGHT}",
            "Content-Type": content_type,
        },
    )
    assert connection.getresponse().status == 302  # stored, back to the listing
    connection.close()

    # The other server draws the listing's thumbnail from the original in the bucket.
    status, _headers, listing = request(
        second,
        f"/admin/images/?{urlencode({'q': title})}",
        host=LIGHT,
        headers={"Cookie": f"sessionid={session.value}"},
    )
    assert status == 200 and title in listing.decode()
    thumbnails = set(re.findall(r'src="(/media/images/anh-may-chu[^"]+)"', listing.decode()))
    assert thumbnails
    for port in (first, second, edge["port"]):
        for thumbnail in thumbnails:
            status, headers, image = request(port, thumbnail, host=LIGHT)
            assert status == 200 and headers["Content-Type"].startswith("image/"), port
            assert image == object_store.read(edge["bucket"], unquote(thumbnail)[len("/media/") :])
    for app_port in edge["apps"]:
        assert not list((edge["directory"] / f"media-{app_port}").rglob("*.png"))


def test_cached_pages_are_served_with_both_app_servers_stopped(edge):
    path = path_of(home_of(LIGHT, "en"))
    warm(edge, path)
    for server in edge["servers"]:
        stop(server)
    time.sleep(7)  # the health probe marks both sick
    status, served, body = through_edge(edge, path)
    assert status == 200 and served in ("hit", "stale") and body
    assert through_edge(edge, "/admin/login/")[0] == 503

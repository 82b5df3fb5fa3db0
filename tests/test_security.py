"""Security headers, host validation and page deletion, through real requests."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents.models import Document
from wagtail.models import PageLogEntry

from pages.models import StandardPage, StoryPage
from tests.conftest import LIFE, LIGHT
from tests.helpers import home_of, path_of
from tests.test_foundation import PRODUCTION_ENV

pytestmark = pytest.mark.django_db

PUBLIC_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# What Wagtail's admin cannot work without (tests/browser/test_admin_csp.py), and no more.
ADMIN_POLICY = {
    **PUBLIC_POLICY,
    "script-src": "'self' 'unsafe-inline'",
    "script-src-attr": "'none'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
}
DISABLED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "fullscreen"]


def policy(response):
    directives = (
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return dict(directives)


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    for feature in DISABLED_FEATURES:
        assert features[feature] == "()", feature


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        username="security-admin", email="security-admin@example.org", password="x"
    )
    client.force_login(user)
    return user


# Public pages


@pytest.mark.parametrize(("hostname", "language"), [(LIGHT, "vi"), (LIFE, "en")])
def test_public_pages_get_the_strict_policy(client, hostname, language):
    response = client.get(path_of(home_of(hostname, language)), HTTP_HOST=hostname)

    assert response.status_code == 200
    assert policy(response) == PUBLIC_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert_common_headers(response)


def test_public_policy_allows_nothing_unsafe():
    policy_text = json.dumps(settings.CONTENT_SECURITY_POLICY)
    assert "unsafe" not in policy_text


@override_settings(PAGE_CACHE_SECONDS=60)
def test_pages_served_from_the_page_cache_keep_their_headers(client):
    path = path_of(home_of(LIGHT, "vi"))
    client.get(path, HTTP_HOST=LIGHT)
    response = client.get(path, HTTP_HOST=LIGHT)

    assert response["X-Page-Cache"] == "hit"
    assert policy(response) == PUBLIC_POLICY
    assert response.headers.get("Content-Security-Policy").count("default-src") == 1
    assert_common_headers(response)


def test_sign_in_page_gets_the_strict_policy_and_lax_cookies(client):
    response = client.get("/vi/accounts/login/", HTTP_HOST=LIGHT)

    assert policy(response) == PUBLIC_POLICY
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def test_healthz_carries_the_headers_too(client):
    response = client.get("/healthz", HTTP_HOST=LIGHT)

    assert response.status_code == 200
    assert policy(response) == PUBLIC_POLICY
    assert_common_headers(response)


# The admin


def test_admin_gets_its_own_policy(client, staff):
    response = client.get("/admin/", HTTP_HOST=LIGHT)

    assert response.status_code == 200
    assert policy(response) == ADMIN_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert_common_headers(response)


def test_admin_policy_reaches_only_the_admin(client, staff):
    response = client.get(path_of(home_of(LIGHT, "vi")), HTTP_HOST=LIGHT)

    assert policy(response) == PUBLIC_POLICY  # signed in, with the userbar, still strict


def test_page_preview_may_be_framed_by_the_admin_only():
    """Wagtail renders a preview through the middleware again, for a request it makes up."""
    story = StoryPage.objects.live().first()
    response = story.make_preview_request()

    assert response.status_code == 200
    assert policy(response) == {**PUBLIC_POLICY, "frame-ancestors": "'self'"}


def test_preview_view_says_sameorigin_in_both_headers(client, staff):
    story = StoryPage.objects.live().first()
    # Nothing posted to preview yet: Wagtail answers with its "cannot preview" page, framed.
    response = client.get(f"/admin/pages/{story.pk}/edit/preview/", HTTP_HOST=LIGHT)

    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert policy(response) == {**ADMIN_POLICY, "frame-ancestors": "'self'"}


# Documents


def test_documents_download_as_attachments_that_cannot_run_anything(client):
    document = Document.objects.create(
        title="Báo cáo thường niên", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="bao-cao.pdf")
    )
    response = client.get(document.url, HTTP_HOST=LIGHT)
    b"".join(response.streaming_content)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "default-src 'none'"  # Wagtail's own
    assert_common_headers(response)
    document.file.delete(save=False)


# Hosts


@pytest.mark.parametrize("path", ["/vi/", "/en/", "/admin/", "/sitemap.xml", "/robots.txt"])
def test_a_host_that_is_no_site_gets_400(client, caplog, path):
    response = client.get(path, HTTP_HOST="other.example.org")

    assert response.status_code == 400
    assert "LIGHT" not in response.content.decode()
    assert policy(response)["frame-ancestors"] == "'none'"
    assert any(record.name == "django.security.DisallowedHost" for record in caplog.records)


def test_a_host_that_is_no_site_still_answers_healthz(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200


@pytest.mark.parametrize("host", [LIGHT, LIFE, f"{LIGHT}:8000", LIFE.upper()])
def test_each_site_answers_on_its_hostname_with_any_port_or_case(client, host):
    response = client.get("/vi/", HTTP_HOST=host)

    assert response.status_code == 200
    assert response.context["page"].get_site().hostname == host.split(":")[0].lower()


def test_default_site_hosts_show_the_default_site(client, light):
    assert "127.0.0.1" in settings.DEFAULT_SITE_HOSTS
    response = client.get("/vi/", HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 200
    assert response.context["page"].pk == light.root_page.pk


@override_settings(DEFAULT_SITE_HOSTS=[])
def test_without_aliases_even_localhost_gets_400(client):
    assert client.get("/vi/", HTTP_HOST="127.0.0.1").status_code == 400


# Page deletion


def test_deleting_a_page_asks_first_then_deletes_and_logs_who_did_it(client, staff, caplog):
    home = home_of(LIGHT, "vi")
    page = home.add_child(instance=StandardPage(title="Trang sẽ bị xoá", slug="trang-se-bi-xoa"))
    url = f"/admin/pages/{page.pk}/delete/"

    confirmation = client.get(url, HTTP_HOST=LIGHT)
    assert confirmation.status_code == 200
    assert f'action="{url}"' in confirmation.content.decode()
    assert StandardPage.objects.filter(pk=page.pk).exists()  # asking deletes nothing

    with caplog.at_level(logging.INFO, logger="pages.wagtail_hooks"):
        response = client.post(url, HTTP_HOST=LIGHT)

    assert response.status_code == 302
    assert not StandardPage.objects.filter(pk=page.pk).exists()
    entry = PageLogEntry.objects.get(page_id=page.pk, action="wagtail.delete")
    assert entry.user == staff
    assert entry.label == "LIGHT · Trang sẽ bị xoá"  # the admin title names the site
    logged = [r.getMessage() for r in caplog.records if r.name == "pages.wagtail_hooks"]
    assert logged == [
        f"Page 'Trang sẽ bị xoá' ({page.url_path}, vi) and its subpages deleted by security-admin"
    ]


# Production settings (check --deploy itself is tests/test_foundation.py)


def production(script):
    """Run Python under the production settings, as the WSGI server would."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=settings.BASE_DIR,
        env={**os.environ, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_a_preload_ready_hsts_header():
    headers = production(
        "from django.test import Client; import json; "
        "r = Client().get('/healthz', secure=True, HTTP_HOST='light.example.org'); "
        "print(json.dumps(dict(r.headers)))"
    )

    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_production_redirects_plain_http_except_healthz():
    statuses = production(
        "from django.test import Client; import json; c = Client(); print(json.dumps(["
        "c.get('/vi/', HTTP_HOST='light.example.org').status_code, "
        "c.get('/healthz', HTTP_HOST='light.example.org').status_code]))"
    )

    assert statuses == [301, 200]


def test_production_cookies_are_secure_httponly_and_samesite():
    cookies = production(
        "from django.conf import settings as s; import json; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_SECURE]))"
    )

    assert cookies == [True, True, "Lax", True, "Lax", True]

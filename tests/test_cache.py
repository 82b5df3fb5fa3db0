"""The page cache serves anonymous visitors and never anything stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from pages.models import HomePage
from programmes.models import ProgrammePage
from tests.conftest import LIGHT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def get(client, path, **headers):
    return client.get(path, HTTP_HOST=LIGHT, **headers)


def test_second_anonymous_request_is_served_from_the_cache(client):
    first = get(client, "/vi/")
    with CaptureQueriesContext(connection) as queries:
        second = get(client, "/vi/")

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0
    assert "no-cache" in second["Cache-Control"] and "public" in second["Cache-Control"]


def test_signed_in_staff_never_get_or_fill_the_cache(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", "editor@example.org", "x" * 20)
    get(client, "/vi/")  # cached for anonymous visitors
    client.force_login(editor)

    response = get(client, "/vi/")

    assert "X-Page-Cache" not in response
    client.logout()
    assert get(client, "/vi/")["X-Page-Cache"] == "hit"


def test_a_matching_etag_gets_304(client):
    first = get(client, "/en/")

    response = get(client, "/en/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 304
    assert response.content == b""


def test_publishing_a_programme_purges_every_page_that_shows_it(
    client, light, django_capture_on_commit_callbacks
):
    english = Locale.objects.get(language_code="en")
    programme = ProgrammePage.objects.descendant_of(light.root_page).get(code="SAFE")
    translation = programme.get_translation(english)
    area = programme.get_parent()
    pages = {
        "programme": path(programme),
        "area": path(area),
        "home": path(light.root_page),
        "feed": "/vi/feed/",
        "english programme": path(translation),
        "english area": path(area.get_translation(english)),
        "english home": path(
            HomePage.objects.get(translation_key=light.root_page.translation_key, locale=english)
        ),
    }
    for url in pages.values():
        get(client, url)
    assert all(get(client, url)["X-Page-Cache"] == "hit" for url in pages.values())

    with django_capture_on_commit_callbacks(execute=True):
        programme.title = "Dự án SAFE (đã cập nhật)"
        programme.save_revision().publish()
        translation.title = "SAFE project (updated)"
        translation.save_revision().publish()

    for name, url in pages.items():
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", name
    assert "Dự án SAFE (đã cập nhật)" in get(client, pages["area"]).content.decode()
    assert "SAFE project (updated)" in get(client, pages["english area"]).content.decode()


def test_pages_that_set_cookies_or_answer_errors_are_not_cached(client):
    get(client, "/vi/no-such-page/")
    assert get(client, "/vi/no-such-page/").get("X-Page-Cache") is None
    assert get(client, "/vi/search/", data={"q": "an sinh"}).get("X-Page-Cache") is None


def path(page):
    return page.get_url_parts()[2]


def test_redis_down_serves_pages_uncached_and_logs_once(client, settings, caplog):
    closed = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
    settings.CACHES = {"default": closed, "pages": closed}
    from config.cache import ResilientRedisCache

    ResilientRedisCache.last_logged = 0.0

    responses = [get(client, "/vi/") for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert all("X-Page-Cache" not in response for response in responses)
    outages = [r for r in caplog.records if "Redis is unavailable" in r.getMessage()]
    assert len(outages) == 1

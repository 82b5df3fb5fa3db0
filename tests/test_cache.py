"""The page cache serves anonymous visitors, never anything stale, and empties site by site."""

import time

import pytest
import redis
from django.core.cache import cache as shared_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date, parse_http_date
from wagtail.models import Locale, PageViewRestriction

from pages.cache import changed_key
from pages.models import SiteSettings, StandardPage
from programmes.models import Partner, ProgrammePage
from tests.conftest import LIFE, LIGHT
from tests.helpers import home_of, path_of

pytestmark = pytest.mark.django_db

AN_HOUR_AGO = time.time() - 3600


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what happens once a change is committed (tests roll theirs back instead)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def get(client, path, host=LIGHT, **headers):
    return client.get(path, HTTP_HOST=host, **headers)


def cache_all(client, pages):
    """Visit every page twice; the second visit of each must come from the cache."""
    for host, path in pages.values():
        get(client, path, host)
    assert {
        name: get(client, path, host)["X-Page-Cache"] for name, (host, path) in pages.items()
    } == dict.fromkeys(pages, "hit")


def cache_states(client, pages):
    return {name: get(client, path, host)["X-Page-Cache"] for name, (host, path) in pages.items()}


def life_pages():
    about = StandardPage.objects.descendant_of(home_of(LIFE, "vi")).first()
    return {
        "LIFE home": (LIFE, "/vi/"),
        "LIFE English home": (LIFE, "/en/"),
        "LIFE page": (LIFE, path_of(about)),
        "LIFE feed": (LIFE, "/vi/feed/"),
    }


def test_second_anonymous_request_is_served_from_the_cache(client):
    first = get(client, "/vi/")
    with CaptureQueriesContext(connection) as queries:
        second = get(client, "/vi/")

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0
    assert "no-cache" in second["Cache-Control"] and "public" in second["Cache-Control"]


def test_a_hit_takes_one_round_trip_to_redis_and_no_query(client, redis_caches, monkeypatch):
    get(client, "/vi/")
    get(client, "/vi/")  # the worker now knows which site the host belongs to
    commands = []
    send = redis.Redis.execute_command

    def counted(self, *args, **options):
        commands.append(args[0])
        return send(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, "/vi/")

    assert response["X-Page-Cache"] == "hit"
    assert commands == ["MGET"]
    assert len(queries) == 0


def test_a_host_given_to_another_site_is_served_that_site_at_once(client, light, life, commit):
    assert get(client, "/vi/", host=LIFE)["X-Page-Cache"] == "miss"
    assert get(client, "/vi/", host=LIFE)["X-Page-Cache"] == "hit"
    life_home = get(client, "/vi/", host=LIFE).content
    with commit():
        life.hostname = "life-old.localhost"
        life.save()
        light.hostname = LIFE
        light.save()

    response = get(client, "/vi/", host=LIFE)

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert response.content != life_home


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


def test_publishing_a_programme_purges_every_light_page_that_shows_it_and_no_life_page(
    client, light, commit
):
    english = Locale.objects.get(language_code="en")
    programme = ProgrammePage.objects.descendant_of(light.root_page).get(code="SAFE")
    translation = programme.get_translation(english)
    area = programme.get_parent()
    light_pages = {
        "programme": (LIGHT, path_of(programme)),
        "area": (LIGHT, path_of(area)),
        "home": (LIGHT, path_of(light.root_page)),
        "feed": (LIGHT, "/vi/feed/"),
        "sitemap": (LIGHT, "/sitemap.xml"),
        "English programme": (LIGHT, path_of(translation)),
        "English area": (LIGHT, path_of(area.get_translation(english))),
        "English home": (LIGHT, path_of(home_of(LIGHT, "en"))),
        "English feed": (LIGHT, "/en/feed/"),
    }
    cache_all(client, {**light_pages, **life_pages()})

    with commit():
        programme.title = "Dự án SAFE (đã cập nhật)"
        programme.save_revision().publish()
        translation.title = "SAFE project (updated)"
        translation.save_revision().publish()

    assert cache_states(client, light_pages) == dict.fromkeys(light_pages, "miss")
    assert cache_states(client, life_pages()) == dict.fromkeys(life_pages(), "hit")
    assert "Dự án SAFE (đã cập nhật)" in get(client, light_pages["area"][1]).content.decode()
    english_area = get(client, light_pages["English area"][1]).content.decode()
    assert "SAFE project (updated)" in english_area


def test_a_change_is_not_seen_before_it_is_committed(
    client, light, django_capture_on_commit_callbacks
):
    programme = ProgrammePage.objects.descendant_of(light.root_page).get(code="SAFE")
    area = path_of(programme.get_parent())
    get(client, area)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        programme.title = "Dự án SAFE (chưa xác nhận)"
        programme.save_revision().publish()

    assert callbacks  # the purge waits for the commit
    assert get(client, area)["X-Page-Cache"] == "hit"


def test_a_site_settings_change_purges_that_site_only(client, life, commit):
    light_home = {"LIGHT home": (LIGHT, "/vi/"), "LIGHT English home": (LIGHT, "/en/")}
    cache_all(client, {**light_home, **life_pages()})

    with commit():
        site_settings = SiteSettings.for_site(life)
        site_settings.phone = "+84 28 1111 2222"
        site_settings.save()

    assert cache_states(client, life_pages()) == dict.fromkeys(life_pages(), "miss")
    assert cache_states(client, light_home) == dict.fromkeys(light_home, "hit")
    assert "+84 28 1111 2222" in get(client, "/en/", LIFE).content.decode()


def test_a_partner_change_purges_both_sites(client, commit):
    pages = {"LIGHT home": (LIGHT, "/vi/"), **life_pages()}
    cache_all(client, pages)

    with commit():
        partner = Partner.objects.first()
        partner.name = "Đối tác đổi tên"
        partner.save()

    assert cache_states(client, pages) == dict.fromkeys(pages, "miss")


def test_restricting_a_page_purges_its_site(client, light, commit):
    about = StandardPage.objects.descendant_of(light.root_page).first()
    pages = {"LIGHT page": (LIGHT, path_of(about)), "LIGHT home": (LIGHT, "/vi/")}
    cache_all(client, {**pages, **life_pages()})

    with commit():
        PageViewRestriction.objects.create(
            page=about, restriction_type=PageViewRestriction.PASSWORD, password="x" * 12
        )

    assert get(client, pages["LIGHT page"][1]).status_code == 200  # the password form
    assert "X-Page-Cache" not in get(client, pages["LIGHT page"][1])  # it sets no cookie
    assert get(client, "/vi/")["X-Page-Cache"] == "miss"
    assert cache_states(client, life_pages()) == dict.fromkeys(life_pages(), "hit")


def test_publishing_a_page_purges_the_other_site_where_a_page_links_to_it(
    client, light, life, commit
):
    programme = ProgrammePage.objects.descendant_of(light.root_page).get(code="SAFE")
    life_about = StandardPage.objects.descendant_of(life.root_page).first()
    with commit():
        life_about.intro = f'<p>Đối tác: <a id="{programme.pk}" linktype="page">SAFE</a></p>'
        life_about.save_revision().publish()
    linking = {"LIFE page": (LIFE, path_of(life_about))}
    cache_all(client, linking)
    link = f'href="http://{LIGHT}{path_of(programme)}"'
    assert link in get(client, path_of(life_about), LIFE).content.decode()

    with commit():
        programme.slug = "safe-moi"
        programme.save_revision().publish()

    assert cache_states(client, linking) == {"LIFE page": "miss"}
    programme.refresh_from_db()
    assert "/safe-moi/" in path_of(programme)
    link = f'href="http://{LIGHT}{path_of(programme)}"'
    assert link in get(client, path_of(life_about), LIFE).content.decode()


# Last-Modified: when the site last changed, for pages and feeds alike


def site_changed_an_hour_ago(site):
    shared_cache.set(changed_key(site.pk), AN_HOUR_AGO, timeout=None)


@pytest.mark.parametrize("path", ["/vi/", "/en/feed/", "/sitemap.xml"])
def test_pages_and_feeds_say_when_their_site_last_changed(client, light, path):
    site_changed_an_hour_ago(light)

    first = get(client, path)
    cached = get(client, path)
    unchanged = get(client, path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert first["Last-Modified"] == http_date(AN_HOUR_AGO)
    assert cached["Last-Modified"] == first["Last-Modified"]
    assert unchanged.status_code == 304
    assert unchanged.content == b""


def test_last_modified_moves_on_when_the_site_changes(client, light, commit):
    site_changed_an_hour_ago(light)
    before = get(client, "/vi/")["Last-Modified"]

    with commit():
        home = home_of(LIGHT, "vi").specific
        home.tagline = "Khẩu hiệu mới"
        home.save_revision().publish()
    after = get(client, "/vi/", HTTP_IF_MODIFIED_SINCE=before)

    assert after.status_code == 200
    assert "Khẩu hiệu mới" in after.content.decode()
    assert parse_http_date(after["Last-Modified"]) > parse_http_date(before)


def test_last_modified_holds_without_the_page_cache(client, light, settings):
    settings.PAGE_CACHE_SECONDS = 0
    site_changed_an_hour_ago(light)

    response = get(client, "/en/", HTTP_IF_MODIFIED_SINCE=http_date(AN_HOUR_AGO))

    assert response.status_code == 304
    assert "X-Page-Cache" not in response


def test_the_feed_does_not_claim_its_newest_story_date(client, light):
    """Django's feeds say the newest item's date, which stays put when a story is unpublished."""
    site_changed_an_hour_ago(light)

    feed = get(client, "/vi/feed/")

    assert feed["Last-Modified"] == get(client, "/vi/")["Last-Modified"]


def test_made_up_query_strings_are_answered_but_not_stored(client):
    for query in ("?utm_source=mail", "?page=2&x=1", f"?tag={'x' * 500}"):
        get(client, f"/vi/{query}")
        assert "X-Page-Cache" not in get(client, f"/vi/{query}")
    get(client, "/vi/?page=1")
    assert get(client, "/vi/?page=1")["X-Page-Cache"] == "hit"


def test_pages_that_set_cookies_or_answer_errors_are_not_cached(client):
    get(client, "/vi/no-such-page/")
    assert get(client, "/vi/no-such-page/").get("X-Page-Cache") is None
    assert get(client, "/vi/search/", data={"q": "an sinh"}).get("X-Page-Cache") is None
    assert "Last-Modified" not in get(client, "/vi/no-such-page/")


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
    assert all("Last-Modified" not in response for response in responses)
    outages = [r for r in caplog.records if "Redis is unavailable" in r.getMessage()]
    assert len(outages) == 1


def test_the_story_index_tag_list_follows_publishing_and_renaming(client, light, commit):
    from pages.models import StoryIndexPage, StoryPage

    index = StoryIndexPage.objects.descendant_of(home_of(LIGHT, "vi")).first()
    story = StoryPage.objects.child_of(index).live().first()

    def tags_listed():
        return {tag.name for tag in get(client, path_of(index)).context["tags"]}

    assert "trẻ em" not in tags_listed()
    story.tags.add("trẻ em")
    with commit():
        story.save_revision().publish()
    assert "trẻ em" in tags_listed()

    from taggit.models import Tag

    tag = Tag.objects.get(name="trẻ em")
    tag.name = "trẻ em và thanh niên"
    with commit():
        tag.save()
    assert "trẻ em và thanh niên" in tags_listed()


def test_the_story_count_follows_publishing_and_unpublishing(client, light, commit):
    from pages.models import StoryIndexPage, StoryPage

    index = StoryIndexPage.objects.descendant_of(home_of(LIGHT, "vi")).first()

    def counted():
        return get(client, path_of(index)).context["stories"].paginator.count

    before = counted()
    story = StoryPage.objects.child_of(index).live().first()
    with commit():
        story.unpublish()
    assert counted() == before - 1
    with commit():
        story.save_revision().publish()
    assert counted() == before

"""The page cache serves anonymous visitors, never anything stale, and empties site by site."""

import time

import pytest
import redis
from django.core.cache import cache as shared_cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date, parse_http_date
from wagtail.models import Locale, PageViewRestriction

from pagecache.keys import CLOCK_KEY, site_key, stamp_name
from pages.models import SiteSettings, StandardPage
from programmes.models import ProgrammePage
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


def test_redis_replies_are_parsed_in_c(client, redis_caches):
    """A hit reads some thirty tag versions; parsed in Python, that was a fifth of a hit."""
    from django.core.cache import caches

    connection = caches["default"]._cache.get_client().connection_pool.make_connection()

    assert type(connection._parser).__name__ == "_HiredisParser"


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


def light_story_pages():
    """A LIGHT story linked to a programme, what shows it, and pages that do not."""
    from pages.models import StoryPage

    english = Locale.objects.get(language_code="en")
    story = (
        StoryPage.objects.descendant_of(home_of(LIGHT, "vi"))
        .live()
        .filter(programme_links__isnull=False)
        .first()
    )
    index = story.get_parent()
    programme = story.programme_links.first().programme
    other_story = StoryPage.objects.sibling_of(story, inclusive=False).live().first()
    other_programme = (
        ProgrammePage.objects.descendant_of(home_of(LIGHT, "vi"))
        .live()
        .exclude(pk=programme.pk)
        .exclude(story_links__page=story)
        .first()
    )
    about = StandardPage.objects.descendant_of(home_of(LIGHT, "vi")).live().first()
    showing = {
        "story": (LIGHT, path_of(story)),
        "English story": (LIGHT, path_of(story.get_translation(english))),
        "story index": (LIGHT, path_of(index)),
        "English story index": (LIGHT, path_of(index.get_translation(english))),
        "home": (LIGHT, "/vi/"),
        "English home": (LIGHT, "/en/"),
        "its programme": (LIGHT, path_of(programme)),
        "feed": (LIGHT, "/vi/feed/"),
        "sitemap": (LIGHT, "/sitemap.xml"),
    }
    not_showing = {
        "another story": (LIGHT, path_of(other_story)),
        "another programme": (LIGHT, path_of(other_programme)),
        "a page of the about section": (LIGHT, path_of(about)),
        **life_pages(),
    }
    return story, showing, not_showing


def test_publishing_a_story_purges_what_shows_it_and_nothing_else(client, commit):
    story, showing, not_showing = light_story_pages()
    cache_all(client, {**showing, **not_showing})

    with commit():
        story.title = "Câu chuyện đã sửa"
        story.save_revision().publish()

    assert cache_states(client, showing) == dict.fromkeys(showing, "miss")
    assert cache_states(client, not_showing) == dict.fromkeys(not_showing, "hit")
    for name in ("story index", "home", "its programme"):
        assert "Câu chuyện đã sửa" in get(client, showing[name][1]).content.decode(), name


def test_unpublishing_a_story_takes_it_off_every_listing_at_once(client, commit):
    story, showing, not_showing = light_story_pages()
    cache_all(client, {**showing, **not_showing})

    with commit():
        story.unpublish()

    assert get(client, showing["story"][1]).status_code == 404
    for name in ("story index", "home", "its programme"):
        assert path_of(story) not in get(client, showing[name][1]).content.decode(), name
    assert cache_states(client, not_showing) == dict.fromkeys(not_showing, "hit")


def test_a_new_story_joins_its_index_and_the_programme_it_links_to(client, commit):
    from pages.models import StoryPage, StoryProgramme

    story, showing, not_showing = light_story_pages()
    index_path, programme_path = showing["story index"][1], showing["its programme"][1]
    cache_all(client, {**showing, **not_showing})

    with commit():
        new = StoryPage(
            title="Một câu chuyện mới",
            slug="mot-cau-chuyen-moi",
            date=story.date,
            summary="Tóm tắt",
        )
        story.get_parent().add_child(instance=new)
        new.programme_links.add(StoryProgramme(programme=story.programme_links.first().programme))
        new.save_revision().publish()

    assert "Một câu chuyện mới" in get(client, index_path).content.decode()
    assert "Một câu chuyện mới" in get(client, programme_path).content.decode()
    assert cache_states(client, not_showing) == dict.fromkeys(not_showing, "hit")


def test_renaming_a_menu_page_purges_every_page_showing_the_menu(client, light, commit):
    story, showing, not_showing = light_story_pages()
    life = life_pages()
    cache_all(client, {**showing, **not_showing})
    section = home_of(LIGHT, "vi").get_children().live().in_menu().first().specific

    with commit():
        section.title = "Mục đã đổi tên"
        section.save_revision().publish()

    light_vietnamese = {
        name: page
        for name, page in {**showing, **not_showing}.items()
        if page[0] == LIGHT
        and "English" not in name
        and "feed" not in name
        and "sitemap" not in name
    }
    assert cache_states(client, light_vietnamese) == dict.fromkeys(light_vietnamese, "miss")
    assert "Mục đã đổi tên" in get(client, not_showing["another story"][1]).content.decode()
    assert cache_states(client, life) == dict.fromkeys(life, "hit")


def test_moving_a_page_purges_the_listings_it_left_and_joined(client, light, commit):
    from programmes.models import ProgrammeAreaPage

    programme = ProgrammePage.objects.descendant_of(home_of(LIGHT, "vi")).get(code="SAFE")
    old_area = programme.get_parent()
    new_area = ProgrammeAreaPage.objects.sibling_of(old_area, inclusive=False).first()
    areas = {"old area": (LIGHT, path_of(old_area)), "new area": (LIGHT, path_of(new_area))}
    cache_all(client, areas)

    with commit():
        programme.move(new_area, pos="last-child")

    programme.refresh_from_db()
    assert path_of(programme) not in get(client, areas["old area"][1]).content.decode()
    assert path_of(programme) in get(client, areas["new area"][1]).content.decode()


def test_a_section_made_sensitive_offers_the_quick_exit_on_its_pages_at_once(client, commit):
    from safeguarding.sensitivity import Sensitivity

    story, showing, _not_showing = light_story_pages()
    index = story.get_parent().specific
    with commit():
        story.sensitivity = Sensitivity.INHERIT
        story.save_revision().publish()
        index.sensitivity = Sensitivity.NOT_SENSITIVE
        index.save_revision().publish()
    get(client, showing["story"][1])
    assert "data-quick-exit" not in get(client, showing["story"][1]).content.decode()

    with commit():
        index.sensitivity = Sensitivity.SENSITIVE
        index.save_revision().publish()

    assert "data-quick-exit" in get(client, showing["story"][1]).content.decode()


def test_a_page_changed_while_another_renders_is_not_stored_as_current(client, monkeypatch):
    """The render may have read the page before the change: serve it, but do not keep it."""
    from pagecache.keys import purge
    from pages.models import home as home_module

    home = home_of(LIGHT, "vi")
    render_home = home_module.home_page_context

    def changed_meanwhile(page, request):
        context = render_home(page, request)
        purge({f"page:{home.pk}"})
        return context

    monkeypatch.setattr(home_module, "home_page_context", changed_meanwhile)
    first = get(client, "/vi/")
    monkeypatch.setattr(home_module, "home_page_context", render_home)

    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    assert get(client, "/vi/")["X-Page-Cache"] == "miss"
    assert get(client, "/vi/")["X-Page-Cache"] == "hit"


def test_a_tag_the_cache_forgot_makes_its_pages_stale(client):

    get(client, "/vi/")
    assert get(client, "/vi/")["X-Page-Cache"] == "hit"
    shared_cache.delete(stamp_name(f"page:{home_of(LIGHT, 'vi').pk}"))

    assert get(client, "/vi/")["X-Page-Cache"] == "miss"


def test_a_slower_purge_never_sets_a_tag_back(redis_caches):
    from django.core.cache import caches

    redis_cache = caches["default"]
    redis_cache.raise_many(["tag-a", "tag-b"], 20)
    redis_cache.raise_many(["tag-a"], 10)

    assert redis_cache.get_many(["tag-a", "tag-b"]) == {"tag-a": 20, "tag-b": 20}


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


def test_a_change_rolled_back_is_not_purged_with_the_next_commit(client, light, life, commit):
    cache_all(client, life_pages())
    life_page = StandardPage.objects.descendant_of(life.root_page).first()
    with transaction.atomic():
        life_page.title = "Giới thiệu (bỏ)"
        life_page.save_revision().publish()
        transaction.set_rollback(True)

    with commit():
        programme = ProgrammePage.objects.descendant_of(light.root_page).get(code="SAFE")
        programme.save_revision().publish()

    assert cache_states(client, life_pages()) == dict.fromkeys(life_pages(), "hit")


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


def test_a_partner_change_purges_the_pages_that_show_it(client, light, commit):
    """The footer lists the home page's partners, in each language its own translation."""
    home = home_of(LIGHT, "vi").specific
    partner = home.featured_partners.first().partner
    about = StandardPage.objects.descendant_of(home).live().first()
    showing = {"LIGHT home": (LIGHT, "/vi/"), "LIGHT page": (LIGHT, path_of(about))}
    not_showing = {"LIGHT English home": (LIGHT, "/en/"), **life_pages()}
    cache_all(client, {**showing, **not_showing})

    with commit():
        partner.name = "Đối tác đổi tên"
        partner.save()

    assert cache_states(client, showing) == dict.fromkeys(showing, "miss")
    assert cache_states(client, not_showing) == dict.fromkeys(not_showing, "hit")
    assert "Đối tác đổi tên" in get(client, path_of(about)).content.decode()


def test_an_image_change_purges_the_pages_that_show_it(client, light, commit):
    from pages.models import StoryPage

    sharing_images = SiteSettings.objects.values("default_sharing_image")  # in every page's chrome
    story = (
        StoryPage.objects.descendant_of(light.root_page)
        .live()
        .exclude(image=None)
        .exclude(image__in=sharing_images)
        .first()
    )
    other = StoryPage.objects.descendant_of(light.root_page).live().exclude(image=story.image)
    pages = {
        "story": (LIGHT, path_of(story)),
        "story index": (LIGHT, path_of(story.get_parent())),
        "a story without it": (LIGHT, path_of(other.first())),
        **life_pages(),
    }
    cache_all(client, pages)

    with commit():
        story.image.title = "Ảnh đã đổi tên"
        story.image.save()

    showing = {"story": "miss", "story index": "miss"}
    assert cache_states(client, pages) == dict.fromkeys(pages, "hit") | showing


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


# Last-Modified: when what they show last changed, for pages and feeds alike


def site_changed_an_hour_ago(site):
    """Nothing on the site, nor any page anywhere, has changed for an hour."""
    shared_cache.set(stamp_name(site_key(site.pk)), int(AN_HOUR_AGO * 1e9), timeout=None)
    shared_cache.set(CLOCK_KEY, int(AN_HOUR_AGO * 1e9), timeout=None)


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


def test_the_database_cache_of_make_run_keeps_pages_cached_across_both_sites(client, settings):
    from django.core.management import call_command
    from wagtail.images import get_image_model

    from config.settings.base import DATABASE_CACHE
    from pages.models import ContactPage
    from pages.renditions import prebuild_renditions
    from tests.helpers import pages_of_each_type

    settings.CACHES = {**settings.CACHES, "default": DATABASE_CACHE}
    call_command("createcachetable", verbosity=0)  # as migration pages 0004 does for make run
    for image in get_image_model().objects.all():  # Wagtail caches each rendition it makes
        image.renditions.all().delete()
        prebuild_renditions(image)
    paths = [
        (host, path_of(page))
        for host in (LIGHT, LIFE)
        for language in ("vi", "en")
        for page in pages_of_each_type(host, language)
        if not isinstance(page, ContactPage)  # its form is never cached
    ]
    for host, path in paths:
        get(client, path, host)

    assert cache_states(client, dict(enumerate(paths))) == dict.fromkeys(range(len(paths)), "hit")


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


@pytest.fixture
def redis_unreachable(settings):
    """Both caches on a Redis address where nothing listens (the discard port)."""
    closed = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
    settings.CACHES = {"default": closed, "pages": closed}


def test_redis_down_serves_pages_uncached_and_logs_once(client, redis_unreachable, caplog):
    from config.cache import ResilientRedisCache

    ResilientRedisCache.last_logged = 0.0

    responses = [get(client, "/vi/") for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert all("X-Page-Cache" not in response for response in responses)
    assert all("Last-Modified" not in response for response in responses)
    outages = [r for r in caplog.records if "Redis is unavailable" in r.getMessage()]
    assert len(outages) == 1


def test_publishing_while_redis_is_down_publishes(client, redis_unreachable, light, commit, caplog):
    programme = ProgrammePage.objects.descendant_of(light.root_page).get(code="SAFE")
    image = programme.image

    with commit():
        programme.title = "Dự án SAFE (Redis vắng)"
        programme.save_revision().publish()
        image.title = "Ảnh (Redis vắng)"
        image.save()

    assert "Dự án SAFE (Redis vắng)" in get(client, path_of(programme)).content.decode()
    assert any("Could not purge the page cache" in r.getMessage() for r in caplog.records)


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

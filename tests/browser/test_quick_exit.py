"""The quick exit on sensitive pages, as a visitor's browser sees it: always on screen, and
leaving by click or by Escape twice so that Back does not return to the page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from wagtail.models import Site

from pages.models import HomePage, SiteSettings
from programmes.models import ProgrammeAreaPage, ProgrammePage
from tests.conftest import LIGHT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def url_of(page, port):
    site_id, root_url, path = page.get_url_parts()
    return f"{root_url}:{port}{path}"


@pytest.fixture(scope="module")
def urls(site_server, django_db_blocker):
    """Committed for the server thread: the quick exit points at a local neutral page."""
    port = site_server
    with django_db_blocker.unblock():
        site = Site.objects.get(hostname=LIGHT)
        site_settings = SiteSettings.for_site(site)
        original = site_settings.quick_exit_url
        neutral = f"http://{LIGHT}:{port}/healthz"
        site_settings.quick_exit_url = neutral
        site_settings.save()
        home = HomePage.objects.get(pk=site.root_page.pk)
        area = ProgrammeAreaPage.objects.descendant_of(home).get(title__contains="bạo lực")
        other_area = ProgrammeAreaPage.objects.sibling_of(area, inclusive=False).first()
        programme = ProgrammePage.objects.child_of(area).live().first()
        found = {
            "neutral": neutral,
            "home": url_of(home, port),
            "area": url_of(area, port),
            "programme": url_of(programme, port),
            "other_area": url_of(other_area, port),
        }
    yield found
    with django_db_blocker.unblock():
        site_settings.quick_exit_url = original
        site_settings.save()


def in_viewport(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_button_stays_on_screen_while_scrolling(page, urls, viewport):
    page.set_viewport_size(viewport)
    page.goto(urls["area"])
    button = page.locator(".quick-exit__button")
    assert button.is_visible()
    assert in_viewport(page, button)
    assert button.get_attribute("target") is None
    assert button.get_attribute("href") == urls["neutral"]
    assert page.locator(".quick-exit__help").is_visible()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert in_viewport(page, button)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_click_replaces_the_page_so_back_does_not_return(page, urls):
    page.goto(urls["home"])
    page.goto(urls["area"])
    page.locator(".quick-exit__button").click()
    page.wait_for_url(urls["neutral"])
    page.go_back()
    assert page.url == urls["home"]


def test_escape_twice_leaves_an_inheriting_page(page, urls):
    page.goto(urls["home"])
    page.goto(urls["programme"])
    assert page.locator(".quick-exit__button").is_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(urls["neutral"])
    page.go_back()
    assert page.url == urls["home"]


def test_escape_once_stays(page, urls):
    page.goto(urls["area"])
    page.keyboard.press("Escape")
    page.wait_for_timeout(1200)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url == urls["area"]


def test_without_javascript_the_button_is_a_plain_link(browser, urls):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(urls["area"])
    page.locator(".quick-exit__button").click()
    page.wait_for_url(urls["neutral"])
    assert len(context.pages) == 1  # nothing opened in a new tab
    context.close()


@pytest.mark.parametrize("name", ["home", "other_area"])
def test_pages_that_are_not_sensitive_have_no_button(page, urls, name):
    page.goto(urls[name])
    assert page.locator("[data-quick-exit]").count() == 0

"""The public front end as a visitor's browser sees it: navigation, language switching,
small screens, keyboard use, accessibility (axe-core) and network hygiene."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from wagtail.models import Locale

from pages.models import (
    AchievementsPage,
    MilestonesPage,
    StandardPage,
)
from programmes.models import ProgrammePage
from tests.conftest import LIFE, LIGHT
from tests.helpers import PAGE_TYPES, home_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = ["vi", "en"]
SITES = [LIGHT, LIFE]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
MIN_TARGET = 24  # CSS pixels, WCAG 2.2 success criterion 2.5.8
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def first_of(page_type, hostname, language):
    """The first live page of a type on a site in a language, or None."""
    home = home_of(hostname, language)
    return (
        page_type.objects.descendant_of(home, inclusive=True)
        .live()
        .filter(locale__language_code=language)
        .order_by("path")
        .first()
    )


def url_of(page, port):
    site_id, root_url, path = page.get_url_parts()
    return f"{root_url}:{port}{path}"


def path_of(url):
    return urlsplit(url).path


class Watcher:
    """Everything that went wrong on the network or in the console while the page was open."""

    def __init__(self, page, origin):
        self.origin = origin
        self.problems = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        page.on("request", self.request)
        page.on("response", self.response)

    def console(self, message):
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.problems.append(f"other host: {request.url}")

    def response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


# Navigation by clicking links


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("hostname", SITES)
def test_home_to_programme_area_to_programme(page, site_server, hostname, language):
    page.goto(f"http://{hostname}:{site_server}/{language}/")
    area_link = page.locator("[aria-labelledby=areas-heading] .card__title a").first
    area_title = area_link.inner_text()

    area_link.click()
    assert page.locator("h1").inner_text() == area_title
    assert page.locator(".breadcrumbs [aria-current=page]").inner_text() == area_title
    programme_link = page.locator("[aria-labelledby=projects-heading] .card__title a").first
    programme_title = programme_link.inner_text()

    programme_link.click()
    assert page.locator("h1").inner_text() == programme_title
    assert page.locator(".eyebrow").count() == 1  # the programme's code
    assert area_title in page.locator(".breadcrumbs").inner_text()
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_to_achievements_to_milestones(page, site_server, language):
    achievements = first_of(AchievementsPage, LIFE, language)
    milestones = first_of(MilestonesPage, LIFE, language)
    page.goto(f"http://{LIFE}:{site_server}/{language}/")

    page.locator(".main-nav").get_by_role("link", name=achievements.title, exact=True).click()
    assert path_of(page.url) == path_of(url_of(achievements, site_server))
    assert page.locator(".figures .figure__value").count() > 0

    page.locator(".main-nav").get_by_role("link", name=milestones.title, exact=True).click()
    assert path_of(page.url) == path_of(url_of(milestones, site_server))
    assert page.locator(".timeline .timeline__item").count() > 0


# Language switching


@pytest.mark.parametrize(
    ("hostname", "source", "target"), [(LIGHT, "vi", "en"), (LIFE, "en", "vi")]
)
def test_language_switcher_goes_to_the_translation_of_the_same_page(
    page, site_server, hostname, source, target
):
    programme = first_of(ProgrammePage, hostname, source)
    translation = programme.get_translation(Locale.objects.get(language_code=target))
    page.goto(url_of(programme, site_server))

    page.locator(f".language-switcher a[hreflang={target}]").click()

    assert path_of(page.url) == path_of(url_of(translation, site_server))
    assert page.locator("html").get_attribute("lang") == target
    assert page.locator(f".language-switcher [aria-current][lang={target}]").count() == 1
    assert page.locator(".language-switcher__note").count() == 0


def test_switcher_explains_a_missing_translation(client):
    # Rendered by the test client: a page created here is invisible to the live server
    # thread on databases other than SQLite.
    home = home_of(LIGHT, "vi")
    home.add_child(instance=StandardPage(title="Chỉ có tiếng Việt", slug="chi-co-tieng-viet"))

    response = client.get("/vi/chi-co-tieng-viet/", HTTP_HOST=LIGHT)

    content = response.content.decode()
    english_home = path_of(home_of(LIGHT, "en").url)
    assert response.status_code == 200
    assert f'href="{english_home}"' in content
    assert 'aria-describedby="language-note-en"' in content
    assert "This page is not translated yet" in content


# Small screens


@pytest.mark.parametrize("hostname", SITES)
def test_phone_menu_opens_and_closes_without_overflow(browser, site_server, hostname):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(f"http://{hostname}:{site_server}/vi/")
    toggle = page.locator(".site-menu__toggle")
    first_link = page.locator(".main-nav a").first

    assert toggle.is_visible()
    assert not first_link.is_visible()
    toggle.click()
    assert first_link.is_visible()
    assert page.locator(".search-form input[name=q]").is_visible()
    toggle.click()
    assert not first_link.is_visible()
    toggle.click()
    page.keyboard.press("Escape")  # the optional enhancement
    assert not first_link.is_visible()
    context.close()


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda cls: cls.__name__)
def test_phone_pages_do_not_overflow_and_targets_are_large(browser, site_server, page_type):
    hostname = LIGHT if first_of(page_type, LIGHT, "vi") else LIFE
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(url_of(first_of(page_type, hostname, "vi"), site_server))
    page.locator(".site-menu__toggle").click()

    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= page.evaluate("innerWidth")
    targets = page.locator(
        ".site-menu__toggle, .main-nav a, .language-switcher a, .search-form button, "
        ".search-form input, .breadcrumbs a, .site-footer nav a, .site-footer section a, "
        ".pagination a, .tag-filter a"
    )
    assert targets.count() > 5
    for target in targets.all():
        box = target.bounding_box()
        label = target.inner_text() or target.get_attribute("name")
        assert box["width"] >= MIN_TARGET, label
        assert box["height"] >= MIN_TARGET, label
    context.close()


# Keyboard


def focused(page):
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                id: element.id,
                className: element.className,
                href: element.getAttribute("href"),
                tag: element.tagName,
                outline: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
            };
        }"""
    )


@pytest.mark.parametrize("hostname", SITES)
def test_keyboard_skip_link_and_visible_focus(page, site_server, hostname):
    page.goto(f"http://{hostname}:{site_server}/en/")

    page.keyboard.press("Tab")
    assert focused(page)["className"] == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    page.goto(f"http://{hostname}:{site_server}/en/")
    for _ in range(12):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["tag"] in ("A", "BUTTON", "INPUT", "SUMMARY"):
            assert element["outline"] != "none", element
            assert element["outlineWidth"] >= 2, element


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_keyboard_reaches_the_whole_menu(browser, site_server, viewport):
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    page.goto(f"http://{LIFE}:{site_server}/vi/")
    menu = page.locator(".main-nav a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["tag"] == "SUMMARY" and not page.locator(".site-menu").evaluate("d => d.open"):
            page.keyboard.press("Enter")
        reached.add(element["href"])
        if set(menu) <= reached:
            break
    assert menu
    assert set(menu) <= reached
    context.close()


# Accessibility and network hygiene on every page type, in both languages


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda cls: cls.__name__)
def test_every_page_type_is_accessible_and_stays_on_the_site(
    browser, site_server, page_type, language
):
    checked = 0
    for hostname in SITES:
        target = first_of(page_type, hostname, language)
        if target is None:
            continue
        context = browser.new_context(locale="vi-VN")
        page = context.new_page()
        watcher = Watcher(page, f"http://{hostname}:{site_server}")
        response = page.goto(url_of(target, site_server))
        page.wait_for_load_state("networkidle")

        assert response.status == 200
        assert watcher.problems == []
        results = Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, results.generate_report()
        context.close()
        checked += 1
    assert checked


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_page_is_styled_translated_and_accessible(page, site_server, language):
    response = page.goto(f"http://{LIFE}:{site_server}/{language}/no-such-page/")

    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".site-header").is_visible()
    assert page.locator(".error-page__other").count() == 1
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_menu_works_without_javascript(browser, site_server, viewport):
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"http://{LIGHT}:{site_server}/en/")
    first_link = page.locator(".main-nav a").first

    if viewport == PHONE:
        assert not first_link.is_visible()
        page.locator(".site-menu__toggle").click()
    else:
        assert not page.locator(".site-menu__toggle").is_visible()
    assert first_link.is_visible()
    assert page.locator(".search-form input[name=q]").is_visible()
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_results_are_accessible(page, site_server, language):
    page.goto(f"http://{LIGHT}:{site_server}/{language}/")
    box = page.locator("header input[name=q]")
    if not box.is_visible():  # on a phone the search box sits in the menu
        page.locator(".site-menu summary").click()
    box.fill("cong dong" if language == "vi" else "community")
    box.press("Enter")
    page.wait_for_url(f"**/{language}/search/?q=*")

    assert page.locator("ol.search-results li").count() > 0
    assert page.locator("ol.search-results mark").count() > 0
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()

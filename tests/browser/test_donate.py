"""The Donate page in Chromium: its VietQR code, as the browser draws it and zbar reads it,
carries the site's bank details, and the page passes axe in both languages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from wagtail.models import Page, Site

from giving.models import BankTransferSettings
from tests.conftest import LIGHT
from tests.test_giving import ACCOUNT, add_donate_pages, assert_transfer, decode_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
PHONE = {"width": 360, "height": 740}


def url_of(page, port):
    site_id, root_url, path = page.get_url_parts()
    return f"{root_url}:{port}{path}"


@pytest.fixture(scope="module")
def donate_urls(django_db_setup, django_db_blocker, site_server):
    """Committed for the server thread: LIGHT's bank details and its Donate page."""
    with django_db_blocker.unblock():
        bank = BankTransferSettings.objects.create(site=Site.objects.get(hostname=LIGHT), **ACCOUNT)
        pages = add_donate_pages()
        urls = {language: url_of(page, site_server) for language, page in pages.items()}
    yield urls
    with django_db_blocker.unblock():
        for page in Page.objects.filter(translation_key=pages["vi"].translation_key):
            page.delete()
        bank.delete()


@pytest.fixture
def sharp_page(browser):
    """A page at twice the pixel density, as on most phones."""
    context = browser.new_context(locale="vi-VN", device_scale_factor=2)
    yield context.new_page()
    context.close()


def scan(page, path):
    qr = page.locator("svg.vietqr")
    box = qr.bounding_box()
    assert box["width"] >= 150 and abs(box["width"] - box["height"]) < 1  # square, scannable
    qr.screenshot(path=path)
    return decode_png(path)


@pytest.mark.parametrize(("language", "label"), [("vi", "200.000 ₫"), ("en", "200,000 VND")])
def test_the_qr_code_scans_to_the_bank_details(sharp_page, donate_urls, tmp_path, language, label):
    page = sharp_page
    assert page.goto(donate_urls[language]).status == 200
    assert_transfer(scan(page, tmp_path / "static.png"), ACCOUNT, message="UNG HO")

    with page.expect_navigation():
        page.get_by_role("link", name=label).click()
    assert page.get_by_role("link", name=label).get_attribute("aria-current") == "true"
    assert_transfer(scan(page, tmp_path / "chosen.png"), ACCOUNT, 200000, "UNG HO")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("query", ["", "?amount=500000", "?amount=nonsense"])
def test_the_donate_page_passes_axe(page, donate_urls, language, query):
    page.set_viewport_size(PHONE)
    response = page.goto(donate_urls[language] + query)

    assert response.status == (400 if query == "?amount=nonsense" else 200)
    assert page.locator("html").get_attribute("lang") == language
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()

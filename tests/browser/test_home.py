import pytest

# django_db tells pytest-django to create the test database that the live server reads.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize(
    ("host", "language", "organisation"),
    [("light.localhost", "vi", "LIGHT"), ("life.localhost", "en", "LIFE")],
)
def test_home_page_opens_in_chromium(page, site_server, host, language, organisation):
    response = page.goto(f"http://{host}:{site_server}/{language}/")

    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert organisation in page.title()


def test_root_follows_the_browser_language(page, site_server):
    page.goto(f"http://127.0.0.1:{site_server}/")

    assert page.url.endswith("/vi/")
    assert page.locator("html").get_attribute("lang") == "vi"

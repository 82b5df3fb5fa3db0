"""What search engines and social networks see: metadata, JSON-LD, sitemap and robots.txt."""

import json

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree as ET
from wagtail.models import Page, Site

from pages.models import HomePage, StoryPage
from tests.conftest import LIFE, LIGHT
from tests.helpers import pages_of_each_type

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def head_of(client, page, hostname):
    response = client.get(page.get_url_parts()[2], HTTP_HOST=hostname)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def cases():
    return [(hostname, language) for hostname in (LIGHT, LIFE) for language in ("vi", "en")]


@pytest.mark.parametrize(("hostname", "language"), cases())
def test_every_page_type_describes_itself(client, hostname, language):
    for page in pages_of_each_type(hostname, language):
        soup = head_of(client, page, hostname)
        own_url = f"http://{hostname}{page.get_url_parts()[2]}"

        assert soup.find("link", rel="canonical")["href"] == own_url
        hreflangs = {
            link["hreflang"]: link["href"] for link in soup.find_all("link", hreflang=True)
        }
        assert set(hreflangs) == {"vi", "en", "x-default"}, page
        assert hreflangs[language] == own_url
        assert hreflangs["x-default"] == hreflangs["vi"]
        assert soup.find("meta", attrs={"name": "description"})["content"].strip()
        assert soup.find("meta", property="og:title")["content"].strip()
        image = soup.find("meta", property="og:image")["content"]
        assert image.startswith(f"http://{hostname}/media/images/")
        assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == (
            "summary_large_image"
        )

        graph = json.loads(soup.find("script", type="application/ld+json").string)["@graph"]
        types = [item["@type"] for item in graph]
        assert types[0] == "NGO"
        assert graph[0]["alternateName"] in {"LIGHT", "LIFE"}
        if isinstance(page, HomePage):
            assert "BreadcrumbList" not in types
        else:
            crumbs = graph[types.index("BreadcrumbList")]["itemListElement"]
            assert crumbs[-1]["item"] == own_url
            assert [crumb["position"] for crumb in crumbs] == list(range(1, len(crumbs) + 1))
        if isinstance(page, StoryPage):
            article = graph[types.index("NewsArticle")]
            assert article["datePublished"] == page.date.isoformat()
            assert article["inLanguage"] == language
            assert soup.find("meta", property="og:type")["content"] == "article"


def test_home_title_names_the_organisation(client):
    home = Site.objects.get(hostname=LIFE).root_page.specific
    soup = head_of(client, home, LIFE)

    assert home.organisation_name in soup.title.string
    assert soup.find("meta", property="og:title")["content"] == home.organisation_name


def test_json_ld_cannot_break_out_of_its_script(client, light):
    home = light.root_page.specific
    home.tagline = "</script><script>alert(1)</script>"
    home.save_revision().publish()

    content = client.get("/vi/", HTTP_HOST=LIGHT).content.decode()

    assert "<script>alert(1)" not in content
    data = BeautifulSoup(content, "html.parser").find("script", type="application/ld+json")
    assert json.loads(data.string)["@graph"][0]["description"] == home.tagline


@pytest.mark.parametrize(("hostname", "other"), [(LIGHT, LIFE), (LIFE, LIGHT)])
def test_sitemap_lists_the_sites_pages_in_both_languages(client, hostname, other):
    response = client.get("/sitemap.xml", HTTP_HOST=hostname)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")

    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")
    locations = [url.find(f"{SITEMAP}loc").text for url in urls]
    home = Site.objects.get(hostname=hostname).root_page
    expected = Page.objects.none()
    for translation in home.get_translations(inclusive=True):
        expected |= Page.objects.descendant_of(translation, inclusive=True).live()

    assert len(locations) == len(set(locations)) == expected.count()
    assert all(location.startswith(f"http://{hostname}/") for location in locations)
    assert not any(other in location for location in locations)
    for url in urls:
        alternates = {
            link.get("hreflang") for link in url.findall(f"{XHTML}link[@rel='alternate']")
        }
        assert alternates == {"vi", "en", "x-default"}


def test_robots_points_to_the_sitemap_of_the_same_site(client):
    response = client.get("/robots.txt", HTTP_HOST=LIFE)

    assert response.status_code == 200
    assert "Sitemap: http://life.localhost/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()

"""Each site offers an RSS feed of its stories in each language."""

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from wagtail.models import Locale, Site

from pages.models import StoryPage
from tests.conftest import LIFE, LIGHT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("hostname", [LIGHT, LIFE])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_feed_is_rss_and_links_to_the_sites_stories(client, hostname, language):
    home = Site.objects.get(hostname=hostname).root_page.get_translation(
        Locale.objects.get(language_code=language)
    )
    stories = StoryPage.objects.descendant_of(home).live()

    response = client.get(f"/{language}/feed/", HTTP_HOST=hostname)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = ElementTree.fromstring(response.content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel.findtext("language") == language
    links = [item.findtext("link") for item in channel.findall("item")]
    assert sorted(links) == sorted(
        f"http://{hostname}{story.get_url_parts()[2]}" for story in stories
    )
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("pubDate")
        page = client.get(
            item.findtext("link").removeprefix(f"http://{hostname}"), HTTP_HOST=hostname
        )
        assert page.status_code == 200


def test_feed_is_advertised_in_every_page_head(client):
    response = client.get("/en/", HTTP_HOST=LIFE)
    link = BeautifulSoup(response.content, "html.parser").find(
        "link", rel="alternate", type="application/rss+xml"
    )

    assert link["href"] == "/en/feed/"


def test_feed_query_count_does_not_grow_with_stories(client, django_assert_max_num_queries):
    client.get("/vi/feed/", HTTP_HOST=LIGHT)
    with django_assert_max_num_queries(8):
        client.get("/vi/feed/", HTTP_HOST=LIGHT)

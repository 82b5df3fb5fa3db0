"""Page weight and strict-CSP readiness, checked on every page type of both sites."""

import gzip

import pytest
from bs4 import BeautifulSoup

from tests.conftest import LIFE, LIGHT
from tests.helpers import pages_of_each_type

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024  # HTML + CSS + JS of a page, compressed


def compressed_size(client, url, hostname):
    response = client.get(url, HTTP_HOST=hostname)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(gzip.compress(body))


@pytest.mark.parametrize("hostname", [LIGHT, LIFE])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_pages_are_light_and_ready_for_a_strict_csp(client, hostname, language):
    for page in pages_of_each_type(hostname, language):
        path = page.get_url_parts()[2]
        response = client.get(path, HTTP_HOST=hostname)
        soup = BeautifulSoup(response.content, "html.parser")

        stylesheets = soup.find_all("link", rel="stylesheet")
        scripts = soup.find_all("script")
        assert len(stylesheets) == 1, f"{path}: one render-blocking stylesheet"
        assert soup.find("style") is None, path
        assert soup.find(style=True) is None, f"{path}: inline style attribute"
        assert not [
            tag for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)
        ]
        for script in scripts:
            if script.get("type") == "application/ld+json":
                continue  # a data block, never executed
            assert script.get("src") and script.has_attr("defer"), f"{path}: {script}"

        total = len(gzip.compress(response.content))
        total += compressed_size(client, stylesheets[0]["href"], hostname)
        for script in scripts:
            if script.get("src"):
                total += compressed_size(client, script["src"], hostname)
        assert total <= BUDGET, f"{path}: {total} bytes compressed"

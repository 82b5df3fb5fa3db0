"""Text goes out compressed: Brotli or gzip as the browser accepts, decoding to the same bytes."""

import gzip

import brotli
import pytest

from config import compression
from tests.conftest import LIGHT
from tests.helpers import home_of, pages_of_each_type, path_of

pytestmark = pytest.mark.django_db

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def get(client, path, encoding=None, **headers):
    if encoding:
        headers["HTTP_ACCEPT_ENCODING"] = encoding
    return client.get(path, HTTP_HOST=LIGHT, **headers)


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip;q=0.5", "gzip")],
)
def test_every_page_type_is_compressed_and_decodes_to_the_same_bytes(client, accept, encoding):
    for page in pages_of_each_type(LIGHT, "vi"):
        plain = get(client, path_of(page))
        assert plain.status_code == 200
        assert "Content-Encoding" not in plain
        assert "Accept-Encoding" in plain["Vary"]
        for _ in ("miss or hit", "hit"):
            packed = get(client, path_of(page), accept)
            assert packed["Content-Encoding"] == encoding
            assert "Accept-Encoding" in packed["Vary"]
            assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
            assert DECODE[encoding](packed.content) == plain.content


@pytest.mark.parametrize("path", ["/theme.css", "/vi/feed/", "/sitemap.xml", "/vi/search/?q=hiv"])
def test_feeds_stylesheet_sitemap_and_search_are_compressed(client, path):
    plain, packed = get(client, path), get(client, path, "br")
    assert packed["Content-Encoding"] == "br"
    assert brotli.decompress(packed.content) == plain.content


def test_a_cached_page_is_compressed_when_stored_not_on_each_hit(client, monkeypatch):
    path = path_of(home_of(LIGHT, "vi"))
    first = get(client, path, "br")
    assert first["X-Page-Cache"] == "miss"

    def compress_again(*args, **kwargs):
        raise AssertionError("a hit was compressed again")

    monkeypatch.setattr(compression, "compress", compress_again)
    hit = get(client, path, "br")
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == first.content


def test_a_compressed_pages_etag_still_gets_its_304(client):
    path = path_of(home_of(LIGHT, "vi"))
    get(client, path, "br")
    packed = get(client, path, "br")
    assert packed["ETag"].startswith('W/"')
    again = get(client, path, "br", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304
    plain = get(client, path)
    assert get(client, path, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304


def test_small_and_binary_responses_are_left_alone(client):
    assert "Content-Encoding" not in get(client, "/healthz", "br")
    assert (
        "Content-Encoding" not in get(client, "/robots.txt", "br")
        or len(get(client, "/robots.txt").content) >= compression.MINIMUM_SIZE
    )

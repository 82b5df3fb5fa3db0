"""The image URLs a page gives a browser (no Django needed: the benchmarks use it too)."""

import urllib.parse
from html.parser import HTMLParser


class ImageURLs(HTMLParser):
    """Every image URL in a page: src, each srcset candidate, and the social preview image."""

    def __init__(self):
        super().__init__()
        self.urls = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("img", "source") and attrs.get("src"):
            self.urls.add(attrs["src"])
        for candidate in (attrs.get("srcset") or "").split(","):
            if candidate.strip():
                self.urls.add(candidate.split()[0])
        if tag == "meta" and attrs.get("property") == "og:image":
            self.urls.add(attrs["content"])


def media_paths(html, media_url="/media/"):
    """The paths of the uploaded images (originals and renditions) that a page shows."""
    parser = ImageURLs()
    parser.feed(html)
    paths = (urllib.parse.urlsplit(url).path for url in parser.urls)
    return {path for path in paths if path.startswith(media_url)}

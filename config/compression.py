"""Text responses compressed with Brotli or gzip, as the browser accepts.

Visitors on slow mobile networks pay for every byte: a page's HTML shrinks to about a fifth. The
page cache stores each page already compressed both ways (`encoded_bodies`), so a hit only picks
one; anything else is compressed on its way out. Static files are WhiteNoise's, compressed when
collected.
"""

import gzip

import brotli
from django.utils.cache import patch_vary_headers

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/ld+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)
MINIMUM_SIZE = 200  # below this, the headers outweigh what compression saves
BROTLI_QUALITY = 5  # for responses compressed as they go out; stored pages get the best
STORED_BROTLI_QUALITY = 11
GZIP_LEVEL = 6
PRECOMPRESSED = "precompressed_bodies"


def is_compressible(response):
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
        and len(response.content) >= MINIMUM_SIZE
    )


def accepted(request):
    """The encoding to send: Brotli, else gzip, else None (as the client's header allows)."""
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    offered = {}
    for part in header.split(","):
        name, _separator, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip().lower()] = quality
    for encoding in ("br", "gzip"):
        if offered.get(encoding, offered.get("*", 0.0)) > 0:
            return encoding
    return None


def compress(content, encoding, stored=False):
    if encoding == "br":
        return brotli.compress(content, quality=STORED_BROTLI_QUALITY if stored else BROTLI_QUALITY)
    # mtime=0: the same content gives the same bytes, and so the same validator.
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


def encoded_bodies(response):
    """{encoding: body} of a response about to be stored, compressed once for all its hits."""
    if not is_compressible(response):
        return {}
    return {
        encoding: compress(response.content, encoding, stored=True) for encoding in ("br", "gzip")
    }


class CompressionMiddleware:
    """Brotli or gzip for text responses, with `Vary: Accept-Encoding`.

    It sits above ConditionalGetMiddleware, so a 304 is decided on the uncompressed response;
    the compressed one's ETag is marked weak (as Django's GZipMiddleware does), and a browser
    sending it back still gets its 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        bodies = getattr(response, PRECOMPRESSED, None) or {}
        if not bodies and not is_compressible(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = accepted(request)
        if encoding is None:
            return response
        body = bodies.get(encoding) or compress(response.content, encoding)
        if len(body) >= len(response.content):
            return response
        response.content = body
        response["Content-Length"] = str(len(body))
        response["Content-Encoding"] = encoding
        etag = response.get("ETag")
        if etag and not etag.startswith("W/"):
            response["ETag"] = f"W/{etag}"
        return response

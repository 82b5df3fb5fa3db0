"""Uploaded files (images, their renditions, documents) on the server's disk."""

from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri


class MediaStorage(FileSystemStorage):
    """FileSystemStorage, with URLs built without urllib's urljoin (Storage.url is public API).

    A listing of cards asks for dozens of image URLs, and urljoin, which resolves any URL
    against any other, dominated what a picture cost (docs/benchmarks.md). A stored name,
    quoted, has no scheme, query or fragment left (":", "?" and "#" are escaped), so joined to
    MEDIA_URL it is MEDIA_URL followed by the name, unless it has "." or ".." or empty segments,
    which urljoin resolves or drops: those names, which this storage never makes, are left to
    it.
    """

    def url(self, name):
        quoted = filepath_to_uri(name)
        if self.base_url is None or quoted is None or "/." in f"/{quoted}" or "//" in quoted:
            return super().url(name)
        return self.base_url + quoted.lstrip("/")

"""Public uploaded images, served by the application itself in every environment.

Under `make run`, `make serve`, the Docker image and compose, nothing else serves MEDIA_URL, so
this middleware answers for the two folders of MEDIA_ROOT that are public by nature: Wagtail's
renditions (`images/`) and the uploaded originals (`original_images/`). It comes before the
language redirect and the page cache, so a missing file is a plain 404, never a redirect to
`/vi/media/...`.

Everything else under MEDIA_URL answers 404: documents (`documents/`) are only ever served
through Wagtail's view at `/documents/<id>/<name>`, which applies the collection's privacy and
the safeguarding hook; directories are never listed; `..`, encoded or not, and symbolic links
out of the two folders are refused; only image files are sent, with their own content type.

With object storage configured (config/object_storage.py) the same names are read from the
bucket, which stays private. Either way an edge cache in front keeps what this sends
(docs/operations.md).
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.http import FileResponse, HttpResponseNotAllowed, HttpResponseNotFound
from django.utils.http import http_date

# The only files sent, by extension: the image formats uploads accept (WAGTAILIMAGES_EXTENSIONS)
# and the formats renditions are written in. Python's mimetypes does not know AVIF before 3.13.
IMAGE_TYPES = {
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
# A rendition's name says its source and its filter, and a replaced source file gets a new
# name, so a rendition never changes under its URL: browsers and proxies keep it for a year.
# An original can be replaced under the same name only once the old file is gone; a day.
PUBLIC_FOLDERS = {
    "images": "public, max-age=31536000, immutable",
    "original_images": "public, max-age=86400",
}


def public_media_name(path):
    """The stored name (e.g. images/x.webp) a path below MEDIA_URL names, if the public may
    have it; with its folder. None otherwise."""
    relative = path.removeprefix(settings.MEDIA_URL)
    folder, _, rest = relative.partition("/")
    parts = rest.split("/")
    if (
        folder not in PUBLIC_FOLDERS
        or not rest
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
        or "\\" in rest
        or "\x00" in rest
        or Path(rest).suffix.lower() not in IMAGE_TYPES
    ):
        return None
    return relative, folder


def public_media_file(path):
    """The file under MEDIA_ROOT that a path below MEDIA_URL names, if the public may have it.

    Returns (absolute path, folder) or None. Symbolic links out of the folder are refused.
    """
    found = public_media_name(path)
    if found is None:
        return None
    name, folder = found
    root = Path(os.path.realpath(Path(settings.MEDIA_ROOT) / folder))
    candidate = Path(os.path.realpath(Path(settings.MEDIA_ROOT) / name))
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate, folder


def from_disk(path):
    found = public_media_file(path)
    if found is None:
        return None
    file_path, folder = found
    # FileResponse sets Content-Length from the file.
    response = FileResponse(
        file_path.open("rb"), content_type=IMAGE_TYPES[file_path.suffix.lower()]
    )
    response["Last-Modified"] = http_date(file_path.stat().st_mtime)
    return response, folder


def from_object_storage(path):
    """The same, read from the bucket (config/object_storage.py), which no visitor can read."""
    found = public_media_name(path)
    if found is None:
        return None
    name, folder = found
    try:
        stored = default_storage.open(name)
    except FileNotFoundError:
        return None
    response = FileResponse(stored, content_type=IMAGE_TYPES[Path(name).suffix.lower()])
    response["Content-Length"] = stored.size
    response["Last-Modified"] = http_date(stored.obj.last_modified.timestamp())
    return response, folder


class PublicMediaMiddleware:
    """Answers every request below MEDIA_URL: a public image, or 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(settings.MEDIA_URL):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        on_disk = isinstance(storages["default"], FileSystemStorage)
        found = (from_disk if on_disk else from_object_storage)(request.path_info)
        if found is None:
            return HttpResponseNotFound(b"Not found", content_type="text/plain")
        # ConditionalGetMiddleware, outside this one, answers If-Modified-Since with a 304.
        response, folder = found
        response["Cache-Control"] = PUBLIC_FOLDERS[folder]
        return response

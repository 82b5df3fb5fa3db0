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

A real deployment puts a web server or object storage in front of `/media/images/` and
`/media/original_images/` (docs/operations.md); this keeps the app correct without one.
"""

import os
from pathlib import Path

from django.conf import settings
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


def public_media_file(path):
    """The file under MEDIA_ROOT that a path below MEDIA_URL names, if the public may have it.

    Returns (absolute path, folder) or None.
    """
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
    root = Path(os.path.realpath(Path(settings.MEDIA_ROOT) / folder))
    candidate = Path(os.path.realpath(root.joinpath(*parts)))
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate, folder


class PublicMediaMiddleware:
    """Answers every request below MEDIA_URL: a public image, or 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(settings.MEDIA_URL):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        found = public_media_file(request.path_info)
        if found is None:
            return HttpResponseNotFound(b"Not found", content_type="text/plain")
        file_path, folder = found
        content_type = IMAGE_TYPES[file_path.suffix.lower()]
        # FileResponse sets Content-Length from the file. ConditionalGetMiddleware, outside this
        # one, answers If-Modified-Since with a 304.
        response = FileResponse(file_path.open("rb"), content_type=content_type)
        response["Last-Modified"] = http_date(file_path.stat().st_mtime)
        response["Cache-Control"] = PUBLIC_FOLDERS[folder]
        return response

"""Uploaded files in S3-compatible object storage, for several app servers (docs/operations.md).

Every object is private: nothing in the bucket is readable without the keys. Visitors reach
public images through the app (config/media.py), which the edge cache keeps, and documents
through Wagtail's document view, which applies collection privacy and the safeguarding hook.
So URLs are the same as with files on disk, and a private consent form is never one leaked
bucket URL away.
"""

from django.conf import settings
from storages.backends.s3 import S3Storage

from config.storage import MediaStorage


class ObjectMediaStorage(S3Storage):
    default_acl = "private"
    querystring_auth = False  # URLs name the app, not the bucket
    # Two uploads of "report.pdf" must not overwrite each other, as they do not on disk.
    file_overwrite = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        return MediaStorage(base_url=settings.MEDIA_URL).url(name)

"""The test suite: fast hashing, plain static storage, in-memory email and cache."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
# The test client's own host shows the default site; tests/test_security.py tries others.
DEFAULT_SITE_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LANGUAGE_COOKIE_SECURE = False
STAFF_MFA_REQUIRED = False  # tests that need it turn it on
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    # Room for every version the page cache keeps (see base.py): culled, they read as changes.
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
WHITENOISE_AUTOREFRESH = True

# Each test process (one per xdist worker) writes its images to its own directory, removed
# when the process ends.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ngo-test-media-"))  # noqa: F405
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
WHITENOISE_USE_FINDERS = True  # serve static files from the source tree, as in development
# Off unless a test turns it on (tests/test_cache.py), so query counts measure real renders.
PAGE_CACHE_SECONDS = 0

"""Settings for every environment: secure defaults; deployment choices come from the environment."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.env import email_settings, env, env_bool, env_list, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "pages",
    "programmes",
    "giving",
    "opendata",
    "accounts",
    "organisations",
    "translations",
    "pagecache",
    "seo",
    "demo",
    "backups",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Brotli or gzip for text responses, above the 304s (config/compression.py).
    "config.compression.CompressionMiddleware",
    # A 304 for pages from the cache too, which answers them before the rest runs.
    "django.middleware.http.ConditionalGetMiddleware",
    # Uploaded images, in every environment; never documents (config/media.py).
    "config.media.PublicMediaMiddleware",
    "pagecache.middleware.PageCacheMiddleware",
    "config.headers.ContentSecurityPolicyMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.UnprefixedNotFoundLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.hosts.KnownSiteHostsMiddleware",
    "pages.rich_text.CurrentSiteMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "organisations.middleware.OwnSiteExplorerMiddleware",
    "accounts.middleware.NeverCacheAccountPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL, or an SQLite file under var/ for a newcomer's first run.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite connections are cheap, and long-lived ones across threads cause "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
else:
    # An unreachable server fails a request in seconds (libpq's minimum is 2), not minutes; the
    # visitor gets the 503 page (config/outage.py). A refused connection fails at once.
    from_url = DATABASES["default"].get("OPTIONS", {})
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(env("DATABASE_CONNECT_TIMEOUT", "2")),
        **from_url,  # ?connect_timeout= in DATABASE_URL wins
        # Page queries are small and many: JIT compiling them costs more than it saves, and
        # starting a parallel worker on a small server more than the work it shares.
        # Each request keeps to one core; concurrent requests use the others. Settings given
        # in DATABASE_URL (?options=-c statement_timeout%3D5000) come after, and win.
        "options": " ".join(
            ["-c jit=off -c max_parallel_workers_per_gather=0", from_url.get("options", "")]
        ).strip(),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache, so that rate limits and cached pages hold across worker processes:
# Redis when REDIS_URL is set, the database otherwise.
REDIS_URL = env("REDIS_URL", "")
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "django_cache",
    # The page cache keeps a version per page and shared object it has shown; culled at
    # Django's default of 300 entries, they were forgotten within a few pages, and every page
    # counted as changed.
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "ngo"),
            # When Redis is down, fail in a fraction of a second rather than hang a request.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": DATABASE_CACHE}
# Rendered pages for anonymous visitors (pagecache/): in Redis when there is one, else
# in each worker's memory. Whether a cached page is still current is decided through "default";
# with Redis both are one store, so a page and its site's state come in one round trip.
CACHES["pages"] = (
    CACHES["default"]
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
)
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", str(60 * 60 * 24)))
# An edge cache in front (Varnish with xkey: config/edge/default.vcl, `make edge`): the URLs its
# purges go to, space separated. Pages then tell it to keep them this long, purged by key.
EDGE_PURGE_URLS = env("EDGE_PURGE_URLS", "").split()
EDGE_CACHE_SECONDS = int(env("EDGE_CACHE_SECONDS", str(60 * 60 * 24))) if EDGE_PURGE_URLS else 0
if EDGE_PURGE_URLS:
    WAGTAILFRONTENDCACHE = {
        "edge": {"BACKEND": "pagecache.edge.XkeyBackend", "LOCATIONS": EDGE_PURGE_URLS}
    }

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
# A new translation is a draft, published only through review and never before its source
# (translations/); wagtail-localize's default copies the source's live status at once.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # readable ASCII URLs; see pages/slugs.py
# The project's own strings, then our translations of the packages' (locale/packages/, written
# for this project: locale/GLOSSARY.md; for Django, only what its own catalogue lacks). Earlier
# paths win, and all win over the packages' own.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    *(
        BASE_DIR / "locale" / "packages" / package
        for package in ["wagtail", "wagtail_localize", "allauth", "django"]
    ),
]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Where `manage.py backup` writes its archives of the database and MEDIA_ROOT.
BACKUP_DIR = Path(env("BACKUP_DIR", str(VAR_DIR / "backups")))
STORAGES = {
    "default": media_storage(
        env("MEDIA_STORAGE_URL"),
        bucket=env("MEDIA_S3_BUCKET"),
        endpoint_url=env("MEDIA_S3_ENDPOINT_URL"),
        region=env("MEDIA_S3_REGION"),
        access_key_id=env("MEDIA_S3_ACCESS_KEY_ID"),
        secret_access_key=env("MEDIA_S3_SECRET_ACCESS_KEY"),
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: EMAIL_URL, e.g. smtp://user:password@mail.example.org:587?tls=1
globals().update(email_settings(env("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Secure defaults; production turns on what needs HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views say SAMEORIGIN for the editor's panel
# Content-Security-Policy (django-csp, config/headers.py). Public pages run only the site's own
# scripts and styles, nothing inline; data: images are allauth's two-factor QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# /admin/: what Wagtail's admin needs, found by driving it in Chromium
# (tests/browser/test_admin_csp.py), and nothing more. Its form widgets (choosers, dates,
# inline panels) start with inline <script>s, the rich-text editor writes <style> elements and
# the upload pages preview the chosen files as blob: images. Inline event handlers
# (onclick="...") stay forbidden.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "script-src-attr": [NONE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
    }
}
# Permissions-Policy (config/headers.py): browser features neither the sites nor the admin use.
PERMISSIONS_POLICY_DISABLED_FEATURES = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
# Hosts that match no Wagtail Site get 400 (config/hosts.py), except these, which show the
# default site (a developer's 127.0.0.1). /healthz answers on every allowed host.
DEFAULT_SITE_HOSTS = env_list("DEFAULT_SITE_HOSTS")

# Staff accounts (django-allauth): one login, by email address, for the site and the Wagtail
# admin; no public sign-up; TOTP with recovery codes; rate limits kept in the shared cache.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # administrators create the accounts
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Wagtail sends signed-in users without admin access back to the login page: show it to them
# (with Wagtail's message) rather than bouncing between the two.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[LIGHT & LIFE] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/10m/ip,5/15m/key",
    "reset_password": "10/10m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
}
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For allauth may trust, so
# that per-address limits see the visitor's address rather than the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "LIGHT & LIFE"
# Staff who can reach the admin must enrol in TOTP first (accounts.middleware).
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", True)

WAGTAIL_SITE_NAME = "LIGHT & LIFE"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth resets passwords
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # and changes them, signing other sessions out
# The admin asks no other server for anything: no Gravatar avatars (staff's email hashes),
# no update check from staff's browsers (dependencies are pinned and upgraded deliberately).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://light.localhost:8000")
# Pages index a transliterated copy of their text (pages/text.py), so diacritics do not
# matter; on PostgreSQL the English configuration adds stemming ("programmes" → "programm").
# Wagtail's database backend; on PostgreSQL, with a leaner query (sitesearch/backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "sitesearch.backend", "SEARCH_CONFIG": "english"}}
# Uploads: what an NGO publishes, and no SVG (it can carry scripts). Wagtail checks that an image
# is what its extension says; pages/uploads.py does the same for documents.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "pages.uploads.DocumentForm"
MEGABYTE = 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(env("IMAGE_MAX_UPLOAD_MB", "10")) * MEGABYTE
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(env("DOCUMENT_MAX_UPLOAD_MB", "25")) * MEGABYTE
# Pixels, not bytes, are what a rendition costs in memory: a small file can declare a huge
# image (a decompression bomb). 50 million is a 48-megapixel phone photo.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(env("IMAGE_MAX_MEGAPIXELS", "50")) * 1_000_000
# Django's defaults, stated: form fields (not files) up to 2.5 MB per request, and uploads
# larger than 2.5 MB are streamed to a temporary file rather than held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Documents always go through Wagtail's view, so that its before_serve_document hook can keep
# signed consent forms private (safeguarding/consent.py); never expose MEDIA_ROOT/documents.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The view sends nosniff and "Content-Security-Policy: default-src 'none'", but no sandbox:
# every document, PDFs included, is downloaded (Content-Disposition: attachment), never shown
# in the site's origin.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# What the daily expire_story_consent command does with stories whose consent has expired:
# "unpublish" them, or "flag" them to moderators by email and in the admin report.
STORY_CONSENT_EXPIRY_ACTION = env("STORY_CONSENT_EXPIRY_ACTION", "unpublish")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Per-task and per-publish chatter; warnings and errors still show.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
FORMAT_MODULE_PATH = ["config.formats"]

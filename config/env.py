"""Read configuration from the environment: the one place settings look outside the code."""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def require(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_settings(url):
    """Turn EMAIL_URL (smtp://user:password@host:587?tls=1, console://, ...) into settings."""
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme must be one of {', '.join(EMAIL_BACKENDS)}, not {parts.scheme!r}."
        )
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "EMAIL_BACKEND": EMAIL_BACKENDS[parts.scheme],
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": options.get("tls", "") in {"1", "true", "yes"},
        "EMAIL_TIMEOUT": 10,
    }


def media_storage(url=None, **variables):
    """The STORAGES["default"] entry: object storage when configured, else files on disk.

    Either one MEDIA_STORAGE_URL, s3://KEY:SECRET@host:port/bucket?region=...&secure=false
    (host and port only for an S3-compatible service other than AWS), or the MEDIA_S3_*
    variables one by one (see docs/operations.md). Everything stored there stays private:
    the app serves public images itself and documents through its permission checks.
    """
    options = {}
    if url:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.path.strip("/"):
            raise ImproperlyConfigured(
                "MEDIA_STORAGE_URL must look like s3://KEY:SECRET@host/bucket."
            )
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        secure = query.get("secure", "true").lower() not in {"0", "false", "no"}
        options = {
            "bucket_name": parts.path.strip("/"),
            "access_key": unquote(parts.username or ""),
            "secret_key": unquote(parts.password or ""),
            "region_name": query.get("region"),
        }
        if parts.hostname:
            scheme = "https" if secure else "http"
            port = f":{parts.port}" if parts.port else ""
            options["endpoint_url"] = f"{scheme}://{parts.hostname}{port}"
    elif variables.get("bucket"):
        options = {
            "bucket_name": variables["bucket"],
            "access_key": variables.get("access_key_id") or "",
            "secret_key": variables.get("secret_access_key") or "",
            "region_name": variables.get("region"),
            "endpoint_url": variables.get("endpoint_url"),
        }
    if not options:
        return {"BACKEND": "config.storage.MediaStorage"}
    return {
        "BACKEND": "config.object_storage.ObjectMediaStorage",
        "OPTIONS": {key: value for key, value in options.items() if value},
    }

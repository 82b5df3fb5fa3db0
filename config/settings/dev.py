"""A newcomer's machine: debug on, embedded SQLite, emails printed to the console."""

from config.env import env, env_bool, env_list

from .base import *  # noqa: F403

DEBUG = True
# The embedded database and uploads live under var/, which git ignores: make it on first run.
VAR_DIR.mkdir(exist_ok=True)  # noqa: F405
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,[::1]")
# http://127.0.0.1:8000/ shows the default site (LIGHT); other *.localhost hosts get 400.
DEFAULT_SITE_HOSTS = env_list("DEFAULT_SITE_HOSTS", "localhost,127.0.0.1,[::1]")
LANGUAGE_COOKIE_SECURE = False
# The demo administrator that `make run` prints can look around at once; STAFF_MFA_REQUIRED=1
# turns enrolment on, as in production.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", False)
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://light.localhost:8000")

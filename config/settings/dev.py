"""A newcomer's machine: debug on, embedded SQLite, emails printed to the console."""

from config.env import env, env_list

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,[::1]")
LANGUAGE_COOKIE_SECURE = False
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://light.localhost:8000")

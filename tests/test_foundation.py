import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from wagtail.models import Site

from tests.conftest import LIFE, LIGHT

pytestmark = pytest.mark.django_db


def test_migrations_are_complete():
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("vi-VN,vi;q=0.9", "/vi/"),
        ("en-GB,en;q=0.8", "/en/"),
        ("fr-FR,fr;q=0.9", "/vi/"),
        ("", "/vi/"),
    ],
)
def test_root_redirects_to_preferred_language(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_language_cookie_wins_over_header(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response["Location"] == "/en/"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/vi/"


@pytest.mark.parametrize("hostname", [LIGHT, LIFE])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_site_serves_its_own_root_page_in_each_language(client, hostname, language):
    site = Site.objects.get(hostname=hostname)
    home = site.root_page.specific.get_translation(
        site.root_page.locale.__class__.objects.get(language_code=language)
    )
    response = client.get(f"/{language}/", HTTP_HOST=f"{hostname}:8000")
    assert response.status_code == 200
    assert response.context["page"].pk == home.pk
    assert f'<html lang="{language}">' in response.content.decode()


def test_unknown_host_falls_back_to_the_default_site(client, light):
    assert light.is_default_site
    response = client.get("/vi/", HTTP_HOST="127.0.0.1:8000")
    assert response.context["page"].pk == light.root_page.pk


def test_sites_have_separate_trees(light, life):
    assert light.root_page.pk != life.root_page.pk
    assert not life.root_page.is_descendant_of(light.root_page)


def test_healthz_answers_without_locale_prefix(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_when_the_database_is_unreachable():
    """A real fault: the app points at a port where no database listens."""
    script = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/healthz').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "503", result.stderr


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7Hq2-production-grade-secret-key-for-tests-only-9aZk3LmPq0RsTuVwXyZ",
    "ALLOWED_HOSTS": "light.example.org,life.example.org",
    "DATABASE_URL": "sqlite:////tmp/ngo-deploy-check.sqlite3",
}


def run_python(*args, env):
    """Python in a process of its own, with the given environment in place of the test's."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_manage(*args, env):
    return run_python("manage.py", *args, env=env)


def test_postgresql_sessions_keep_to_one_core_and_to_the_settings_of_database_url():
    url = "postgres://postgres@127.0.0.1:5432/any?options=-c%20statement_timeout%3D5000"
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )

    result = run_python("-c", script, env={**PRODUCTION_ENV, "DATABASE_URL": url})

    assert result.stdout.split("-c") == [
        "",
        " jit=off ",
        " max_parallel_workers_per_gather=0 ",
        " statement_timeout=5000\n",
    ], result.stderr


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="max_parallel_workers_per_gather is a PostgreSQL session setting, which SQLite has "
    "not; CI runs both engines",
)
def test_a_postgresql_session_starts_no_parallel_workers(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)


def test_a_server_worker_leaves_what_it_loaded_out_of_garbage_collection():
    """What a worker loads lives as long as it; walking it again would stall every request."""
    script = (
        "import gc; import config.wsgi; gc.collect(); "
        "print(len(gc.get_objects()), gc.get_freeze_count())"
    )
    result = run_python("-c", script, env=PRODUCTION_ENV)
    collected, frozen = map(int, result.stdout.split())
    assert frozen > 10 * collected, result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without_required_environment(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set" in result.stderr


def test_production_settings_refuse_a_weak_secret_key():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be a random string" in result.stderr

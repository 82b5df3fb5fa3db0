import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.core.management import call_command
from wagtail.models import Site

pytest_plugins = ["tests.object_storage"]

LIGHT = "light.localhost"
LIFE = "life.localhost"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with both demo sites, loaded once per test process."""
    with django_db_blocker.unblock():
        call_command("load_demo_content", verbosity=0)


@pytest.fixture
def light(db):
    return Site.objects.get(hostname=LIGHT)


@pytest.fixture
def life(db):
    return Site.objects.get(hostname=LIFE)


@pytest.fixture
def staff(django_user_model):
    """staff(site, "editors") is a new user in that organisation's group."""

    def make(site, role):
        from organisations.models import Organisation

        group = getattr(Organisation.objects.get(site=site), role)
        name = f"{site.site_name.lower()}-{role}-{django_user_model.objects.count()}"
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "x")
        user.groups.add(group)
        return user

    return make


@pytest.fixture(autouse=True)
def empty_caches():
    """Tests change content in transactions that roll back; nothing cached may outlive them."""
    yield
    for cache in caches.all():
        cache.clear()


def connect_to_test_redis():
    """A client of the tests' Redis database.

    Skips the test where no Redis answers, but CI machines run one: there, missing it fails.
    """
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        message = f"no Redis at {TEST_REDIS_URL} (set TEST_REDIS_URL)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return client


@pytest.fixture
def redis_caches(settings):
    """Both caches on a real Redis, one store as in production, under a prefix of the test's own."""
    client = connect_to_test_redis()
    prefix = f"test-{uuid.uuid4().hex}"
    store = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": TEST_REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    settings.CACHES = {"default": store, "pages": store}
    yield client
    for key in client.scan_iter(f"{prefix}*"):  # not FLUSHDB: the server may be shared
        client.delete(key)

import pytest
from django.core.cache import caches
from django.core.management import call_command
from wagtail.models import Site

LIGHT = "light.localhost"
LIFE = "life.localhost"


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


@pytest.fixture(autouse=True)
def empty_caches():
    """Tests change content in transactions that roll back; nothing cached may outlive them."""
    yield
    for cache in caches.all():
        cache.clear()

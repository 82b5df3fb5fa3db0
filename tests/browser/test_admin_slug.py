import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site

from tests.conftest import LIGHT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "correct horse battery staple"  # noqa: S105


@pytest.fixture(scope="module")
def administrator(django_db_setup, django_db_blocker):
    """Committed, so the live server sees it on PostgreSQL too (it has its own connection)."""
    with django_db_blocker.unblock():
        user, _created = get_user_model().objects.get_or_create(
            username="slug-admin",
            defaults={"email": "slug-admin@example.org", "is_superuser": True, "is_staff": True},
        )
        user.set_password(PASSWORD)
        user.save()
        home_id = Site.objects.get(hostname=LIGHT).root_page_id
    yield user, home_id
    with django_db_blocker.unblock():
        user.delete()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Bạo lực trên cơ sở giới", "bao-luc-tren-co-so-gioi"),
        ("Vì sức khỏe cộng đồng", "vi-suc-khoe-cong-dong"),
    ],
)
def test_admin_proposes_the_same_slug_as_the_server(page, site_server, administrator, title, slug):
    user, home_id = administrator
    base = f"http://{LIGHT}:{site_server}"
    page.goto(f"{base}/admin/login/")  # staff sign in through allauth, by email
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/pages/add/pages/standardpage/{home_id}/")
    page.fill("#id_title", title)
    page.locator("#id_title").blur()
    # The admin syncs the title into the slug field after a short debounce.
    # A function, not an expression string: the admin's CSP forbids eval, Playwright's too.
    page.wait_for_function("() => document.querySelector('#id_slug').value !== ''")

    assert page.input_value("#id_slug") == slug

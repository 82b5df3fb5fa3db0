import pytest
from wagtail.models import Site

from tests.browser.staff import committed_staff, sign_in
from tests.conftest import LIGHT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def administrator(django_db_setup, django_db_blocker):
    """Committed, so the live server sees it on PostgreSQL too (it has its own connection)."""
    with django_db_blocker.unblock():
        user = committed_staff("slug-admin", is_superuser=True, is_staff=True)
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
def test_admin_proposes_the_same_slug_as_the_server(
    browser, site_server, administrator, title, slug
):
    user, home_id = administrator
    base = f"http://{LIGHT}:{site_server}"
    context, page = sign_in(browser, base, user)
    page.goto(f"{base}/admin/pages/add/pages/standardpage/{home_id}/")
    page.fill("#id_title", title)
    page.locator("#id_title").blur()
    # The admin syncs the title into the slug field after a short debounce.
    # A function, not an expression string: the admin's CSP forbids eval, Playwright's too.
    page.wait_for_function("() => document.querySelector('#id_slug').value !== ''")

    assert page.input_value("#id_slug") == slug
    context.close()

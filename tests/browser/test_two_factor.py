"""A new staff member enrols in two-factor authentication, in Vietnamese, and sees their codes."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from organisations.models import Organisation
from tests.browser.staff import committed_staff, sign_in
from tests.conftest import LIGHT
from tests.test_accounts import current_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def newcomer(django_db_setup, django_db_blocker):
    """Committed, so that the live server sees it on PostgreSQL too."""
    with django_db_blocker.unblock():
        user = committed_staff("nguoi-moi", Organisation.objects.get(site__hostname=LIGHT).editors)
    yield user
    with django_db_blocker.unblock():
        user.delete()


def test_enrolment_shows_the_recovery_codes_and_the_way_to_the_admin(
    browser, site_server, newcomer
):
    base = f"http://{LIGHT}:{site_server}"
    context, page = sign_in(browser, base, newcomer)

    # Right after signing in: the activation form, not a second password prompt.
    page.goto(f"{base}/vi/accounts/2fa/totp/activate/")
    assert "/reauthenticate/" not in page.url
    assert "ứng dụng xác thực" in page.locator("main").inner_text()
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", current_totp(secret))
    with page.expect_navigation():
        page.click("main button[type=submit]")

    # The codes are on the screen, as stored, in Vietnamese, with the way on to the admin.
    codes = RecoveryCodes(
        Authenticator.objects.get(user=newcomer, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    shown = page.input_value("#recovery_codes").split()
    assert shown == codes and len(codes) >= 8
    assert page.locator("#recovery_codes").is_visible()
    assert "Mã khôi phục" in page.locator("main h1").inner_text()
    page.get_by_role("link", name="Tiếp tục vào trang quản trị").click()
    page.wait_for_url(f"{base}/admin/")
    context.close()

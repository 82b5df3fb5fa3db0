"""Staff accounts: one allauth login for the site and the admin, rate limits and MFA.

Roles, per organisation, are tested in test_organisations.py."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.conftest import LIFE, LIGHT

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/en/accounts/login/"
LOGIN_VI = "/vi/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate limits and used TOTP codes live in the cache: start each test with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return Client(HTTP_HOST=LIGHT)


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member", "member@example.org", PASSWORD)


def sign_in(client, email, password=PASSWORD, address="127.0.0.1", url=LOGIN):
    return client.post(url, {"login": email, "password": password}, REMOTE_ADDR=address)


def current_totp(secret):
    """The code an authenticator app shows now (allauth's own HOTP helper)."""
    counter = list(counters())[len(list(counters())) // 2]
    return format_hotp_value(hotp_value(secret, counter))


def is_signed_in(client):
    return "_auth_user_id" in client.session


# Login, logout and the admin's entrances


def test_account_pages_exist_in_both_languages_with_each_sites_chrome():
    for host, name in [(LIGHT, "LIGHT"), (LIFE, "LIFE")]:
        for url, lang in [(LOGIN_VI, "vi"), (LOGIN, "en")]:
            response = Client(HTTP_HOST=host).get(url)
            assert response.status_code == 200
            html = response.content.decode()
            assert f'<html lang="{lang}">' in html
            assert f"· {name}" in html  # the site's own title and header
            assert 'id="main-content"' in html
            assert 'name="login"' in html
            assert 'type="email"' in html
            assert "no-store" in response["Cache-Control"]
    assert "Forgot your details?" in Client(HTTP_HOST=LIGHT).get(LOGIN).content.decode()


def test_anonymous_admin_goes_to_the_allauth_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=/admin/")


def test_admin_login_url_hands_over_to_allauth_and_keeps_next(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2Fpages%2F"


def test_wagtail_password_reset_and_django_admin_are_not_exposed(client):
    assert not apps.is_installed("django.contrib.admin")
    with pytest.raises(NoReverseMatch):
        reverse("admin:login")
    # Wagtail keeps the URL but answers 404 with WAGTAIL_PASSWORD_RESET_ENABLED off.
    for url in ["/admin/password_reset/", "/django-admin/login/"]:
        assert client.get(url, follow=True).status_code == 404


def test_staff_sign_in_by_email_reaches_the_admin(client, admin_user):
    response = sign_in(client, "boss@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_password_is_refused(client, admin_user):
    response = sign_in(client, "boss@example.org", "not the password")
    assert response.status_code == 200
    assert not is_signed_in(client)
    assert response.context["form"].errors


def test_a_signed_in_non_staff_user_cannot_reach_the_admin(client, member):
    assert sign_in(client, "member@example.org").status_code == 302
    assert is_signed_in(client)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.request["PATH_INFO"] == LOGIN_VI
    assert "Wagtail" not in response.content.decode()


def test_admin_logout_goes_through_allauth_and_ends_the_session(client, admin_user):
    sign_in(client, "boss@example.org")
    old_session = client.session.session_key
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert not is_signed_in(client)
    assert client.session.session_key != old_session
    assert client.get("/admin/").status_code == 302


def test_password_change_signs_the_user_out(client, admin_user):
    sign_in(client, "boss@example.org")
    new = "a brand new passphrase 2025"
    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert not is_signed_in(client)
    admin_user.refresh_from_db()
    assert admin_user.check_password(new)


def test_sign_up_is_closed(client):
    for url, text in [
        ("/en/accounts/signup/", "Registration is closed"),
        ("/vi/accounts/signup/", "Đăng ký đã đóng"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert text in response.content.decode()
    client.post(
        "/en/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not apps.get_model("auth", "User").objects.filter(email="new@example.org").exists()


# Rate limits


def test_repeated_failures_for_one_account_lock_it_with_429(client, admin_user):
    for attempt in range(5):
        response = sign_in(client, "boss@example.org", "wrong", address=f"10.0.0.{attempt}")
        assert response.status_code == 200
    # From yet another address, even the right password is refused for now.
    response = sign_in(client, "boss@example.org", address="10.0.1.1")
    assert response.status_code == 429
    assert not is_signed_in(client)
    html = response.content.decode()
    assert "Too many attempts" in html
    assert 'lang="vi"' in html  # and the same message in Vietnamese


def test_repeated_failures_from_one_address_are_refused_with_429(client, admin_user):
    for attempt in range(10):
        response = sign_in(client, f"nobody{attempt}@example.org", "wrong", address="10.9.9.9")
        assert response.status_code == 200
    response = sign_in(client, "boss@example.org", address="10.9.9.9")
    assert response.status_code == 429
    # Another address is not affected.
    assert sign_in(client, "boss@example.org", address="10.9.9.10").status_code == 302


def test_the_429_message_is_bilingual(client, admin_user):
    for attempt in range(6):
        response = sign_in(client, "boss@example.org", "wrong", f"10.1.0.{attempt}", LOGIN_VI)
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Quá nhiều lần thử" in html
    assert "Too many attempts" in html


def test_repeated_password_reset_requests_are_refused_with_429(client, admin_user):
    for _attempt in range(3):
        response = client.post("/en/accounts/password/reset/", {"email": "boss@example.org"})
        assert response.status_code == 302
    response = client.post("/en/accounts/password/reset/", {"email": "boss@example.org"})
    assert response.status_code == 429


# Password reset by email


def test_password_reset_by_email_end_to_end(client, admin_user):
    response = client.post("/en/accounts/password/reset/", {"email": "boss@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["boss@example.org"]
    link = re.search(r"https?://[^/\s]+(/en/accounts/password/reset/key/\S+/)", message.body)
    assert link, message.body

    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.request["PATH_INFO"]
    new = "a fresh passphrase for 2025"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert "/password/reset/key/done/" in response["Location"]

    assert sign_in(client, "boss@example.org", "correct horse battery staple").status_code == 200
    client.logout()
    response = sign_in(client, "boss@example.org", new)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_reset_for_an_unknown_address_looks_like_one_for_a_known_address(admin_user):
    def request(email):
        client = Client(HTTP_HOST=LIGHT)
        response = client.post("/en/accounts/password/reset/", {"email": email})
        page = client.get(response["Location"])
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
        return response.status_code, response["Location"], page.status_code, text

    assert request("boss@example.org") == request("stranger@example.org")


# Multi-factor authentication


def test_staff_without_mfa_are_sent_to_enrol_when_required(client, admin_user, settings):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(admin_user)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/2fa/totp/activate/")
    # The enrolment page (after confirming the password) and the public site stay open.
    assert client.get(response["Location"], follow=True).status_code == 200
    assert client.get("/vi/").status_code == 200

    TOTP.activate(admin_user, generate_totp_secret())
    assert client.get("/admin/pages/").status_code == 200


def test_enrolment_is_not_required_when_switched_off(client, admin_user, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_enrolment_right_after_signing_in_shows_the_codes_and_the_way_on(
    client, admin_user, settings
):
    settings.STAFF_MFA_REQUIRED = True
    sign_in(client, "boss@example.org")
    response = client.get("/admin/")
    assert response["Location"] == "/vi/accounts/2fa/totp/activate/"
    # The sign-in a moment ago counts: no second password prompt.
    page = client.get("/vi/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/vi/accounts/2fa/totp/activate/", {"code": current_totp(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=admin_user, type="totp").exists()
    codes = Authenticator.objects.get(user=admin_user, type="recovery_codes")
    # The recovery codes are on the page, with the way on to the admin.
    page = client.get(response["Location"])
    html = page.content.decode()
    unused = RecoveryCodes(codes).get_unused_codes()
    assert unused and all(code in html for code in unused)
    assert 'href="/admin/"' in html
    assert client.get("/admin/").status_code == 200


def test_changing_two_factor_settings_later_asks_for_the_password(client, admin_user):
    sign_in(client, "boss@example.org")
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= 3600  # signed in an hour ago
    session.save()
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/en/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    assert client.get("/en/accounts/2fa/totp/activate/").status_code == 200


def test_with_totp_sign_in_needs_a_valid_code(client, admin_user):
    secret = generate_totp_secret()
    TOTP.activate(admin_user, secret)
    response = sign_in(client, "boss@example.org")
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/2fa/authenticate/")
    assert not is_signed_in(client)
    assert client.get("/admin/").status_code == 302

    response = client.post(response["Location"], {"code": "000000"})
    assert response.status_code == 200
    assert not is_signed_in(client)

    response = client.post("/en/accounts/2fa/authenticate/", {"code": current_totp(secret)})
    assert response.status_code == 302
    assert is_signed_in(client)
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(admin_user):
    TOTP.activate(admin_user, generate_totp_secret())
    code = RecoveryCodes.activate(admin_user).get_unused_codes()[0]

    first = Client(HTTP_HOST=LIGHT)
    sign_in(first, "boss@example.org")
    assert first.post("/en/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert first.get("/admin/").status_code == 200

    second = Client(HTTP_HOST=LIGHT)
    sign_in(second, "boss@example.org")
    assert second.post("/en/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert not is_signed_in(second)


def test_an_unknown_admin_address_is_the_admins_own_404(client, admin_user):
    client.force_login(admin_user)
    for url in ["/admin/users/add/", "/admin/reports/", "/admin/khong-co/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "wagtailadmin" in response.content.decode()  # the admin's stylesheet and layout
        assert "site-footer" not in response.content.decode()  # not the public site's page

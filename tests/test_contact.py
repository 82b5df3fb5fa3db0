"""The contact form: stored before it is emailed, a honeypot, a rate limit, harmless bad input."""

import csv
import io
import logging
from smtplib import SMTPException

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Locale

from pages.models import ContactPage, HomePage
from pages.models.contact import HONEYPOT_FIELD, RATE_LIMIT

pytestmark = pytest.mark.django_db

VALID = {"name": "Nguyễn Thị Lan", "email": "lan@example.org", "message": "Xin chào LIGHT!"}


class FailingEmailBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise SMTPException("the mail server is down")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def contact_page(site, language="vi"):
    page = ContactPage.objects.descendant_of(site.root_page).get()
    return page.get_translation(Locale.objects.get(language_code=language))


def post(client, site, data, language="vi", address="192.0.2.10"):
    page = contact_page(site, language)
    path = page.get_url_parts()[2]
    return client.post(path, data, HTTP_HOST=site.hostname, REMOTE_ADDR=address)


def submissions(site, language="vi"):
    return FormSubmission.objects.filter(page=contact_page(site, language))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_site_has_a_contact_form_in_each_language(client, light, life, language):
    for site in (light, life):
        page = contact_page(site, language)
        assert page.live
        assert [field.clean_name for field in page.form_fields.all()] == [
            "name",
            "email",
            "message",
        ]
        assert page.to_address == f"lienhe@{site.hostname.split('.')[0]}.example.org"

        response = client.get(page.get_url_parts()[2], HTTP_HOST=site.hostname)
        assert response.status_code == 200
        assert 'name="message"' in response.text
        assert "no-cache" in response["Cache-Control"]


def test_english_labels_are_translated(light):
    labels = [field.label for field in contact_page(light, "en").form_fields.all()]
    assert labels == ["Name", "Email", "Message"]


def test_honeypot_is_hidden_from_people_and_skipped_by_the_keyboard(client, light):
    page = contact_page(light)
    html = client.get(page.get_url_parts()[2], HTTP_HOST=light.hostname).text
    start = html.index('<div class="visually-hidden">')
    honeypot = html[start : html.index("</div>", start)]
    assert f'name="{HONEYPOT_FIELD}"' in honeypot
    assert 'autocomplete="off"' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert "Để trống ô này" in honeypot  # "leave this field empty"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_valid_submission_is_stored_and_emailed(client, light, language):
    response = post(client, light, VALID, language)

    assert response.status_code == 200
    assert "pages/contact_page_landing.html" in [t.name for t in response.templates]
    stored = submissions(light, language).get()
    assert stored.get_data()["message"] == VALID["message"]
    assert HONEYPOT_FIELD not in stored.form_data

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lienhe@light.example.org"]
    assert VALID["message"] in message.body
    assert VALID["email"] in message.body


def test_filled_honeypot_is_rejected_and_not_stored(client, light):
    response = post(client, light, {**VALID, HONEYPOT_FIELD: "https://spam.example"})

    assert response.status_code in {200, 400}
    assert "pages/contact_page_landing.html" not in [t.name for t in response.templates]
    assert 'role="alert"' in response.text
    assert not submissions(light).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "message"),
    [("vi", "Có quá nhiều lời nhắn"), ("en", "Too many messages have been sent")],
)
def test_too_many_submissions_from_one_address_get_429(client, light, language, message):
    for _ in range(RATE_LIMIT):
        assert post(client, light, VALID, language).status_code == 200

    response = post(client, light, VALID, language)

    assert response.status_code == 429
    assert message in response.text
    assert 'id="main-content"' in response.text  # in the site's layout
    assert submissions(light, language).count() == RATE_LIMIT
    # Another address is not affected.
    assert post(client, light, VALID, language, address="198.51.100.7").status_code == 200


def test_rate_limit_counts_across_sites_and_languages(client, light, life):
    for number in range(RATE_LIMIT):
        site = light if number % 2 else life
        assert post(client, site, VALID, "vi" if number < 3 else "en").status_code == 200
    assert post(client, light, VALID).status_code == 429


def test_mail_failure_still_stores_the_message_and_thanks_the_visitor(
    client, light, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"

    with caplog.at_level(logging.ERROR, logger="pages.models.contact"):
        response = post(client, light, VALID)

    assert response.status_code == 200
    assert "pages/contact_page_landing.html" in [t.name for t in response.templates]
    assert "Cảm ơn bạn đã liên hệ với LIGHT" in response.text
    assert submissions(light).get().get_data()["email"] == VALID["email"]
    [record] = [r for r in caplog.records if r.name == "pages.models.contact"]
    assert record.exc_info and isinstance(record.exc_info[1], SMTPException)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "Lan", "message": "Không có email"},
        {**VALID, "email": "không-phải-email"},
        {**VALID, "message": "x" * 10_000},
        {**VALID, "name": "x" * 10_000},
        {**VALID, "message": "null \x00 byte"},
        {},
    ],
    ids=["missing email", "bad email", "long message", "long name", "NUL", "empty"],
)
def test_bad_input_gives_a_form_error_never_a_500(client, light, data):
    response = post(client, light, data)

    assert response.status_code in {200, 400}
    assert "pages/contact_page_landing.html" not in [t.name for t in response.templates]
    assert not submissions(light).exists()
    assert mail.outbox == []


def test_undecodable_bytes_are_harmless(client, light):
    page = contact_page(light)
    response = client.post(
        page.get_url_parts()[2],
        b"name=%ff%fe&email=a%40example.org&message=\xff\xfe\xfd",
        content_type="application/x-www-form-urlencoded",
        HTTP_HOST=light.hostname,
    )
    assert response.status_code < 500


def test_staff_see_and_export_submissions(client, light):
    post(client, light, VALID)
    page = contact_page(light)
    admin = get_user_model().objects.create_superuser("staff", "staff@example.org", "password")
    client.force_login(admin)

    listing = client.get(f"/admin/forms/submissions/{page.pk}/")
    assert listing.status_code == 200
    assert VALID["email"] in listing.text

    export = client.get(f"/admin/forms/submissions/{page.pk}/?export=csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8"))))
    assert any(VALID["message"] in row for row in rows)


def test_one_contact_page_per_home_page(light):
    home = light.root_page.specific
    assert ContactPage in HomePage.allowed_subpage_models()
    assert not ContactPage.can_create_at(home)
    assert not ContactPage.can_create_at(contact_page(light))

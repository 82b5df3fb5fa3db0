"""Safeguarding: quick exit on sensitive pages, consent for the people in stories, the private
consent forms, retention of contact form submissions, and no cookies for anonymous visitors."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from organisations.models import Organisation
from pages.models import (
    ContactPage,
    HomePage,
    SiteSettings,
    StandardPage,
    StoryIndexPage,
    StoryPage,
)
from programmes.models import ProgrammeAreaPage, ProgrammePage
from safeguarding.sensitivity import Sensitivity
from tests.conftest import LIFE, LIGHT
from tests.helpers import PAGE_TYPES

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def in_site(model, site, language="vi"):
    home = HomePage.objects.get(
        translation_key=site.root_page.translation_key, locale__language_code=language
    )
    return model.objects.descendant_of(home, inclusive=True).filter(locale__language_code=language)


def gbv_area(site, language="vi"):
    source = in_site(ProgrammeAreaPage, site).get(title__contains="bạo lực")
    return source.get_translation(Locale.objects.get(language_code=language))


def fresh(page):
    """The page as a new request would load it, with nothing cached."""
    return page.specific_class.objects.get(pk=page.pk)


def path_of(page):
    return page.get_url_parts()[2]


# Sensitive pages and the quick exit


@pytest.mark.parametrize("language", ["vi", "en"])
def test_gbv_area_and_its_programmes_are_sensitive(light, language):
    area = gbv_area(light, language)
    assert area.sensitivity == Sensitivity.SENSITIVE
    programmes = ProgrammePage.objects.child_of(area)
    assert programmes.exists()
    for programme in programmes:
        assert programme.sensitivity == Sensitivity.INHERIT
        assert programme.is_sensitive
    assert fresh(area).is_sensitive
    other_area = in_site(ProgrammeAreaPage, light, language).exclude(pk=area.pk).first()
    assert not fresh(other_area).is_sensitive
    assert not fresh(light.root_page).is_sensitive
    for programme in ProgrammePage.objects.child_of(other_area):
        assert not programme.is_sensitive


def test_editors_override_inherited_sensitivity(light):
    area = gbv_area(light)
    programme = ProgrammePage.objects.child_of(area).first()
    programme.sensitivity = Sensitivity.NOT_SENSITIVE
    programme.save()
    assert not fresh(programme).is_sensitive

    story = in_site(StoryPage, light).first()
    assert not fresh(story).is_sensitive
    story.sensitivity = Sensitivity.SENSITIVE
    story.save()
    assert fresh(story).is_sensitive

    # A page below a section marked sensitive inherits it; "not sensitive" stops it again.
    index = story.get_parent().specific
    index.sensitivity = Sensitivity.SENSITIVE
    index.save()
    other = in_site(StoryPage, light).exclude(pk=story.pk).first()
    assert fresh(other).is_sensitive
    other.sensitivity = Sensitivity.NOT_SENSITIVE
    other.save()
    assert not fresh(other).is_sensitive


def test_inherited_sensitivity_takes_one_query_at_any_depth(light, django_assert_num_queries):
    programme = ProgrammePage.objects.child_of(gbv_area(light)).first()
    parent = programme
    for index in range(4):
        parent = parent.add_child(
            instance=StandardPage(
                title=f"Sâu {index}", slug=f"sau-{index}", locale=programme.locale
            )
        )
    deep = fresh(parent)
    assert deep.depth == programme.depth + 4
    for page in (fresh(programme), deep):
        with django_assert_num_queries(1):
            assert page.is_sensitive
    area = fresh(gbv_area(light))
    with django_assert_num_queries(0):
        assert area.is_sensitive  # its own choice needs no query


@pytest.mark.parametrize("language", ["vi", "en"])
def test_sensitive_page_has_the_quick_exit_and_others_do_not(client, light, language):
    settings_ = SiteSettings.for_site(light)
    area = gbv_area(light, language)
    response = client.get(path_of(area), HTTP_HOST=light.hostname)
    html = response.content.decode()
    assert "data-quick-exit" in html
    assert f'href="{settings_.quick_exit_url}"' in html
    assert 'target="_blank"' not in html.split("data-quick-exit", 1)[1].split("</aside>")[0]
    assert "js/quick-exit.js" in html
    safety = settings_.safety_page.specific.get_translation(area.locale)
    assert path_of(safety) in html

    home = HomePage.objects.get(pk=light.root_page.pk).get_translation(area.locale)
    html = client.get(path_of(home), HTTP_HOST=light.hostname).content.decode()
    assert "data-quick-exit" not in html
    assert "quick-exit.js" not in html


def test_pages_below_a_sensitive_section_show_the_quick_exit_until_it_changes(
    client, light, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300  # the answer must not outlive the change in any cache
    area = gbv_area(light)
    programme = ProgrammePage.objects.child_of(area).first()
    other_area = in_site(ProgrammeAreaPage, light).exclude(pk=area.pk).first()
    elsewhere = ProgrammePage.objects.child_of(other_area).first()

    def offers_quick_exit(page):
        response = client.get(path_of(page), HTTP_HOST=light.hostname)
        return b"data-quick-exit" in response.content

    assert offers_quick_exit(programme)
    assert not offers_quick_exit(elsewhere)

    area.sensitivity = Sensitivity.NOT_SENSITIVE
    with django_capture_on_commit_callbacks(execute=True):
        area.save_revision().publish()

    assert not offers_quick_exit(programme)


def test_browse_safely_page_exists_in_both_languages_on_both_sites(client, light, life):
    for site in (light, life):
        safety = SiteSettings.for_site(site).safety_page.specific
        assert isinstance(safety, StandardPage)
        for translation in safety.get_translations(inclusive=True):
            assert translation.live
            response = client.get(path_of(translation), HTTP_HOST=site.hostname)
            assert response.status_code == 200
            assert b"data-quick-exit" in response.content


# Consent for the people in stories


def organisation(hostname=LIGHT):
    return Organisation.objects.get(site__hostname=hostname)


def private_document(title="Consent form 001", hostname=LIGHT):
    document = get_document_model()(
        title=title, collection=organisation(hostname).private_documents
    )
    document.file.save("consent-001.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
    document.save()
    return document


def new_story(site, **fields):
    index = in_site(StoryIndexPage, site).get()
    story = StoryPage(title="Chị Lan kể chuyện", slug="chi-lan-ke-chuyen", live=False, **fields)
    index.add_child(instance=story)
    return story


def test_a_consent_form_in_another_organisations_private_collection_is_refused(light):
    story = new_story(
        light,
        shows_identifiable_people=True,
        consent_given=TODAY - DAY,
        consent_expires=TODAY + 365 * DAY,
        consent_form=private_document(hostname=LIFE),
    )
    with pytest.raises(ValidationError) as raised:
        story.save_revision().publish()
    assert set(raised.value.message_dict) == {"consent_form"}
    assert organisation(LIGHT).private_documents.name in str(raised.value)


@pytest.mark.parametrize(
    ("consent", "fields"),
    [
        ({}, {"consent_given", "consent_expires", "consent_form"}),
        ({"consent_given": TODAY - 400 * DAY, "consent_expires": TODAY - DAY}, {"consent_expires"}),
        ({"consent_given": TODAY - 10 * DAY, "consent_expires": TODAY}, {"consent_expires"}),
    ],
)
def test_publishing_without_valid_consent_is_refused(light, consent, fields):
    if consent:
        consent["consent_form"] = private_document()
    story = new_story(light, shows_identifiable_people=True, **consent)  # a draft saves
    revision = story.save_revision()
    with pytest.raises(ValidationError) as raised:
        revision.publish()
    assert set(raised.value.message_dict) == fields
    assert not StoryPage.objects.get(pk=story.pk).live


def test_consent_form_must_be_in_the_private_collection(light):
    document = private_document()
    document.collection = organisation().media
    document.save()
    story = new_story(
        light,
        shows_identifiable_people=True,
        consent_given=TODAY - DAY,
        consent_expires=TODAY + 365 * DAY,
        consent_form=document,
    )
    with pytest.raises(ValidationError) as raised:
        story.save_revision().publish()
    assert set(raised.value.message_dict) == {"consent_form"}


def test_story_with_valid_consent_or_no_identifiable_people_publishes(light):
    story = new_story(
        light,
        shows_identifiable_people=True,
        consent_given=TODAY - DAY,
        consent_expires=TODAY + 365 * DAY,
        consent_form=private_document(),
    )
    story.save_revision().publish()
    assert StoryPage.objects.get(pk=story.pk).live
    # The demo stories show no identifiable people, and say so.
    assert not StoryPage.objects.filter(shows_identifiable_people=True).exclude(pk=story.pk)


def admin_story_data(action, **consent):
    return nested_form_data(
        {
            "title": "Chị Lan kể chuyện",
            "slug": "chi-lan-ke-chuyen",
            "date": TODAY.isoformat(),
            "body": streamfield([]),
            "programme_links": inline_formset([]),
            "comments": inline_formset([]),
            "sensitivity": "inherit",
            "shows_identifiable_people": "on",
            **consent,
            action: "1",
        }
    )


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    return client


def test_admin_refuses_to_publish_without_consent_but_saves_a_draft(admin_client, light):
    index = in_site(StoryIndexPage, light).get()
    url = reverse("wagtailadmin_pages:add", args=["pages", "storypage", index.pk])
    response = admin_client.post(url, admin_story_data("action-publish"))
    assert response.status_code == 200
    # The admin speaks Vietnamese by default.
    assert "hãy nhập ngày họ đồng ý" in response.content.decode()
    assert not StoryPage.objects.filter(slug="chi-lan-ke-chuyen").exists()

    response = admin_client.post(url, admin_story_data("action-save"))
    assert response.status_code == 302
    story = StoryPage.objects.get(slug="chi-lan-ke-chuyen")
    assert not story.live

    edit = reverse("wagtailadmin_pages:edit", args=[story.pk])
    response = admin_client.post(
        edit,
        admin_story_data(
            "action-publish",
            consent_given=(TODAY - DAY).isoformat(),
            consent_expires=(TODAY + 30 * DAY).isoformat(),
            consent_form=private_document().pk,
        ),
    )
    assert response.status_code == 302
    assert StoryPage.objects.get(pk=story.pk).live


def test_an_editor_is_told_to_ask_safeguarding_for_the_consent_form(client, light):
    """Editors do not see the consent form field; the error says who can fill it, not a 500."""
    editor = get_user_model().objects.create_user("ed", "ed@example.org", "pw")
    editor.groups.add(organisation(LIGHT).editors)
    client.force_login(editor)
    index = in_site(StoryIndexPage, light).get()
    url = reverse("wagtailadmin_pages:add", args=["pages", "storypage", index.pk])
    data = admin_story_data(
        "action-submit",
        consent_given=(TODAY - DAY).isoformat(),
        consent_expires=(TODAY + 30 * DAY).isoformat(),
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "nhóm Bảo vệ an toàn" in response.content.decode()
    assert not StoryPage.objects.filter(slug="chi-lan-ke-chuyen").exists()


def expired_story(site):
    story = new_story(
        site,
        shows_identifiable_people=True,
        consent_given=TODAY - 300 * DAY,
        consent_expires=TODAY + 10 * DAY,
        consent_form=private_document(),
    )
    story.save_revision().publish()
    StoryPage.objects.filter(pk=story.pk).update(consent_expires=TODAY - DAY)
    return story


def test_expiry_command_unpublishes_stories_whose_consent_expired(light, settings):
    settings.STORY_CONSENT_EXPIRY_ACTION = "unpublish"
    story = expired_story(light)
    untouched = in_site(StoryPage, light).live().exclude(pk=story.pk).count()
    call_command("expire_story_consent", verbosity=0)
    assert not StoryPage.objects.get(pk=story.pk).live
    assert in_site(StoryPage, light).live().exclude(pk=story.pk).count() == untouched


def test_expiry_command_can_flag_to_moderators_instead(light, settings):
    settings.STORY_CONSENT_EXPIRY_ACTION = "flag"
    moderator = get_user_model().objects.create_user("mod", "mod@example.org", "pw")
    moderator.groups.add(organisation(LIGHT).moderators)
    other = get_user_model().objects.create_user("life", "life@example.org", "pw")
    other.groups.add(organisation(LIFE).moderators)
    story = expired_story(light)
    call_command("expire_story_consent", verbosity=0)
    assert StoryPage.objects.get(pk=story.pk).live
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mod@example.org"]
    assert mail.outbox[0].subject.startswith("LIGHT:")
    assert story.title in mail.outbox[0].body


def test_report_lists_stories_whose_consent_expires_within_30_days(admin_client, light):
    soon = new_story(
        light,
        shows_identifiable_people=True,
        consent_given=TODAY - DAY,
        consent_expires=TODAY + 20 * DAY,
        consent_form=private_document(),
    )
    later = StoryPage(
        title="Câu chuyện còn lâu mới hết hạn",
        slug="con-lau",
        live=False,
        shows_identifiable_people=True,
        consent_given=TODAY - DAY,
        consent_expires=TODAY + 90 * DAY,
    )
    soon.get_parent().add_child(instance=later)
    response = admin_client.get(reverse("story_consent_report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert soon.title in html
    assert later.title not in html
    menu = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("story_consent_report") in menu


def test_private_consent_form_is_refused_to_anonymous_visitors_and_editors(client, light):
    document = private_document()
    response = client.get(document.url)
    assert response.status_code == 302
    assert "login" in response["Location"]

    editor = get_user_model().objects.create_user("editor", "editor@example.org", "pw")
    editor.groups.add(organisation(LIGHT).editors, organisation(LIGHT).moderators)
    editor.groups.add(organisation(LIFE).safeguarding)
    client.force_login(editor)
    assert client.get(document.url).status_code == 403

    editor.groups.add(organisation(LIGHT).safeguarding)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_superusers_open_consent_forms_and_public_documents_stay_public(admin_client, client):
    document = private_document()
    assert admin_client.get(document.url).status_code == 200
    public = get_document_model().objects.filter(collection=organisation().media).first()
    assert Client().get(public.url).status_code == 200


# Visitors' data


def contact_page(site, language="vi"):
    return in_site(ContactPage, site, language).get()


def submission(site, days_old, language="vi"):
    item = FormSubmission.objects.create(page=contact_page(site, language), form_data={"a": 1})
    FormSubmission.objects.filter(pk=item.pk).update(
        submit_time=timezone.now() - datetime.timedelta(days=days_old)
    )
    return item.pk


def test_retention_deletes_old_submissions_per_site_and_keeps_new_ones(light, life):
    light_settings = SiteSettings.for_site(light)
    light_settings.form_retention_days = 30
    light_settings.save()
    assert SiteSettings.for_site(life).form_retention_days == 90
    kept = [submission(light, 10), submission(light, 29, "en"), submission(life, 60)]
    deleted = [submission(light, 31), submission(light, 40, "en"), submission(life, 91)]
    call_command("purge_form_submissions", verbosity=0)
    remaining = set(FormSubmission.objects.values_list("pk", flat=True))
    assert set(kept) <= remaining
    assert not set(deleted) & remaining


def test_no_ip_address_or_user_agent_is_stored(light):
    field_names = {field.name for field in FormSubmission._meta.get_fields()}
    assert field_names == {"id", "form_data", "page", "submit_time"}
    page = contact_page(light)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path_of(page),
        {"name": "Lan", "email": "lan@example.org", "message": "Xin chào"},
        HTTP_HOST=light.hostname,
        HTTP_ORIGIN=f"http://{light.hostname}",
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="SecretBrowser/1.0",
    )
    assert response.status_code == 200
    stored = FormSubmission.objects.get(page=page)
    text = str(stored.form_data)
    assert "203.0.113.77" not in text
    assert "SecretBrowser" not in text
    assert not response.cookies
    assert not client.cookies


@pytest.mark.parametrize(
    ("language", "text"),
    [("vi", "Chúng tôi lưu lời nhắn của bạn trong 90 ngày"), ("en", "We keep your message for 90")],
)
def test_contact_form_says_how_long_data_is_kept_and_links_to_privacy(
    client, light, language, text
):
    page = contact_page(light, language)
    html = client.get(path_of(page), HTTP_HOST=light.hostname).content.decode()
    assert text in html
    privacy = SiteSettings.for_site(light).privacy_page.specific.get_translation(page.locale)
    assert f'href="{path_of(privacy)}"' in html


def test_cross_site_and_headerless_posts_to_the_contact_form_are_refused(light):
    page = contact_page(light)
    data = {"name": "Lan", "email": "lan@example.org", "message": "Xin chào"}
    client = Client(enforce_csrf_checks=True)
    for headers in ({"HTTP_ORIGIN": "https://evil.example"}, {}):
        response = client.post(path_of(page), data, HTTP_HOST=light.hostname, **headers)
        assert response.status_code == 403
    response = client.post(
        path_of(page),
        data,
        HTTP_HOST=light.hostname,
        HTTP_REFERER=f"http://{light.hostname}{path_of(page)}",
    )
    assert response.status_code == 200
    assert FormSubmission.objects.filter(page=page).count() == 1


def test_other_pages_keep_django_csrf_protection(light):
    page = in_site(StandardPage, light).first()
    response = Client(enforce_csrf_checks=True).post(
        path_of(page), {}, HTTP_HOST=light.hostname, HTTP_ORIGIN=f"http://{light.hostname}"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("hostname", ["light.localhost", "life.localhost"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_anonymous_visits_set_no_cookie(hostname, language):
    client = Client()
    paths = ["/", f"/{language}/search/?q=lien", f"/{language}/feed/"]
    site_root = Page.objects.get(sites_rooted_here__hostname=hostname)
    home = HomePage.objects.get(
        translation_key=site_root.translation_key, locale__language_code=language
    )
    for page_type in PAGE_TYPES:
        page = page_type.objects.descendant_of(home, inclusive=True).live().first()
        if page is not None:
            paths.append(path_of(page))
    assert len(paths) > len(PAGE_TYPES)
    for path in paths:
        response = client.get(path, HTTP_HOST=hostname)
        assert response.status_code in (200, 302), path
        assert not response.cookies, (path, response.cookies)
    assert not client.cookies

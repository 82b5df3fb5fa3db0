"""Two organisations in one admin: each one's staff see and change only their own site."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.forms.models import FormSubmission
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, ModelLogEntry, Page, Site, Workflow, WorkflowState
from wagtail.users.models import UserProfile

from organisations.models import Organisation
from pages.models import ContactPage, HomePage, StoryIndexPage, StoryPage
from programmes.models import Partner, ProgrammePage
from tests.test_uploads import png

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def pages_of(site, model=Page, language=None):
    homes = Page.objects.filter(translation_key=site.root_page.translation_key, depth=2)
    if language:
        homes = homes.filter(locale__language_code=language)
    pages = model.objects.none()
    for home in homes:
        pages |= model.objects.descendant_of(home, inclusive=True)
    return pages


def first(site, model, language="vi"):
    return pages_of(site, model, language).filter(locale__language_code=language).first()


# What each organisation is given


def test_each_site_is_an_organisation_with_its_own_groups_collections_and_workflow(light, life):
    for site in (light, life):
        organisation = Organisation.objects.get(site=site)
        stored = dict(Group.objects.values_list("pk", "name"))
        assert [stored[group.pk] for group in organisation.groups] == [
            f"{site.site_name} · {role}"
            for role in [
                "Biên tập viên / Editors",
                "Người duyệt / Moderators",
                "Người dịch / Translators",
                "Bảo vệ an toàn / Safeguarding",
            ]
        ]
        assert organisation.media.name == site.site_name
        assert not organisation.private_documents.is_descendant_of(organisation.media)
        assert organisation.private_documents.get_view_restrictions().get().groups.get() == (
            organisation.safeguarding
        )
        for page in pages_of(site).filter(depth__lte=3):
            workflow = page.get_workflow()
            assert workflow == organisation.workflow
            assert [task.specific.groups.get() for task in workflow.tasks] == [
                organisation.moderators
            ]
    assert not Group.objects.filter(name__in=["Editors", "Moderators", "Translators"]).exists()


def test_names_are_stored_in_both_languages_and_shown_in_the_readers(client, light, staff):
    organisation = Organisation.objects.get(site=light)
    with translation.override("vi"):
        workflow = Workflow.objects.get(pk=organisation.workflow_id)
        assert workflow.name == "LIGHT · Duyệt và xuất bản"
        workflow.save()  # unchanged: the stored name stays whole
    with translation.override("en"):
        assert Workflow.objects.get(pk=workflow.pk).name == "LIGHT · Review and publish"
        assert Group.objects.get(pk=organisation.editors_id).name == "LIGHT · Editors"
    assert Workflow.objects.filter(
        pk=workflow.pk, name="LIGHT · Duyệt và xuất bản / Review and publish"
    ).exists()

    signed_in(client, staff(light, "editors"))
    page = first(light, ProgrammePage)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "LIGHT · Duyệt và xuất bản" in html and "Review and publish" not in html


def test_images_documents_and_partners_of_the_demo_sit_with_their_organisation(light, life):
    for site in (light, life):
        organisation = Organisation.objects.get(site=site)
        assert get_image_model().objects.filter(collection=organisation.media).count() > 3
        assert Partner.objects.filter(site=site).exists()
    assert (
        not get_image_model()
        .objects.exclude(collection__in=Organisation.objects.values("media"))
        .exists()
    )
    assert not Partner.objects.filter(site=None).exists()


# Pages


def test_roles_on_each_sites_pages(staff, light, life):
    for site in (light, life):
        vietnamese, english = first(site, ProgrammePage, "vi"), first(site, ProgrammePage, "en")
        editor, moderator, translator = (
            staff(site, role) for role in ["editors", "moderators", "translators"]
        )
        for page in (vietnamese, english):
            assert page.permissions_for_user(editor).can_edit()
            assert not page.permissions_for_user(editor).can_publish()
            assert page.permissions_for_user(moderator).can_publish()
        assert english.permissions_for_user(translator).can_edit()
        assert not english.permissions_for_user(translator).can_publish()
        assert not vietnamese.permissions_for_user(translator).can_edit()
        assert not site.root_page.permissions_for_user(translator).can_edit()
        assert translator.has_perm("wagtail_localize.submit_translation")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_editor_edits_own_pages_in_both_languages_and_not_the_other_sites(
    client, staff, light, life, language
):
    signed_in(client, staff(light, "editors"))
    own = first(light, ProgrammePage, language)
    other = first(life, ProgrammePage, language)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=[other.pk]))
    assert response.status_code in (302, 403)
    assert other.title not in response.content.decode()


def test_the_explorer_and_search_show_only_the_editors_site(client, staff, light, life):
    signed_in(client, staff(light, "editors"))
    root = client.get(reverse("wagtailadmin_explore_root")).content.decode()
    assert "LIGHT · Trang chủ (vi)" in root
    assert "LIGHT · Home (en)" in root
    assert "LIFE · " not in root
    response = client.get(reverse("wagtailadmin_explore", args=[life.root_page_id]))
    assert response.status_code in (302, 403)

    results = client.get(reverse("wagtailadmin_pages:search"), {"q": "Giới thiệu"})
    html = results.content.decode()
    assert "LIGHT · Giới thiệu" in html
    assert "LIFE · " not in html


def test_the_page_chooser_offers_only_the_editors_site(client, staff, light, life):
    signed_in(client, staff(life, "editors"))
    browse = client.get(reverse("wagtailadmin_choose_page")).json()["html"]
    assert "LIFE · Trang chủ (vi)" in browse
    assert "LIGHT" not in browse
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Liên hệ"})
    assert "LIFE · Liên hệ" in search.content.decode()
    assert "LIGHT · Liên hệ" not in search.content.decode()
    root = Page.get_first_root_node()
    children = client.get(reverse("wagtailadmin_choose_page_child", args=[root.pk]))
    assert "LIFE · Home (en)" in children.json()["html"]
    assert "LIGHT" not in children.json()["html"]


def test_superusers_see_every_page_labelled_with_its_site(admin_client, light, life):
    html = admin_client.get(reverse("wagtailadmin_explore_root")).content.decode()
    for label in [
        "LIGHT · Trang chủ (vi)",
        "LIGHT · Home (en)",
        "LIFE · Trang chủ (vi)",
        "LIFE · Home (en)",
    ]:
        assert label in html
    forms = admin_client.get(reverse("wagtailforms:index")).content.decode()
    # Each form page's parent column names the site and language.
    assert "LIGHT · Trang chủ (vi)" in forms and "LIFE · Home (en)" in forms


# Form submissions


def test_contact_messages_are_read_only_by_their_own_organisation(client, staff, light, life):
    own = FormSubmission.objects.create(
        page=first(light, ContactPage), form_data={"name": "Người gửi"}
    )
    other = FormSubmission.objects.create(
        page=first(life, ContactPage), form_data={"name": "Người gửi bí mật"}
    )
    signed_in(client, staff(light, "moderators"))
    listing = client.get(reverse("wagtailforms:index")).content.decode()
    assert "LIGHT · Trang chủ (vi)" in listing and "LIGHT · Home (en)" in listing
    assert "LIFE · " not in listing
    assert (
        client.get(reverse("wagtailforms:list_submissions", args=[own.page_id])).status_code == 200
    )
    for url in [
        reverse("wagtailforms:list_submissions", args=[other.page_id]),
        reverse("wagtailforms:delete_submissions", args=[other.page_id])
        + f"?selected-submissions={other.pk}",
    ]:
        response = client.get(url, follow=True)
        assert response.redirect_chain[0][1] == 302  # Wagtail's "permission denied" message
        assert (
            '"n": "B"' not in response.content.decode()
            and "B</td>" not in response.content.decode()
        )
        client.post(url)
    assert FormSubmission.objects.filter(pk=other.pk).exists()


# Images, documents and partners


def test_images_and_documents_of_the_other_organisation_are_out_of_reach(
    client, staff, light, life
):
    signed_in(client, staff(light, "editors"))
    own_image = get_image_model().objects.filter(collection__name="LIGHT").first()
    other_image = get_image_model().objects.filter(collection__name="LIFE").first()
    listing = client.get(reverse("wagtailimages:index")).content.decode()
    assert own_image.title in listing
    assert other_image.title not in listing
    chooser = client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    assert own_image.title in chooser and other_image.title not in chooser
    assert client.get(reverse("wagtailimages:edit", args=[other_image.pk])).status_code in (
        302,
        403,
    )
    assert client.get(reverse("wagtailimages:delete", args=[other_image.pk])).status_code in (
        302,
        403,
    )

    other_document = get_document_model().objects.filter(collection__name="LIFE").first()
    other_edit_url = reverse("wagtaildocs:edit", args=[other_document.pk])
    documents = client.get(reverse("wagtaildocs:index")).content.decode()
    assert reverse("wagtaildocs:edit", args=[own_document(light).pk]) in documents
    assert other_edit_url not in documents
    chooser = client.get(reverse("wagtaildocs_chooser:choose")).json()["html"]
    assert reverse("wagtaildocs_chooser:chosen", args=[own_document(light).pk]) in chooser
    assert reverse("wagtaildocs_chooser:chosen", args=[other_document.pk]) not in chooser
    assert client.get(reverse("wagtaildocs:edit", args=[other_document.pk])).status_code in (
        302,
        403,
    )


def own_document(site):
    return get_document_model().objects.filter(collection__name=site.site_name).first()


def test_uploads_go_only_to_the_editors_own_collection(client, staff, light, life):
    signed_in(client, staff(light, "editors"))
    own, other = (Organisation.objects.get(site=site) for site in (light, life))
    html = client.get(reverse("wagtailimages:add")).content.decode()
    for collection in (own.private_documents, other.media, other.private_documents):
        assert f'value="{collection.pk}"' not in html
    client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ảnh tải lên",
            "file": SimpleUploadedFile("anh.png", png(400, 300), "image/png"),
            "collection": other.media.pk,
        },
    )
    assert get_image_model().objects.get(title="Ảnh tải lên").collection == own.media


def test_partners_are_listed_chosen_and_edited_per_organisation(client, staff, light, life):
    signed_in(client, staff(light, "editors"))
    own = Partner.objects.filter(site=light).first()
    other = Partner.objects.filter(site=life).first()
    listing = client.get(reverse("wagtailsnippets_programmes_partner:list")).content.decode()
    assert own.name in listing and other.name not in listing
    chooser = client.get(reverse("wagtailsnippetchoosers_programmes_partner:choose"))
    assert own.name in chooser.json()["html"] and other.name not in chooser.json()["html"]
    for view in ["edit", "delete", "history", "usage"]:
        url = reverse(f"wagtailsnippets_programmes_partner:{view}", args=[other.pk])
        assert client.get(url).status_code == 404, view
    form = client.get(reverse("wagtailsnippets_programmes_partner:add")).content.decode()
    assert f'value="{light.pk}"' in form and f'value="{life.pk}"' not in form
    response = client.post(
        reverse("wagtailsnippets_programmes_partner:add"),
        {"site": life.pk, "name": "Đối tác lạ", "kind": "donor", "locale": 1},
    )
    assert response.status_code == 200  # the form again, with an error
    assert not Partner.objects.filter(name="Đối tác lạ").exists()


# Review


def submit(page, user):
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def test_only_the_sites_moderators_are_asked_and_may_approve(client, staff, light, life):
    light_moderator, life_moderator = staff(light, "moderators"), staff(life, "moderators")
    english_moderator = staff(life, "moderators")
    profile = UserProfile.get_for_user(english_moderator)
    profile.preferred_language = "en"
    profile.save()
    page = first(life, ProgrammePage)
    mail.outbox.clear()
    state = submit(page, staff(life, "editors"))
    recipients = {address for message in mail.outbox for address in message.to}
    assert life_moderator.email in recipients
    assert light_moderator.email not in recipients
    assert all("LIFE · " in message.subject for message in mail.outbox)
    # In the moderator's admin language (Vietnamese unless they chose otherwise), naming the
    # site, with links to this installation's admin.
    to_moderator = next(message for message in mail.outbox if life_moderator.email in message.to)
    assert "đã được gửi duyệt" in to_moderator.subject
    assert "LIFE · Người duyệt xét duyệt" in to_moderator.subject
    assert f"{settings.WAGTAILADMIN_BASE_URL}/admin/pages/{page.pk}/edit/" in to_moderator.body
    in_english = next(message for message in mail.outbox if english_moderator.email in message.to)
    assert "has been submitted" in in_english.subject and "LIFE · " in in_english.subject

    task_state = state.current_task_state
    action = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    signed_in(client, light_moderator)
    assert "LIFE · " not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.post(action, {"comment": ""})
    assert WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_IN_PROGRESS

    signed_in(client, life_moderator)
    assert f"LIFE · {page.title}" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.post(action, {"comment": ""})
    assert WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_APPROVED


# Private documents


def private_document(site, title="Phiếu đồng ý của chị Lan"):
    organisation = Organisation.objects.get(site=site)
    document = get_document_model()(title=title, collection=organisation.private_documents)
    document.file.save("dong-y.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
    document.save()
    return document


@pytest.mark.parametrize("role", ["editors", "moderators", "translators"])
def test_private_document_titles_are_hidden_from_everyone_but_safeguarding(
    client, staff, light, role
):
    document = private_document(light)
    signed_in(client, staff(light, role))
    for url in [
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:index") + "?q=đồng+ý",
        reverse("wagtailadmin_reports:site_history"),
        reverse("story_consent_report"),
    ]:
        response = client.get(url)
        assert document.title not in response.content.decode(), url
    chooser = client.get(reverse("wagtaildocs_chooser:choose"), {"q": "đồng ý"})
    assert document.title not in chooser.json()["html"]
    for view in ["edit", "delete"]:
        url = reverse(f"wagtaildocs:{view}", args=[document.pk])
        assert client.get(url).status_code in (302, 403)
        client.post(url, {"title": "Đổi tên", "collection": document.collection_id})
    assert get_document_model().objects.get(pk=document.pk).title == document.title
    assert client.get(document.url).status_code == 403


def test_the_sites_safeguarding_staff_see_open_rename_and_delete_with_a_log(
    client, staff, light, life
):
    document = private_document(light)
    signed_in(client, staff(life, "safeguarding"))
    assert document.title not in client.get(reverse("wagtaildocs:index")).content.decode()
    assert client.get(document.url).status_code == 403

    officer = staff(light, "safeguarding")
    signed_in(client, officer)
    assert document.title in client.get(reverse("wagtaildocs:index")).content.decode()
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.post(reverse("wagtaildocs:delete", args=[document.pk]))
    assert not get_document_model().objects.filter(pk=document.pk).exists()
    entry = ModelLogEntry.objects.get(action="wagtail.delete", object_id=str(document.pk))
    assert entry.user == officer


@pytest.mark.parametrize("settings_module", ["dev", "production"])
def test_private_document_file_refuses_anonymous_visitors(client, light, settings, settings_module):
    """Under either setting, no URL serves the file but Wagtail's view, which asks to sign in."""
    document = private_document(light)
    settings.DEBUG = settings_module == "dev"
    response = client.get(document.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_only_safeguarding_sees_the_consent_form_field_of_a_story(client, staff, light):
    story = first(light, StoryPage)
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    signed_in(client, staff(light, "editors"))
    assert 'name="consent_form"' not in client.get(url).content.decode()
    signed_in(client, staff(light, "safeguarding"))
    assert 'name="consent_form"' in client.get(url).content.decode()


# A third organisation


def test_a_third_organisation_is_one_command_away(client, staff, light):
    call_command("add_organisation", "HOPE", "hope.localhost", verbosity=0, stdout=None)
    hope = Site.objects.get(site_name="HOPE")
    organisation = Organisation.objects.get(site=hope)
    english = HomePage.objects.get(
        translation_key=hope.root_page.translation_key, locale__language_code="en"
    )
    assert hope.root_page.live and not english.live

    editor = staff(hope, "editors")
    assert hope.root_page.permissions_for_user(editor).can_edit()
    assert hope.root_page.permissions_for_user(editor).can_add_subpage()
    assert not light.root_page.permissions_for_user(editor).can_edit()
    assert not hope.root_page.permissions_for_user(staff(light, "editors")).can_edit()
    translator = staff(hope, "translators")
    assert english.permissions_for_user(translator).can_edit()
    assert not hope.root_page.specific.permissions_for_user(translator).can_edit()
    assert hope.root_page.get_workflow() == organisation.workflow

    signed_in(client, editor)
    assert client.get(reverse("wagtailimages:add")).status_code == 200
    assert organisation.media.name == "HOPE"
    root = client.get(reverse("wagtailadmin_explore_root")).content.decode()
    assert "HOPE · HOPE (vi)" in root and "LIGHT · " not in root


def test_adding_an_organisation_twice_is_refused(light):
    with pytest.raises(Exception, match="already"):
        call_command("add_organisation", "LIGHT2", light.hostname, "--port", str(light.port))
    assert Site.objects.filter(hostname=light.hostname).count() == 1


def test_set_up_again_changes_nothing(light):
    counts = [model.objects.count() for model in (Group, Organisation, Locale)]
    call_command("add_organisation", "--existing", verbosity=0)
    assert [model.objects.count() for model in (Group, Organisation, Locale)] == counts


def test_a_story_index_is_created_by_editors_of_its_site_only(client, staff, light, life):
    index = first(light, StoryIndexPage)
    url = reverse("wagtailadmin_pages:add", args=["pages", "storypage", index.pk])
    assert signed_in(client, staff(light, "editors")).get(url).status_code == 200
    assert signed_in(client, staff(life, "editors")).get(url).status_code in (302, 403)

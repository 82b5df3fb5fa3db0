"""English pages are wagtail-localize translations: drafts first, reviewed, and kept in step."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale, Page, WorkflowState
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import TranslationCreator

from organisations.models import Organisation
from pages.models import AchievementsPage, StandardPage
from programmes.models import Partner, ProgrammePage
from tests.conftest import LIGHT
from tests.helpers import home_of
from translations.parity import Status, parity

pytestmark = pytest.mark.django_db


def english():
    return Locale.objects.get(language_code="en")


@pytest.fixture
def staff(django_user_model):
    def make(site, role):
        name = f"{role}-{django_user_model.objects.count()}"
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "x")
        user.groups.add(getattr(Organisation.objects.get(site=site), role))
        return user

    return make


# The demo content


def test_every_english_demo_page_and_partner_is_a_translation_of_its_source():
    for model in (Page, Partner):
        for translated in (
            model.objects.filter(locale__language_code="en").exclude(depth=1)
            if (model is Page)
            else model.objects.filter(locale__language_code="en")
        ):
            translation = Translation.objects.get(
                source__object_id=translated.translation_key, target_locale=english()
            )
            source = translation.source.get_source_instance()
            assert source.locale.language_code == "vi"
            assert source.translation_key == translated.translation_key
    # Nothing is left to translate, and the English slugs are English.
    assert (
        not StringSegment.objects.annotate_translation(english())
        .filter(translation__isnull=True)
        .exists()
    )
    about = Page.objects.get(slug="gioi-thieu", depth=3, path__startswith=home_of(LIGHT, "vi").path)
    assert about.get_translation(english()).slug == "about"


def test_the_demo_sites_are_in_step(light, life):
    for site in (light, life):
        rows = parity(site)
        assert rows and {row.status for row in rows} == {Status.LIVE}


def about_of(site):
    return Page.objects.child_of(site.root_page).get(slug="gioi-thieu")


# Translating


def new_source(site, live=True):
    page = StandardPage(
        title="Hoạt động mới", slug="hoat-dong-moi", intro="<p>Giới thiệu ngắn.</p>", live=live
    )
    site.root_page.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return StandardPage.objects.get(pk=page.pk)


def test_translating_makes_a_draft_that_visitors_do_not_see(client, light, staff):
    source = new_source(light)
    TranslationCreator(staff(light, "editors"), [english()]).create_translations(source)
    translated = source.get_translation(english())
    assert not translated.live
    english_home = home_of(LIGHT, "en")
    response = client.get(f"/en/{translated.slug}/", HTTP_HOST=LIGHT)
    assert response.status_code == 404
    listing = client.get("/en/", HTTP_HOST=LIGHT).content.decode()
    assert translated.title not in listing or english_home.title == translated.title
    sitemap = client.get("/sitemap.xml", HTTP_HOST=LIGHT).content.decode()
    assert f"/en/{translated.slug}/" not in sitemap


def test_a_translation_cannot_go_live_before_its_source(light, staff):
    source = new_source(light, live=False)
    TranslationCreator(staff(light, "moderators"), [english()]).create_translations(source)
    translated = source.get_translation(english()).specific
    with pytest.raises(ValidationError):
        translated.save_revision().publish()
    assert not Page.objects.get(pk=translated.pk).live
    source.save_revision().publish()
    translated.save_revision().publish()
    assert Page.objects.get(pk=translated.pk).live


def test_a_translator_saves_and_submits_and_a_moderator_approves(client, light, staff):
    source = new_source(light)
    translator = staff(light, "translators")
    TranslationCreator(translator, [english()]).create_translations(source)
    translated = source.get_translation(english())
    translation = Translation.objects.get(
        source__object_id=source.translation_key, target_locale=english()
    )
    for segment in translation.source.stringsegment_set.select_related("string"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=english(),
            context=segment.context,
            data={"Hoạt động mới": "New activity", "hoat-dong-moi": "new-activity"}.get(
                segment.string.data, "A short introduction."
            ),
            translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        )

    client.force_login(translator)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[translated.pk])).content.decode()
    assert reverse("translations_save", args=[translation.pk]) in editor
    assert "convertToAliasUrl&quot;: null" in editor
    # The Vietnamese source is not theirs to edit.
    response = client.get(reverse("wagtailadmin_pages:edit", args=[source.pk]))
    assert response.status_code in (302, 403)

    client.post(reverse("translations_save", args=[translation.pk]), {"submit": "1"})
    translated = Page.objects.get(pk=translated.pk).specific
    assert not translated.live
    assert translated.get_latest_revision_as_object().title == "New activity"
    state = WorkflowState.objects.get(
        object_id=str(translated.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )

    client.force_login(staff(light, "moderators"))
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[translated.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    translated = Page.objects.get(pk=translated.pk)
    assert translated.live and translated.title == "New activity"
    assert translated.slug == "new-activity"


def test_publishers_keep_convert_to_alias(admin_client, light):
    page = (
        ProgrammePage.objects.filter(locale__language_code="en")
        .descendant_of(home_of(LIGHT, "en"))
        .first()
    )
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "convertToAliasUrl&quot;: &quot;/admin/" in html


# The parity screen


def parity_rows(client, site, **filters):
    response = client.get(reverse("translations_parity"), {"site": site.pk, **filters})
    assert response.status_code == 200
    return response.context["rows"]


def test_a_changed_source_is_out_of_date_until_synced_and_translated(client, light, staff):
    client.force_login(staff(light, "editors"))
    about = about_of(light).specific
    about.title = "Giới thiệu về LIGHT"
    about.save_revision()
    rows = parity_rows(client, light, status=Status.OUT_OF_DATE)
    assert [row.title for row in rows] == ["Giới thiệu"]  # the live title, flagged

    translation = Translation.objects.get(
        source__object_id=about.translation_key, target_locale=english()
    )
    source = translation.source
    about.save_revision().publish()
    source.update_from_db()  # "Sync translated pages"
    rows = parity_rows(client, light, status=Status.OUT_OF_DATE)
    assert rows[0].segments_left == 1
    segment = (
        source.stringsegment_set.annotate_translation(english())
        .filter(translation__isnull=True)
        .get()
    )
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=english(),
        context=segment.context,
        data="About LIGHT",
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
    )
    assert parity_rows(client, light, status=Status.OUT_OF_DATE) == []


def test_an_unpublished_source_flags_its_live_translation(client, light, staff):
    client.force_login(staff(light, "moderators"))
    about = about_of(light)
    about.specific.unpublish()
    rows = parity_rows(client, light, status=Status.SOURCE_UNPUBLISHED)
    assert [row.title for row in rows] == ["Giới thiệu"]


def test_missing_translations_and_images_without_alt_are_listed(client, light, staff):
    client.force_login(staff(light, "editors"))
    new_source(light)
    programme = (
        ProgrammePage.objects.filter(locale__language_code="vi")
        .descendant_of(light.root_page)
        .first()
    )
    ProgrammePage.objects.filter(pk=programme.pk).update(image_alt="")
    rows = {row.title: row for row in parity_rows(client, light)}
    assert rows["Hoạt động mới"].status == Status.MISSING
    assert rows["Hoạt động mới"].translate_url
    assert rows[programme.title].images_without_alt == ["vi"]


def test_the_csv_says_what_the_screen_says(client, light, staff):
    client.force_login(staff(light, "editors"))
    new_source(light)
    screen = parity_rows(client, light)
    response = client.get(reverse("translations_parity"), {"site": light.pk, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(line[2], line[4]) for line in table[1:]] == [
        (row.title, str(row.status_label)) for row in screen
    ]


def test_staff_see_only_their_own_sites_parity(client, light, life, staff):
    client.force_login(staff(life, "translators"))
    response = client.get(reverse("translations_parity"), {"site": light.pk})
    assert response.context["site"] == life
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("translations_parity") in dashboard and "LIFE" in dashboard


def queries_for_parity(client, site):
    with CaptureQueriesContext(connection) as queries:
        parity_rows(client, site)
    return len(queries)


def test_the_parity_screen_asks_the_same_number_of_queries_at_any_size(client, light, staff):
    client.force_login(staff(light, "editors"))
    parity_rows(client, light)  # warm the per-process caches
    before = queries_for_parity(client, light)
    for number in range(15):
        page = StandardPage(title=f"Trang thêm {number}", slug=f"trang-them-{number}")
        light.root_page.add_child(instance=page)
        page.save_revision().publish()
        if number % 2:
            TranslationCreator(None, [english()]).create_translations(page)
    assert queries_for_parity(client, light) == before


def test_a_translated_partner_is_a_draft_until_published(client, light, staff):
    source = Partner.objects.create(
        site=light, locale=Locale.objects.get(language_code="vi"), name="Quỹ Mới", kind="donor"
    )
    TranslationCreator(staff(light, "editors"), [english()]).create_translations(source)
    translated = source.get_translation(english())
    assert not translated.live
    assert not staff(light, "editors").has_perm("programmes.publish_partner")
    assert staff(light, "moderators").has_perm("programmes.publish_partner")
    rows = {row.title: row for row in parity(light)}
    assert rows["Quỹ Mới"].status == Status.DRAFT
    # A programme that names it shows it only once it is live.
    programme = (
        ProgrammePage.objects.filter(locale=english()).descendant_of(home_of(LIGHT, "en")).first()
    )
    programme.partner_links.create(partner=translated, role="1")
    page = client.get(programme.get_url_parts()[2], HTTP_HOST=LIGHT).content.decode()
    assert "Quỹ Mới" not in page


def test_a_figure_changed_in_vietnamese_reaches_the_english_page_on_sync(life):
    achievements = AchievementsPage.objects.descendant_of(life.root_page).get()
    first = achievements.figures[0]
    first.value["value"] = first.value["value"] + 1
    achievements.save_revision().publish()
    new_value = AchievementsPage.objects.get(pk=achievements.pk).figures[0].value["value"]

    translation = Translation.objects.get(
        source__object_id=achievements.translation_key, target_locale=english()
    )
    translation.source.update_from_db()
    translation.save_target(publish=True)
    translated = AchievementsPage.objects.get(pk=achievements.get_translation(english()).pk)
    assert translated.figures[0].value["value"] == new_value
    assert translated.figures[0].value["label"] != first.value["label"]  # its words stay English

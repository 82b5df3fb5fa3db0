"""What staff read is Vietnamese: Wagtail, wagtail-localize and allauth, through our catalogues."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

SITE_PACKAGES = Path(polib.__file__).resolve().parent
LOCALE = Path(settings.BASE_DIR) / "locale"
# Strings that stay the same in Vietnamese: names, abbreviations, placeholders alone.
SAME_IN_VIETNAMESE = {
    "Email",
    "URL",
    "ID",
    "Menu:",
    "Headless",
    "token",
    "Wagtail API v2",
    "Wagtail API v3",
    "%(num)s pixel",
    "%(range_start)s - %(range_end)s",
    "%(field_label)s:",
    "%(time_zone_option)s: %(localized_time_zone_label)s",
    "…",
    "%(truncated_text)s…",
    "IPv4",
    "IPv6",
}
MINIMUM_COVERAGE = 0.98
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[a-zA-Z0-9_]*\}")


def english_catalogues():
    """{app: [English .po]} of every installed Wagtail app, wagtail-localize and allauth."""
    apps = {}
    for package in ["wagtail", "wagtail_localize", "allauth"]:
        for po in sorted((SITE_PACKAGES / package).glob("**/locale/en/LC_MESSAGES/*.po")):
            app = po.parents[3].relative_to(SITE_PACKAGES).as_posix().replace("/", ".")
            apps.setdefault(app, []).append(po)
    return apps


def is_translated(entry, catalogue):
    if entry.msgid_plural:
        text = catalogue.ngettext(entry.msgid, entry.msgid_plural, 2)
        english = entry.msgid_plural
    elif entry.msgctxt:
        text = catalogue.pgettext(entry.msgctxt, entry.msgid)
        english = entry.msgid
    else:
        text = catalogue.gettext(entry.msgid)
        english = entry.msgid
    return text != english or entry.msgid in SAME_IN_VIETNAMESE


def test_staff_strings_are_at_least_98_percent_vietnamese(capsys):
    catalogues = {
        domain: trans_real.DjangoTranslation("vi", domain=domain)
        for domain in ["django", "djangojs"]
    }
    report, short = [], []
    for app, paths in sorted(english_catalogues().items()):
        entries = [
            (entry, catalogues[path.stem])
            for path in paths
            for entry in polib.pofile(str(path))
            if entry.msgid and not entry.obsolete
        ]
        untranslated = [
            entry.msgid for entry, catalogue in entries if not is_translated(entry, catalogue)
        ]
        coverage = 1 - len(untranslated) / len(entries)
        report.append(
            f"{app:45} {len(entries) - len(untranslated):5}/{len(entries):<5} {coverage:7.1%}"
        )
        if coverage < MINIMUM_COVERAGE:
            short.append(f"{app}: {untranslated[:10]}")
    with capsys.disabled():
        print("\nVietnamese coverage of the staff's strings:\n" + "\n".join(report))  # noqa: T201
    assert not short, short


@pytest.mark.parametrize(
    "po",
    sorted(LOCALE.glob("**/vi/LC_MESSAGES/*.po")),
    ids=lambda path: str(path.relative_to(LOCALE)),
)
def test_every_placeholder_survives_translation(po):
    broken = []
    for entry in polib.pofile(str(po)):
        if not entry.msgid or entry.obsolete:
            continue
        english = entry.msgid_plural or entry.msgid
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if text and set(PLACEHOLDER.findall(english)) != set(PLACEHOLDER.findall(text)):
                broken.append(entry.msgid)
    assert broken == []


UPSTREAM_MISTAKES = {"Sites": "Trang web"}  # upstream said "Trang", which is a page


def test_what_djangos_own_catalogue_lacks_is_vietnamese_too():
    """Django's Vietnamese leaves out, among others, the time periods of "27 minutes ago"."""
    with translation.override("vi"):
        assert translation.ngettext("%(num)d minute", "%(num)d minutes", 27) == "%(num)d phút"
        assert translation.gettext("That page contains no results") != (
            "That page contains no results"
        )


def test_upstream_mistakes_are_mended():
    with translation.override("vi"):
        for english, vietnamese in UPSTREAM_MISTAKES.items():
            assert translation.gettext(english) == vietnamese


# The screens themselves


class VisibleText(HTMLParser):
    """The text a reader sees, and the labels a screen reader reads out."""

    HIDDEN = {"script", "style", "template", "noscript", "svg"}
    READ_OUT = ("aria-label", "placeholder", "title", "alt")

    def __init__(self):
        super().__init__()
        self.texts = []
        self.hidden = []  # [tag, depth] of the elements hiding what they hold

    def handle_starttag(self, tag, attrs):
        if self.hidden and self.hidden[-1][0] == tag:
            self.hidden[-1][1] += 1
        elif tag in self.HIDDEN or "hidden" in dict(attrs):
            self.hidden.append([tag, 1])
        if not self.hidden:
            self.texts.extend(value for name, value in attrs if name in self.READ_OUT and value)

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1][0] == tag:
            self.hidden[-1][1] -= 1
            if not self.hidden[-1][1]:
                self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def visible_texts(html):
    parser = VisibleText()
    parser.feed(html)
    return {" ".join(text.split()) for text in parser.texts} - {""}


@pytest.fixture(scope="module")
def english_msgids():
    """Every English string of the catalogues that a screen could show as it stands."""
    msgids = set()
    for paths in english_catalogues().values():
        for path in paths:
            for entry in polib.pofile(str(path)):
                for text in (entry.msgid, entry.msgid_plural):
                    if text and not PLACEHOLDER.search(text) and "<" not in text:
                        msgids.add(" ".join(text.split()))
    return msgids - SAME_IN_VIETNAMESE


def untranslated_on(response, english_msgids):
    """The catalogues' English strings on the screen, but the content's own words.

    An English page may well be called "Home" or "Privacy": that is content, not the admin.
    """
    from wagtail.models import Page

    assert response.status_code == 200, response
    content = set(Page.objects.values_list("title", flat=True))
    return sorted(visible_texts(response.content.decode()) & english_msgids - content)


def prefer_vietnamese(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "vi"
    profile.save()


@pytest.fixture
def vietnamese_editor(django_user_model, light):
    from organisations.models import Organisation

    user = django_user_model.objects.create_user("bien-tap", "bien-tap@example.org", "x")
    user.groups.add(Organisation.objects.get(site=light).editors)
    prefer_vietnamese(user)
    return user


@pytest.fixture
def vietnamese_administrator(django_user_model):
    user = django_user_model.objects.create_superuser("quan-tri", "quan-tri@example.org", "x")
    prefer_vietnamese(user)
    return user


def admin_screens(light):
    from wagtail.contrib.forms.models import FormSubmission
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from pages.models import ContactPage
    from programmes.models import Partner
    from tests.helpers import pages_of_each_type

    contact = ContactPage.objects.descendant_of(light.root_page).first()
    FormSubmission.objects.create(
        page=contact,
        form_data={field.clean_name: "Lan" for field in contact.form_fields.all()},
    )
    image = get_image_model().objects.filter(collection__name="LIGHT").first()
    document = get_document_model().objects.filter(collection__name="LIGHT").first()
    partner = Partner.objects.filter(site=light).first()
    screens = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{light.root_page_id}/",
        "/admin/pages/search/?q=gioi",
        "/admin/images/",
        f"/admin/images/{image.pk}/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        f"/admin/documents/edit/{document.pk}/",
        "/admin/snippets/programmes/partner/",
        f"/admin/snippets/programmes/partner/edit/{partner.pk}/",
        "/admin/forms/",
        f"/admin/forms/submissions/{contact.pk}/",
        "/admin/reports/locked/",
        "/admin/reports/workflow/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/account/",
    ]
    for page in [
        *pages_of_each_type(light.hostname, "vi"),
        *pages_of_each_type(light.hostname, "en"),
    ]:
        screens.append(f"/admin/pages/{page.pk}/edit/")
    screens.append(f"/admin/pages/{Page.objects.get(pk=light.root_page_id).pk}/history/")
    return screens


ADMINISTRATION_SCREENS = [
    "/admin/users/",
    "/admin/groups/",
    "/admin/sites/",
    "/admin/collections/",
    "/admin/workflows/list/",
    "/admin/workflows/tasks/index/",
    "/admin/redirects/",
    "/admin/locales/",
    "/admin/settings/pages/sitesettings/",
    "/admin/localize/reports/translations/",
]


def test_the_admin_screens_of_an_editor_are_vietnamese(
    client, vietnamese_editor, light, english_msgids
):
    client.force_login(vietnamese_editor)
    found = {}
    for url in admin_screens(light):
        response = client.get(url, follow=True)
        if untranslated := untranslated_on(response, english_msgids):
            found[url] = untranslated
    assert found == {}


def test_the_administration_screens_are_vietnamese(
    client, vietnamese_administrator, english_msgids
):
    client.force_login(vietnamese_administrator)
    found = {}
    for url in ADMINISTRATION_SCREENS:
        response = client.get(url, follow=True)
        if untranslated := untranslated_on(response, english_msgids):
            found[url] = untranslated
    assert found == {}


def test_the_translation_editor_is_vietnamese(
    client, vietnamese_administrator, light, english_msgids
):
    from wagtail.models import Locale
    from wagtail_localize.operations import TranslationCreator

    from pages.models import StandardPage

    page = light.root_page.add_child(instance=StandardPage(title="Trang dịch thử", slug="dich-thu"))
    TranslationCreator(
        vietnamese_administrator, [Locale.objects.get(language_code="en")]
    ).create_translations(page)
    translation_page = page.get_translation(Locale.objects.get(language_code="en"))
    client.force_login(vietnamese_administrator)
    response = client.get(f"/admin/pages/{translation_page.pk}/edit/")
    assert untranslated_on(response, english_msgids) == []


ACCOUNT_SCREENS_ANONYMOUS = [
    "/vi/accounts/login/",
    "/vi/accounts/password/reset/",
    "/vi/accounts/signup/",
]
ACCOUNT_SCREENS = [
    "/vi/accounts/password/change/",
    "/vi/accounts/2fa/",
    "/vi/accounts/2fa/totp/activate/",
    "/vi/accounts/reauthenticate/",
    "/vi/accounts/logout/",
]


def test_the_account_and_two_factor_pages_are_vietnamese(
    client, vietnamese_administrator, light, english_msgids
):
    found = {}
    for url in ACCOUNT_SCREENS_ANONYMOUS:
        if untranslated := untranslated_on(
            client.get(url, HTTP_HOST=light.hostname), english_msgids
        ):
            found[url] = untranslated
    # Signed in through the login page, as staff are: the two-factor pages then need no second
    # password prompt.
    client.post(
        "/vi/accounts/login/",
        {"login": vietnamese_administrator.email, "password": "x"},
        HTTP_HOST=light.hostname,
    )
    for url in ACCOUNT_SCREENS:
        if untranslated := untranslated_on(
            client.get(url, HTTP_HOST=light.hostname), english_msgids
        ):
            found[url] = untranslated
    assert found == {}

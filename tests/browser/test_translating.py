"""An editor translates a Vietnamese page in the admin; it goes live only once approved."""

import pytest
from wagtail.models import Locale, Page, WorkflowState

from organisations.models import Organisation
from pages.models import StandardPage
from tests.browser.staff import committed_staff, sign_in
from tests.conftest import LIGHT
from tests.helpers import home_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker):
    """Committed staff and a page, so that the live server sees them on PostgreSQL too."""
    with django_db_blocker.unblock():
        organisation = Organisation.objects.get(site__hostname=LIGHT)
        users = {
            role: committed_staff(f"dich-{role}", getattr(organisation, role))
            for role in ("editors", "moderators")
        }
        source = StandardPage(
            title="Ngày hội cộng đồng", slug="ngay-hoi-cong-dong", intro="<p>Một ngày vui.</p>"
        )
        home_of(LIGHT, "vi").add_child(instance=source)
        source.save_revision().publish()
    yield users, source
    with django_db_blocker.unblock():
        for page in Page.objects.filter(translation_key=source.translation_key):
            page.delete()
        for user in users.values():
            user.delete()


def test_an_editor_translates_and_a_moderator_approves(browser, site_server, newsroom):
    users, source = newsroom
    base = f"http://{LIGHT}:{site_server}"

    context, page = sign_in(browser, base, users["editors"])
    page.goto(f"{base}/admin/localize/submit/page/{source.pk}/")
    page.get_by_label("Tiếng Anh").check()
    with page.expect_navigation():
        page.locator("main input[type=submit]").click()
    english = source.get_translation(Locale.objects.get(language_code="en"))
    assert not english.live  # a draft, not a live copy in Vietnamese

    # The translation editor: translate the title, then send the page for review.
    page.goto(f"{base}/admin/pages/{english.pk}/edit/")
    page.get_by_role("button", name="Gửi duyệt").wait_for()
    page.get_by_role("button", name="Dịch", exact=True).first.click()
    page.locator("textarea:visible").first.fill("Community day")
    with page.expect_response(lambda response: response.request.method == "PUT"):
        page.get_by_role("button", name="Lưu", exact=True).first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi duyệt").click()
    context.close()
    english = Page.objects.get(pk=english.pk)
    assert not english.live
    assert english.get_latest_revision_as_object().title == "Community day"
    assert WorkflowState.objects.filter(
        object_id=str(english.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()

    # Visitors see nothing of it yet: not the page, the English news, the sitemap or search.
    visitor = browser.new_context(locale="en-GB")
    public = visitor.new_page()
    for path in ["/en/", "/en/feed/", "/sitemap.xml", "/en/search/?q=Community"]:
        public.goto(f"{base}{path}")
        assert "Community day" not in public.content()
    assert public.goto(f"{base}/en/{english.slug}/").status == 404

    # A moderator approves it: now it is live.
    context, page = sign_in(browser, base, users["moderators"])
    assert "LIGHT · Community day" in page.locator("main").inner_text()  # on the dashboard
    page.goto(f"{base}/admin/pages/{english.pk}/edit/")
    with page.expect_navigation():
        page.get_by_role("button", name="Duyệt", exact=True).click()
    context.close()
    english = Page.objects.get(pk=english.pk)
    assert english.live and english.title == "Community day"
    public.goto(f"{base}/en/{english.slug}/")
    assert "Community day" in public.content()
    visitor.close()

"""The editorial workflow from the browser: edit, submit, approve, publish, translate."""

import pytest
from wagtail.models import Locale, Page, WorkflowState

from organisations.models import Organisation
from programmes.models import ProgrammePage
from tests.browser.staff import committed_staff, republish, sign_in
from tests.conftest import LIFE, LIGHT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROLES = {
    "editor": (LIGHT, "editors"),
    "moderator": (LIGHT, "moderators"),
    "translator": (LIGHT, "translators"),
    "other_editor": (LIFE, "editors"),
    "other_moderator": (LIFE, "moderators"),
}
EDITED = "Cập nhật từ quy trình duyệt bài."
# "Approve" itself, not "Approve with comment" (which opens a dialog first).
APPROVE = "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker):
    """Committed staff and a programme page, so the live server sees them on PostgreSQL too."""
    with django_db_blocker.unblock():
        users = {
            name: committed_staff(
                f"workflow-{name}",
                getattr(Organisation.objects.get(site__hostname=hostname), role),
            )
            for name, (hostname, role) in ROLES.items()
        }
        source = (
            ProgrammePage.objects.filter(locale__language_code="vi")
            .descendant_of(Page.objects.get(sites_rooted_here__hostname=LIGHT))
            .last()
        )
        translation = source.get_translation(Locale.objects.get(language_code="en"))
        revisions = {page.pk: page.live_revision_id for page in (source, translation)}
    yield users, source, translation
    with django_db_blocker.unblock():
        for page in (source, translation):
            republish(page, revisions[page.pk])  # the demo as the other browser tests expect it
        for user in users.values():
            user.delete()


def press_footer_action(page, selector):
    """Open the editor's footer menu of actions, press one, and wait for the next page."""
    button = page.locator(selector)
    if not button.is_visible():
        page.locator(".w-dropdown-button [data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        button.click()


def in_review(page_id):
    return WorkflowState.objects.filter(
        object_id=str(page_id), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()


def test_edit_submit_approve_publish_and_translate(browser, site_server, newsroom):
    users, source, translation = newsroom
    base = f"http://{LIGHT}:{site_server}"
    public_url = f"{base}{source.get_url_parts()[2]}"

    # An editor changes the summary and submits the page for review.
    context, page = sign_in(browser, base, users["editor"])
    page.goto(f"{base}/admin/pages/{source.pk}/edit/")
    page.fill("#id_summary", EDITED)
    press_footer_action(page, "button[name=action-submit]")
    context.close()
    assert in_review(source.pk)

    # Staff of the other organisation see nothing of it: not in their explorer, not on their
    # dashboard, and the page's editor is refused.
    for name in ("other_editor", "other_moderator"):
        context, page = sign_in(browser, base, users[name])
        assert "LIGHT · " not in page.locator("main").inner_text()
        page.goto(f"{base}/admin/pages/")
        explorer = page.locator("main").inner_text()
        assert "LIFE · Trang chủ (vi)" in explorer and "LIGHT · " not in explorer
        page.goto(f"{base}/admin/pages/{source.pk}/edit/")
        assert page.locator("#id_summary").count() == 0
        assert source.title not in page.locator("main").inner_text()
        context.close()

    # Not yet visible to visitors.
    visitor = browser.new_context(locale="vi-VN")
    visitor_page = visitor.new_page()
    visitor_page.goto(public_url)
    assert EDITED not in visitor_page.locator("main").inner_text()

    # A moderator of the organisation finds it on the dashboard, labelled with the site, and
    # approves it, which publishes it.
    context, page = sign_in(browser, base, users["moderator"])
    assert f"LIGHT · {source.title}" in page.locator("main").inner_text()
    page.goto(f"{base}/admin/pages/{source.pk}/edit/")
    press_footer_action(page, APPROVE)
    context.close()
    assert not in_review(source.pk)
    assert ProgrammePage.objects.get(pk=source.pk).summary == EDITED

    # Anonymous visitors now see the change.
    visitor_page.goto(public_url)
    assert EDITED in visitor_page.locator("main").inner_text()
    visitor.close()

    # A translator works on the English version in the translation editor, where saving and
    # submitting are the main actions, and may not edit the Vietnamese one.
    context, page = sign_in(browser, base, users["translator"])
    page.goto(f"{base}/admin/pages/{source.pk}/edit/")
    assert page.locator("#id_summary").count() == 0
    page.goto(f"{base}/admin/pages/{translation.pk}/edit/")
    page.get_by_role("button", name="Gửi duyệt").wait_for()
    assert page.get_by_role("button", name="Lưu bản nháp").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi duyệt").click()
    context.close()
    assert in_review(translation.pk)

"""An editor fills a programme's facts in the Vietnamese admin; once approved, visitors read them.

The facts are lists and numbers typed as a Vietnamese editor types them ("150.000.000"); a
mistake (cents in đồng) comes back as a form error in Vietnamese, with nothing lost.
"""

import pytest
from wagtail.models import Page

from organisations.models import Organisation
from programmes.models import ProgrammePage
from tests.browser.staff import committed_staff, republish, sign_in
from tests.browser.test_workflow import APPROVE, press_footer_action
from tests.conftest import LIGHT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROLES = {"editor": "editors", "moderator": "moderators"}
SHOWN = (
    "Quỹ Canada (Canada Fund)",
    "Hà Nội",
    "150.000.000 VND",
    "Phụ nữ được tư vấn pháp lý",
    "1.200",
    "950 người",
)


@pytest.fixture(scope="module")
def programme_desk(django_db_setup, django_db_blocker):
    """Committed LIGHT staff and a LIGHT programme, restored to its live revision afterwards."""
    with django_db_blocker.unblock():
        organisation = Organisation.objects.get(site__hostname=LIGHT)
        users = {
            name: committed_staff(f"facts-{name}", getattr(organisation, role))
            for name, role in ROLES.items()
        }
        programme = (
            ProgrammePage.objects.filter(locale__language_code="vi")
            .descendant_of(Page.objects.get(sites_rooted_here__hostname=LIGHT))
            .get(code="SAFE")
        )
        live_revision = programme.live_revision_id
    yield users, programme
    with django_db_blocker.unblock():
        republish(programme, live_revision)
        for user in users.values():
            user.delete()


def add_row(page, formset):
    """Press the inline panel's add button; returns the new row's field id prefix."""
    index = int(page.locator(f"#id_{formset}-TOTAL_FORMS").input_value())
    page.locator(f"#id_{formset}-ADD").click()
    return f"#id_{formset}-{index}-"


def test_an_editor_enters_facts_that_visitors_read_once_approved(
    browser, site_server, programme_desk
):
    users, programme = programme_desk
    base = f"http://{LIGHT}:{site_server}"
    visitor = browser.new_context(locale="vi-VN")
    visitor_page = visitor.new_page()
    visitor_page.goto(f"{base}{programme.get_url_parts()[2]}")
    before = visitor_page.locator("main").inner_text()
    assert not [fact for fact in SHOWN if fact in before]

    context, page = sign_in(browser, base, users["editor"])
    page.goto(f"{base}/admin/pages/{programme.pk}/edit/")

    # A funder, chosen from the organisation's own partners only.
    partner = add_row(page, "partner_links")
    page.locator(f"{partner}partner-chooser [data-chooser-action-choose]").first.click()
    choices = page.locator(".modal a[data-chooser-modal-choice]")
    choices.first.wait_for()
    offered = choices.all_inner_texts()
    assert "Quỹ Canada (Canada Fund)" in offered
    assert not any("VUSTA" in name for name in offered)  # LIFE's partner
    choices.filter(has_text="Quỹ Canada (Canada Fund)").click()
    page.locator(".modal").wait_for(state="hidden")
    page.select_option(f"{partner}role", "1")  # funding

    place = add_row(page, "locations")
    page.select_option(f"{place}province", label="Hà Nội")

    budget = add_row(page, "budgets")
    page.fill(f"{budget}period_start", "2024-01-01")
    page.fill(f"{budget}period_end", "2024-12-31")
    page.fill(f"{budget}value", "150.000.000,5")  # đồng have no cents
    page.select_option(f"{budget}currency", "VND")

    indicator = add_row(page, "indicators")
    page.fill(f"{indicator}title", "Phụ nữ được tư vấn pháp lý")
    page.fill(f"{indicator}unit", "người")
    page.fill(f"{indicator}target", "1.200")
    page.fill(f"{indicator}actual", "950")

    press_footer_action(page, "button[name=action-submit]")
    assert "Số tiền bằng VND có 0 chữ số thập phân." in page.locator("main").inner_text()
    # Nothing typed was lost: the rows are still there, with what the editor entered.
    assert page.locator(f"{indicator}title").input_value() == "Phụ nữ được tư vấn pháp lý"
    assert page.locator(f"{partner}partner-chooser").inner_text().count("Canada Fund") == 1

    page.fill(f"{budget}value", "150.000.000")
    press_footer_action(page, "button[name=action-submit]")
    context.close()

    context, page = sign_in(browser, base, users["moderator"])
    page.goto(f"{base}/admin/pages/{programme.pk}/edit/")
    press_footer_action(page, APPROVE)
    context.close()

    visitor_page.reload()
    after = visitor_page.locator("main").inner_text()
    assert [fact for fact in SHOWN if fact not in after] == []
    visitor.close()

"""The Wagtail admin and the public sites in Chromium under the real Content-Security-Policy.

Chromium reports every resource, script or style a policy blocks, and every Permissions-Policy
feature it does not recognise, on the console; none may appear on the screens editors use.
"""

import io

import pytest
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Locale

from pages.models import StoryPage
from tests.browser.staff import committed_staff, sign_in
from tests.conftest import LIFE, LIGHT
from tests.helpers import home_of, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

UPLOAD_PREFIX = "csp-upload"


class PolicyViolations(list):
    """What the browser refused, or could not understand, while a page was open."""

    SIGNS = ("Content Security Policy", "Permissions-Policy", "Permissions policy")

    def __init__(self, page):
        super().__init__()
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.append(f"{page.url}: script error: {error}"))
        self.page = page

    def console(self, message):
        if any(sign in message.text for sign in self.SIGNS):
            self.append(f"{self.page.url}: {message.text}")


@pytest.fixture(scope="module")
def administrator(django_db_setup, django_db_blocker):
    """Committed, so the live server sees it on PostgreSQL too; uploads are removed afterwards."""
    with django_db_blocker.unblock():
        user = committed_staff("csp-admin", is_superuser=True, is_staff=True)
    yield user
    with django_db_blocker.unblock():
        for model in (Image, Document):
            for upload in model.objects.filter(title__startswith=UPLOAD_PREFIX):
                upload.delete()
        user.delete()


@pytest.fixture(scope="module")
def signed_in(browser, site_server, administrator):
    """The administrator's session, signed in once for the whole module."""
    base = f"http://{LIGHT}:{site_server}"
    context, _page = sign_in(browser, base, administrator)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def admin_page(browser, site_server, signed_in):
    context = browser.new_context(locale="vi-VN", storage_state=signed_in)
    page = context.new_page()
    page.base = f"http://{LIGHT}:{site_server}"
    page.violations = PolicyViolations(page)
    yield page
    leave(page)
    context.close()


def leave(page):
    """Leave the admin the way an editor does, but wait until the server has answered.

    An editor that closes releases its editing session with a beacon, which nothing waits for:
    answered while the next test begins, it would share the test database with that test.
    """
    page.evaluate(RELEASE_EDITING_SESSION)
    page.wait_for_load_state("networkidle")


RELEASE_EDITING_SESSION = """async () => {
    const sessions = document.querySelector("form.w-editing-sessions");
    if (!sessions) return;
    sessions.removeAttribute("data-action");  // no beacon when the page goes
    const config = JSON.parse(document.getElementById("wagtail-config").textContent);
    await fetch(sessions.dataset.wActionUrlValue, {
        method: "POST",
        headers: {"X-CSRFToken": config.CSRF_TOKEN},
    });
}"""


def open_admin(page, path):
    response = page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, path
    assert "'unsafe-inline'" in response.headers["content-security-policy"], path
    return response


def story():
    return StoryPage.objects.live().filter(locale__language_code="vi").order_by("path").first()


def admin_screens():
    home = home_of(LIGHT, "vi")
    english_story = story().get_translation(Locale.objects.get(language_code="en"))
    return {
        "dashboard": "/admin/",
        "page explorer": f"/admin/pages/{home.pk}/",
        "home page editor (inline panels)": f"/admin/pages/{home.pk}/edit/",
        "story editor (dates, choosers, rich text)": f"/admin/pages/{story().pk}/edit/",
        "translated story editor": f"/admin/pages/{english_story.pk}/edit/",
        "images": "/admin/images/",
        "image upload": "/admin/images/multiple/add/",
        "documents": "/admin/documents/",
        "document upload": "/admin/documents/multiple/add/",
        "page search": "/admin/pages/search/?q=light",
        "story consent report": "/admin/reports/story-consent/",
    }


@pytest.mark.parametrize(
    "screen",
    [
        "dashboard",
        "page explorer",
        "home page editor (inline panels)",
        "story editor (dates, choosers, rich text)",
        "translated story editor",
        "images",
        "image upload",
        "documents",
        "document upload",
        "page search",
        "story consent report",
    ],
)
def test_admin_screen_runs_without_policy_violations(admin_page, screen):
    open_admin(admin_page, admin_screens()[screen])

    assert admin_page.violations == []


def test_preview_panel_shows_the_page_inside_the_editor(admin_page):
    target = story()
    open_admin(admin_page, f"/admin/pages/{target.pk}/edit/")
    admin_page.locator("button[data-side-panel-toggle='preview']").click()
    preview = admin_page.frame_locator("#w-preview-iframe")

    # Framed by the editor only because the preview says frame-ancestors 'self'.
    assert preview.locator("h1").first.inner_text(timeout=15_000) == target.title
    admin_page.wait_for_load_state("networkidle")
    assert admin_page.violations == []


@pytest.mark.parametrize("field", ["image", "consent_form"])
def test_choosers_open_without_policy_violations(admin_page, field):
    open_admin(admin_page, f"/admin/pages/{story().pk}/edit/")
    # The chooser's own button, whether or not something is chosen already.
    admin_page.locator(f"#id_{field}-chooser [data-chooser-action-choose]").first.dispatch_event(
        "click"
    )
    modal = admin_page.locator(".modal-content")
    modal.locator("table, .listing").first.wait_for(timeout=15_000)
    admin_page.wait_for_load_state("networkidle")

    assert admin_page.violations == []


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "file"),
    [
        ("images", {"name": f"{UPLOAD_PREFIX}.png", "mimeType": "image/png"}),
        ("documents", {"name": f"{UPLOAD_PREFIX}.pdf", "mimeType": "application/pdf"}),
    ],
)
def test_uploads_without_policy_violations(admin_page, kind, file):
    content = png_bytes() if kind == "images" else b"%PDF-1.4\n%%EOF\n"
    open_admin(admin_page, f"/admin/{kind}/multiple/add/")
    admin_page.set_input_files("#fileupload", files=[{**file, "buffer": content}])
    admin_page.locator(".upload-success").wait_for(timeout=15_000)
    admin_page.wait_for_load_state("networkidle")

    assert admin_page.violations == []


def test_admin_still_refuses_inline_event_handlers(admin_page):
    """The admin's policy is looser than the public one, but not open: the collector sees it."""
    open_admin(admin_page, "/admin/")
    admin_page.evaluate(
        """() => document.body.insertAdjacentHTML(
            "beforeend", '<img src="/no-such-image.png" onerror="window.injected = true">'
        )"""
    )
    admin_page.wait_for_load_state("networkidle")

    assert admin_page.evaluate("window.injected") is None
    assert any("script-src-attr" in violation for violation in admin_page.violations)


# Public pages


@pytest.fixture
def visitor_page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.violations = PolicyViolations(page)
    yield page
    context.close()


def public_paths():
    english_story = story().get_translation(Locale.objects.get(language_code="en"))
    return {
        "LIGHT home": (LIGHT, path_of(home_of(LIGHT, "vi"))),
        "LIFE home": (LIFE, path_of(home_of(LIFE, "en"))),
        "story": (LIGHT, path_of(english_story)),
        "search": (LIGHT, "/vi/search/?q=light"),
        "sign in": (LIGHT, "/vi/accounts/login/"),
    }


@pytest.mark.parametrize("name", ["LIGHT home", "LIFE home", "story", "search", "sign in"])
def test_public_page_runs_under_the_strict_policy(visitor_page, site_server, name):
    hostname, path = public_paths()[name]
    response = visitor_page.goto(f"http://{hostname}:{site_server}{path}")
    visitor_page.wait_for_load_state("networkidle")

    assert response.status == 200
    assert "unsafe" not in response.headers["content-security-policy"]
    assert visitor_page.violations == []


def test_public_pages_refuse_injected_inline_scripts(visitor_page, site_server):
    visitor_page.goto(f"http://{LIGHT}:{site_server}{path_of(story())}")
    with pytest.raises(Exception, match="Content Security Policy"):
        visitor_page.add_script_tag(content="window.injected = true;")

    assert visitor_page.evaluate("window.injected") is None
    assert any("script-src" in violation for violation in visitor_page.violations)


def test_userbar_opens_on_public_pages_for_staff(admin_page):
    response = admin_page.goto(admin_page.base + path_of(story()))
    admin_page.locator("wagtail-userbar button").first.click()
    admin_page.locator("wagtail-userbar [role=menu]").wait_for()
    admin_page.wait_for_load_state("networkidle")

    assert "unsafe" not in response.headers["content-security-policy"]
    assert admin_page.violations == []


def test_two_factor_enrolment_shows_its_qr_code(browser, site_server, administrator):
    """allauth's QR code is a data: image, the one thing img-src allows beyond the site."""
    base = f"http://{LIGHT}:{site_server}"
    context, page = sign_in(browser, base, administrator)
    violations = PolicyViolations(page)
    # Just signed in: no second password prompt (accounts/adapter.py).
    page.goto(f"{base}/vi/accounts/2fa/totp/activate/")
    qr_code = page.locator("main img[src^='data:image/svg+xml']")
    page.wait_for_load_state("networkidle")

    assert qr_code.evaluate("img => img.naturalWidth") > 0
    assert violations == []
    context.close()

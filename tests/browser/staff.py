"""Staff for the browser tests, and signing them in as they do: through the admin's login page,
which is allauth's."""

from django.contrib.auth import get_user_model
from wagtail.models import WorkflowState

PASSWORD = "correct horse battery staple"  # noqa: S105


def committed_staff(username, *groups, **fields):
    """A member of staff in `groups`. Create them inside django_db_blocker.unblock(): committed,
    the live server sees them on PostgreSQL too (it has its own connection)."""
    user, _created = get_user_model().objects.update_or_create(
        username=username, defaults={"email": f"{username}@example.org", **fields}
    )
    user.set_password(PASSWORD)
    user.save()
    user.groups.set(groups)
    return user


def republish(page, revision_id):
    """Cancel the page's reviews and publish `revision_id` again: the demo as it was."""
    for state in WorkflowState.objects.filter(
        base_content_type_id=page.content_type_id,
        object_id=str(page.pk),
        status=WorkflowState.STATUS_IN_PROGRESS,
    ):
        state.cancel()
    page.specific_class.objects.get(pk=page.pk).revisions.get(pk=revision_id).publish()


def sign_in(browser, base, user):
    """A new Vietnamese browser context signed in as `user`; returns (context, page)."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    assert "/accounts/login/" in page.url  # the admin's login is allauth's
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return context, page

"""Signing a member of staff in, as they do: the admin's login page, which is allauth's."""

PASSWORD = "correct horse battery staple"  # noqa: S105


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

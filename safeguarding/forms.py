"""Public forms that need no CSRF cookie, so that anonymous visitors get no cookies at all."""

from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware


def same_origin(request):
    """True when a POST comes from a page of this site, by its Origin or Referer header.

    Browsers send Origin with every form POST, and Referer for same-origin requests under
    our referrer policy; a request with neither is refused.
    """
    allowed = {request.get_host().lower(), *_trusted_hosts()}
    for header in ("HTTP_ORIGIN", "HTTP_REFERER"):
        value = request.META.get(header)
        if value and value != "null":
            return urlsplit(value).netloc.lower() in allowed
    return False


def _trusted_hosts():
    return {urlsplit(origin).netloc.lower() for origin in settings.CSRF_TRUSTED_ORIGINS}


def enforce_csrf_unless_exempt(page, request, serve_args, serve_kwargs):
    """The before_serve_page hook: every page but cookie-free forms keeps Django's CSRF check.

    Public pages are served through `pages.urls.csrf_exempt_serve`, so that the contact form
    needs no cookie; this hook puts the usual check back for any page that has not opted out.
    """
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    if getattr(page.specific_class, "cookie_free_form", False):
        return None
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})

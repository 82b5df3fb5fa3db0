"""Staff who can reach the Wagtail admin enrol in two-factor authentication before using it."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

ADMIN_PREFIX = "/admin/"


def requires_enrolment(user):
    return (
        user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


class StaffMFAMiddleware:
    """With STAFF_MFA_REQUIRED on, send admin users without TOTP to the enrolment page.

    allauth offers two-factor authentication but does not make anyone use it. Only the admin
    is guarded: the public site and the account pages (where enrolment happens) stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_MFA_REQUIRED
            and request.path.startswith(ADMIN_PREFIX)
            and requires_enrolment(request.user)
        ):
            messages.info(
                request,
                _("Set up two-factor authentication with an authenticator app to use the admin."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class NeverCacheAccountPagesMiddleware:
    """Sign-in, password reset and two-factor pages are personal: never stored by a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if match and (match.url_name or "").startswith(("account_", "mfa_")):
            add_never_cache_headers(response)
        return response

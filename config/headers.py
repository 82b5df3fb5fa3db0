"""Headers that tell browsers what a page may do: Content-Security-Policy and Permissions-Policy.

The policies themselves are settings (config/settings/base.py); this module decides which one a
response gets.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp, with the Wagtail admin's own policy and framing that agrees with X-Frame-Options.

    Public pages get CONTENT_SECURITY_POLICY; everything under /admin/ gets
    ADMIN_CONTENT_SECURITY_POLICY, which allows what Wagtail's admin cannot work without.
    Wagtail's preview views set X-Frame-Options: SAMEORIGIN so that the editor can show them in
    its preview panel; frame-ancestors follows suit, or browsers would refuse the frame anyway.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and request.path.startswith(ADMIN_PREFIX):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        if is_framed_by_the_admin(request, response):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


def is_framed_by_the_admin(request, response):
    # A page preview is rendered through the whole middleware chain a second time, for a
    # request that Wagtail makes up (is_dummy) with the page's own path; that inner response's
    # policy is the one the browser gets.
    return getattr(request, "is_dummy", False) or response.get("X-Frame-Options") == "SAMEORIGIN"


class PermissionsPolicyMiddleware:
    """Turn off, for every response, the browser features that neither site nor admin uses.

    A script injected into a page then cannot reach the camera, the microphone, the visitor's
    location and the like, and embedded frames cannot ask for them either.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED_FEATURES
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response

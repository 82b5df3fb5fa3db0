"""Each organisation's site answers on its own hostnames and nowhere else.

ALLOWED_HOSTS also lists hosts that are not sites (127.0.0.1 for the container's health check,
an internal name for a load balancer). Wagtail would show the default site on them, so LIGHT's
pages would be served as any of those hosts, or as a hostname that once was a site. Here they get
400 instead; /healthz keeps answering on every allowed host.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from wagtail.models import Site

EVERY_HOST_PATHS = {"/healthz"}


class KnownSiteHostsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path not in EVERY_HOST_PATHS
            # Wagtail's previews make up a request for the page, on a host it picks itself.
            and not getattr(request, "is_dummy", False)
            and not is_site_host(request)
        ):
            # Answered like a host outside ALLOWED_HOSTS: 400, logged by django.security.
            raise DisallowedHost(f"No site has the hostname {request.get_host()!r}.")
        return self.get_response(request)


def is_site_host(request):
    hostname = split_domain_port(request.get_host())[0]
    # Wagtail keeps the site it finds on the request, so serving the page looks it up no more.
    site = Site.find_for_request(request)
    return site is not None and (
        site.hostname == hostname or hostname in settings.DEFAULT_SITE_HOSTS
    )

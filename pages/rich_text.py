"""Links in rich text to pages of the site being viewed stay on the visitor's host and port.

Wagtail writes rich-text page links as absolute URLs once there is more than one site, built
from the Site record (http://light.localhost/...), which drops the port `make run` serves on
and any host the visitor reached the site by. With the site being viewed known, links within it
are root-relative; links to the other organisation's site stay absolute.
"""

from contextvars import ContextVar

from django.utils.html import escape
from wagtail.models import Site
from wagtail.rich_text.pages import PageLinkHandler

current_site = ContextVar("current_site", default=None)


class SiteRelativePageLinkHandler(PageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        site = current_site.get()
        return [
            f'<a href="{escape(page.localized.get_url(current_site=site))}">' if page else "<a>"
            for page in cls.get_many(attrs_list)
        ]


class CurrentSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_site.set(Site.find_for_request(request))
        try:
            return self.get_response(request)
        finally:
            current_site.reset(token)

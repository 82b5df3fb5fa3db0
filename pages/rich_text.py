"""Links in rich text to pages of the site being viewed stay on the visitor's host and port.

Wagtail writes rich-text page links as absolute URLs once there is more than one site, built
from the Site record (http://light.localhost/...), which drops the port `make run` serves on
and any host the visitor reached the site by. With the site being viewed known, links within it
are root-relative; links to the other organisation's site stay absolute.
"""

from contextvars import ContextVar

from django.utils.html import escape
from wagtail.models import Page, Site
from wagtail.rich_text.pages import PageLinkHandler

from pages.routing import localized_pages

current_request = ContextVar("current_request", default=None)


class SiteRelativePageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        # Only the pages' URLs are written, which generic pages know: one query, where Wagtail's
        # specific pages cost one more per page type.
        ids = [str(attrs.get("id")) for attrs in attrs_list]
        found = Page.objects.filter(pk__in=[id_ for id_ in ids if id_.isdigit()])
        pages = {str(page.pk): page for page in found}
        return [pages.get(id_) for id_ in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        request = current_request.get()
        site = Site.find_for_request(request) if request is not None else None
        pages = cls.get_many(attrs_list)
        localized = localized_pages([page for page in pages if page])
        return [
            f'<a href="{escape(localized[page.pk].get_url(current_site=site))}">' if page else "<a>"
            for page in pages
        ]


class CurrentSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only the request: the site is looked up when a link is written, so requests that
        # render no rich text (such as /healthz) touch no database.
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

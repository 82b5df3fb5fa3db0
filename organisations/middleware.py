from django.core.exceptions import PermissionDenied
from wagtail.models import Page

from organisations.wagtail_hooks import own_trees

EXPLORER_VIEWS = {"wagtailadmin_explore", "wagtailadmin_explore_results"}


class OwnSiteExplorerMiddleware:
    """Exploring a page of another organisation's site is refused.

    Wagtail lists only the pages a user may explore, but opens any page's listing by its
    address, showing its title; staff of one organisation have no business there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        page_id = view_kwargs.get("parent_page_id")
        if page_id is None or request.resolver_match.url_name not in EXPLORER_VIEWS:
            return None
        if not request.user.is_authenticated or request.user.is_superuser:
            return None
        if not Page.objects.filter(own_trees(request.user), pk=page_id).exists():
            raise PermissionDenied
        return None

"""Admin and serving hooks: safeguarding's (see safeguarding/), page deletion logs, page links."""

import logging

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, LocaleColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from pages.models.stories import stories_with_consent_expiring
from pages.rich_text import SiteRelativePageLinkHandler
from safeguarding.consent import CONSENT_REPORT_DAYS, refuse_private_document
from safeguarding.forms import enforce_csrf_unless_exempt

hooks.register("before_serve_document", refuse_private_document)
hooks.register("before_serve_page", enforce_csrf_unless_exempt)

logger = logging.getLogger(__name__)


@hooks.register("after_delete_page")
def log_page_deletion(request, page):
    """Wagtail's history keeps a record of deletions in the database; operators read logs."""
    logger.info(
        "Page %r (%s, %s) and its subpages deleted by %s",
        page.title,
        page.url_path,
        page.locale.language_code,
        request.user.get_username(),
    )


class StoryConsentReportView(ReportView):
    """Stories showing identifiable people whose consent has expired or expires within 30 days."""

    page_title = _("Story consent expiring")
    header_icon = "warning"
    index_url_name = "story_consent_report"
    index_results_url_name = "story_consent_report_results"
    paginate_by = 50
    list_export = ["title", "locale", "consent_given", "consent_expires", "live"]
    columns = [
        TitleColumn(
            "title",
            label=_("Story"),
            get_url=lambda story: reverse("wagtailadmin_pages:edit", args=[story.pk]),
        ),
        LocaleColumn(),
        Column("consent_given", label=_("Consent given on")),
        Column("consent_expires", label=_("Consent expires on")),
        StatusTagColumn("status_string", label=_("Status"), primary=lambda story: story.live),
    ]

    def get_queryset(self):
        return stories_with_consent_expiring(CONSENT_REPORT_DAYS)


@hooks.register("register_admin_urls")
def register_story_consent_report_urls():
    view = StoryConsentReportView.as_view()
    results = StoryConsentReportView.as_view(results_only=True)
    return [
        path("reports/story-consent/", view, name="story_consent_report"),
        path("reports/story-consent/results/", results, name="story_consent_report_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_story_consent_report_menu_item():
    return MenuItem(
        _("Story consent"),
        reverse("story_consent_report"),
        name="story-consent",
        icon_name="warning",
        order=900,
    )


@hooks.register("register_rich_text_features", order=1)  # after Wagtail's own page links
def site_relative_page_links(features):
    features.register_link_type(SiteRelativePageLinkHandler)

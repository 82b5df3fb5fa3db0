from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from translations.parity import Status, counts, parity
from translations.views import own_sites, parity_view, save_translation


@hooks.register("register_admin_urls")
def translation_urls():
    return [
        path(
            "translations/<int:translation_id>/save/",
            save_translation,
            name="translations_save",
        ),
        path("reports/translation-parity/", parity_view, name="translations_parity"),
    ]


@hooks.register("register_reports_menu_item")
def parity_menu_item():
    return MenuItem(
        _("Translation parity"),
        reverse("translations_parity"),
        name="translation-parity",
        icon_name="wagtail-localize-language",
        order=850,
    )


class ParityPanel(Component):
    """On the dashboard: how many pages of the staff member's sites need translating."""

    name = "translation_parity"
    order = 150
    template_name = "translations/parity_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        sites = own_sites(self.user)
        return {
            "summaries": [(site, counts(parity(site))) for site in sites],
            "labels": Status.LABELS,
            "needs_work": [Status.SOURCE_UNPUBLISHED, Status.MISSING, Status.OUT_OF_DATE],
        }


@hooks.register("construct_homepage_panels")
def add_parity_panel(request, panels):
    if own_sites(request.user).exists():
        panels.append(ParityPanel(request.user))

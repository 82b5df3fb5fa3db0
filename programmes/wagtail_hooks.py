from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from organisations.scoping import scope_to_own_sites
from programmes.models import Partner


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partners")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind", "site", "locale"]
    list_filter = ["kind", "site", "locale"]


register_snippet(scope_to_own_sites(PartnerViewSet))

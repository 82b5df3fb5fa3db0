from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.slug import SlugInput

from pages.slugs import ADMIN_SLUG_FORMATTERS


class PageForm(WagtailAdminPageForm):
    """The admin's page form, proposing the same ASCII slug as the server would."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].widget = SlugInput(formatters=ADMIN_SLUG_FORMATTERS)

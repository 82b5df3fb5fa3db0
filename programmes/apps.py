from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self):
        # The models exist only once the apps are loaded.
        from pagecache.purge import watch_shown
        from programmes.models import Partner

        # Both organisations' pages show partners: a changed partner purges the pages showing it.
        watch_shown(Partner)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GivingConfig(AppConfig):
    name = "giving"
    verbose_name = _("Giving")

    def ready(self):
        # The models exist only once the apps are loaded.
        from giving.models import BankTransferSettings
        from pagecache.purge import watch_site_settings

        # Every page that shows the bank details, cached or not, changes with them.
        watch_site_settings(BankTransferSettings)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        # The models exist only once the apps are loaded.
        from django.db.models.signals import post_delete, post_save
        from wagtail.documents import get_document_model
        from wagtail.models import CollectionViewRestriction

        from opendata import purge
        from opendata.models import OpenDataSettings
        from pagecache.purge import watch_site_settings
        from programmes.models import Partner

        # The files show the settings (identifier, licence): a change purges the site.
        watch_site_settings(OpenDataSettings)
        # The files are cached with their site's pages wholesale (site-pages:<id>), as feeds
        # are. They also show partners' names and documents, which purge only the responses
        # that loaded them: purge the files' sites too.
        for signal in (post_save, post_delete):
            signal.connect(
                purge.purge_partner_site, sender=Partner, dispatch_uid=f"open-data-{signal}"
            )
            for model in (get_document_model(), CollectionViewRestriction):
                signal.connect(
                    purge.purge_every_site_pages,
                    sender=model,
                    dispatch_uid=f"open-data-{signal}-{model}",
                )

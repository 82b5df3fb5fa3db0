from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Pages")

    def ready(self):
        # The models and what wires them exist only once the apps are loaded.
        from django.db.models.signals import post_save
        from wagtail.images import get_image_model
        from wagtail.signals import page_published

        from pagecache.purge import watch_site_settings
        from pages import renditions
        from pages.models import SiteSettings

        watch_site_settings(SiteSettings)
        # No visitor should wait for image processing: make the renditions on upload.
        post_save.connect(
            renditions.prebuild_on_upload, sender=get_image_model(), dispatch_uid="renditions"
        )
        # And on publishing, for images uploaded before a size was added, or whose renditions
        # were deleted.
        page_published.connect(renditions.prebuild_on_publish, dispatch_uid="renditions-publish")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def purge_deleted_page(sender, instance, **kwargs):
    from wagtail.models import Page

    from pages.cache import purge

    if isinstance(instance, Page):
        purge()


def prebuild_on_upload(sender, instance, created, **kwargs):
    from pages.renditions import prebuild_renditions

    if created and instance.file:
        prebuild_renditions(instance)


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from pages.cache import purge
        from pages.models import SiteSettings
        from programmes.models import Partner

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(purge, dispatch_uid=f"page-cache-{signal}")
        # Drafts change nothing visitors see; publishing a page sends page_published.
        for model in (Site, SiteSettings, Partner, get_image_model(), get_document_model()):
            post_save.connect(purge, sender=model, dispatch_uid=f"page-cache-save-{model}")
            post_delete.connect(purge, sender=model, dispatch_uid=f"page-cache-delete-{model}")
        # No visitor should wait for image processing: make the renditions on upload.
        post_save.connect(prebuild_on_upload, sender=get_image_model(), dispatch_uid="renditions")
        # Deleting a specific page sends post_delete for its own class too.
        post_delete.connect(purge_deleted_page, dispatch_uid="page-cache-delete-any-page")

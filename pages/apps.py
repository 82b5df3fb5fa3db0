from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def purge_changed_page(sender, instance, **kwargs):
    from pages.cache import purge_page

    purge_page(instance)


def purge_moved_page(sender, instance, parent_page_before, **kwargs):
    from pages.cache import purge_page

    purge_page(instance, moved_from=parent_page_before)


def purge_restricted_site(sender, instance, **kwargs):
    """Every page of the site knows the private sections: their pages are left out of lists."""
    from wagtail.models import Page

    from pages.cache import purge_sites, sites_under

    page = Page.objects.filter(pk=instance.page_id).only("url_path").first()
    if page is not None:  # else the page is being deleted, which purges on its own
        purge_sites(sites_under(page.url_path))


def purge_settings_site(sender, instance, **kwargs):
    from pages.cache import purge_sites

    purge_sites([instance.site_id])


def purge_site(sender, instance, **kwargs):
    from pages.cache import purge_sites, purge_sites_list

    purge_sites_list()
    purge_sites([instance.pk])


def prebuild_on_upload(sender, instance, created, **kwargs):
    from pages.renditions import prebuild_renditions

    if created and instance.file:
        prebuild_renditions(instance)


def prebuild_on_publish(sender, instance, **kwargs):
    from pages.renditions import prebuild_renditions_of_page

    prebuild_renditions_of_page(instance)


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from django.db.models.signals import post_delete, post_init, post_save
        from taggit.models import Tag
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from pages.cache import note_shown, purge, purge_shown
        from pages.models import SiteSettings
        from programmes.models import Partner

        # The page cache tags each response with the pages and shared objects it loaded.
        shared = [Partner, Tag, get_image_model(), get_document_model()]
        for model in {Page, *get_page_models(), *shared}:
            post_init.connect(note_shown, sender=model, dispatch_uid=f"page-cache-shown-{model}")
        # What visitors see changes when a page is published, not when a draft is saved.
        for signal in (page_published, page_unpublished):
            signal.connect(purge_changed_page, dispatch_uid=f"page-cache-{signal}")
        post_page_move.connect(purge_moved_page, dispatch_uid="page-cache-move")
        # Deleting a specific page also deletes, and signals, its row in Page's own table.
        post_delete.connect(purge_changed_page, sender=Page, dispatch_uid="page-cache-delete")
        for model, handler in (
            (PageViewRestriction, purge_restricted_site),
            (SiteSettings, purge_settings_site),
            (Site, purge_site),
            (Locale, purge),
            *((model, purge_shown) for model in shared),
        ):
            post_save.connect(handler, sender=model, dispatch_uid=f"page-cache-save-{model}")
            post_delete.connect(handler, sender=model, dispatch_uid=f"page-cache-delete-{model}")
        # No visitor should wait for image processing: make the renditions on upload.
        post_save.connect(prebuild_on_upload, sender=get_image_model(), dispatch_uid="renditions")
        # And on publishing, for images uploaded before a size was added, or whose renditions
        # were deleted.
        page_published.connect(prebuild_on_publish, dispatch_uid="renditions-publish")

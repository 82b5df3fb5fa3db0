from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        # Wagtail's models exist only once the apps are loaded.
        from django.db.models.signals import post_delete, post_init
        from taggit.models import Tag
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from pagecache import purge
        from pagecache.keys import note_shown

        # A response notes every page it loads, and the shared objects below.
        for model in {Page, *get_page_models()}:
            post_init.connect(note_shown, sender=model, dispatch_uid=f"page-cache-shown-{model}")
        for model in (Tag, get_image_model(), get_document_model()):
            purge.watch_shown(model)
        # What visitors see changes when a page is published, not when a draft is saved.
        for signal in (page_published, page_unpublished):
            signal.connect(purge.purge_changed_page, dispatch_uid=f"page-cache-{signal}")
        post_page_move.connect(purge.purge_moved_page, dispatch_uid="page-cache-move")
        # Deleting a specific page also deletes, and signals, its row in Page's own table.
        post_delete.connect(purge.purge_changed_page, sender=Page, dispatch_uid="page-cache-delete")
        purge.purge_when_changed(PageViewRestriction, purge.purge_restricted_site)
        purge.purge_when_changed(Site, purge.purge_site)
        purge.purge_when_changed(Locale, purge.purge_every_site)

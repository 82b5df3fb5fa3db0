"""What a change purges, once it is committed.

Publishing, unpublishing, moving or deleting a page purges, in both languages: the page; the
views of its ancestors, of its translations' ancestors and of the pages it links to (listings
it may join or leave; a programme lists the stories that link to it); its parent's children
(the menu); the sensitivities; and its site's pages wholesale (feeds, the sitemap). Publishing a
story leaves the other stories, the programmes it does not mention and the other
organisation's site cached.

A shared object (partner, image, document, story tag) purges the responses that loaded it. A
site's settings or private sections, which every response of the site reflects, purge the site.
"""

import threading

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from wagtail.models import Page, ReferenceIndex, Site

from config import internals
from pagecache.keys import SENSITIVITIES, key_of, note_shown, purge, site_key, site_pages_key
from pagecache.sites import all_site_ids, move_sites_on


def purge_on_commit(keys):
    """Purge the keys once the change is committed: purged earlier, a request in between could
    store the old content as fresh. Outside a transaction, at once."""
    keys = set(keys)
    transaction.on_commit(lambda: purge(keys))


class PagePurge:
    """The pages changed in one transaction, purged together once it commits.

    Deleting a section signals each of its pages; the batch purges them all on commit, in a few
    queries. A batch whose transaction rolls back never runs; the next change starts a new one
    rather than purge what was rolled back with it.
    """

    current = threading.local()

    def __init__(self):
        self.pages, self.former_parents, self.ran = {}, set(), False

    @classmethod
    def add(cls, page, moved_from=None):
        batch = getattr(cls.current, "batch", None)
        fresh = batch is None or batch.ran or not internals.awaits_commit(batch.run)
        if fresh:
            batch = cls.current.batch = cls()
        batch.pages[page.pk] = (page.path, page.translation_key)
        if moved_from is not None:
            batch.former_parents.add(moved_from.path)
        if fresh:  # outside a transaction, this runs it at once
            transaction.on_commit(batch.run)

    def run(self):
        self.ran = True
        purge(self.keys(self.pages, self.former_parents))

    @staticmethod
    def keys(pages, former_parents):
        steplen = Page.steplen
        translations = Page.objects.filter(
            translation_key__in={key for _path, key in pages.values()}
        ).exclude(pk__in=pages)
        paths = [path for path, _key in pages.values()]
        paths += translations.values_list("path", flat=True)
        parents = {path[:-steplen] for path in paths} | former_parents
        lineage = {path[:end] for path in parents for end in range(steplen, len(path) + 1, steplen)}
        keys = {f"page:{pk}" for pk in pages} | {SENSITIVITIES}
        for pk, path, url_path in Page.objects.filter(path__in=lineage).values_list(
            "pk", "path", "url_path"
        ):
            keys.add(f"view:{pk}")
            if path in parents:
                keys.add(f"children:{pk}")
            keys.update(site_pages_key(site_id) for site_id in sites_under(url_path))
        page_type = ContentType.objects.get_for_model(Page)
        linked = ReferenceIndex.objects.filter(
            base_content_type=page_type,
            object_id__in=[str(pk) for pk in pages],
            to_content_type=page_type,
        ).values_list("to_object_id", flat=True)
        keys.update(f"view:{pk}" for pk in linked)
        return keys


def sites_under(url_path):
    """The sites the page at url_path belongs to (one, unless site roots nest)."""
    return {
        root.site_id for root in Site.get_site_root_paths() if url_path.startswith(root.root_path)
    }


def purge_sites(site_ids):
    purge_on_commit(site_key(site_id) for site_id in site_ids)


# Receivers, wired by the apps that own the models (PageCacheConfig for Wagtail's)


def purge_changed_page(sender, instance, **kwargs):
    PagePurge.add(instance)


def purge_moved_page(sender, instance, parent_page_before, **kwargs):
    PagePurge.add(instance, moved_from=parent_page_before)


def purge_shown(sender, instance, **kwargs):
    purge_on_commit({key_of(instance)})


def purge_restricted_site(sender, instance, **kwargs):
    """Every page of the site knows the private sections: their pages are left out of lists."""
    page = Page.objects.filter(pk=instance.page_id).only("url_path").first()
    if page is not None:  # else the page is being deleted, which purges on its own
        purge_sites(sites_under(page.url_path))


def purge_settings_site(sender, instance, **kwargs):
    purge_sites([instance.site_id])


def purge_site(sender, instance, **kwargs):
    transaction.on_commit(move_sites_on)
    purge_sites([instance.pk])


def purge_every_site(*args, **kwargs):
    """For what both organisations' pages show (the locales)."""
    transaction.on_commit(lambda: purge({site_key(site_id) for site_id in all_site_ids()}))


def purge_when_changed(model, receiver):
    """Call receiver(sender, instance) once an instance of model is saved or deleted."""
    for signal in (post_save, post_delete):
        signal.connect(receiver, sender=model, dispatch_uid=f"page-cache-{signal}-{model}")


def watch_shown(model):
    """Note the instances of model that a response loads, and purge it when one changes.

    For what both organisations' pages may show beside pages: partners, images, documents, tags.
    """
    post_init.connect(note_shown, sender=model, dispatch_uid=f"page-cache-shown-{model}")
    purge_when_changed(model, purge_shown)


def watch_site_settings(model):
    """Every response of a site shows its settings (model has a site): a change purges the site."""
    purge_when_changed(model, purge_settings_site)

"""Which organisation and language a page belongs to, for the admin to say on every page title.

Both organisations' trees share one admin, where "Trang chủ", "Giới thiệu" or "Liên hệ" exist
once per site and language. `BasePage.get_admin_display_title` prefixes each title with its
site's name, so the explorer, search, choosers, dashboard, reports and notification emails
(which all show that title) say whose page it is.
"""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site

CACHE_KEY = "pages:site-labels"
HOME_DEPTH = 2
# Each process keeps the labels this long before asking the shared cache again; a renamed
# site shows its new name on other servers within this many seconds.
LOCAL_SECONDS = 10
_local = {"labels": None, "until": 0.0}


def home_labels():
    """{tree path of a home page: (site name, language code)} for every site and language."""
    now = time.monotonic()
    if _local["labels"] is not None and now < _local["until"]:
        return _local["labels"]
    labels = cache.get(CACHE_KEY)
    if labels is None:
        labels = {}
        for site in Site.objects.select_related("root_page"):
            homes = Page.objects.filter(
                depth=HOME_DEPTH, translation_key=site.root_page.translation_key
            ).values_list("path", "locale__language_code")
            for path, language in homes:
                labels[path] = (site.site_name or site.hostname, language)
        cache.set(CACHE_KEY, labels, None)
    _local.update(labels=labels, until=now + LOCAL_SECONDS)
    return labels


def admin_title(page, title):
    """ "LIGHT · Trang chủ (vi)" for a home page, "LIGHT · Giới thiệu" below it."""
    label = home_labels().get(page.path[: HOME_DEPTH * Page.steplen])
    if label is None:
        return title
    site_name, language = label
    if page.depth == HOME_DEPTH:
        return f"{site_name} · {title} ({language})"
    return f"{site_name} · {title}"


def forget_labels():
    cache.delete(CACHE_KEY)
    _local.update(labels=None, until=0.0)


@receiver(post_save, sender=Site, dispatch_uid="site-labels-site-saved")
@receiver(post_delete, sender=Site, dispatch_uid="site-labels-site-deleted")
def site_changed(sender, instance, **kwargs):
    forget_labels()


@receiver(post_save, dispatch_uid="site-labels-page-saved")
@receiver(post_delete, dispatch_uid="site-labels-page-deleted")
def home_changed(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.depth == HOME_DEPTH:
        forget_labels()

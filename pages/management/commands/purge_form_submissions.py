"""Run daily: delete contact form submissions older than each site's retention period."""

import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, Site

from pages.models import SiteSettings

DEFAULT_RETENTION_DAYS = SiteSettings._meta.get_field("form_retention_days").default


class Command(BaseCommand):
    help = (
        "Delete form submissions older than each site's retention period (organisation settings)."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        covered = Q()
        total = 0
        for site in Site.objects.select_related("root_page"):
            days = SiteSettings.for_site(site).form_retention_days
            # Each language's home page is a site root: the source one and its translations.
            roots = Page.objects.filter(translation_key=site.root_page.translation_key)
            in_site = Q()
            for root in roots:
                in_site |= Q(page__path__startswith=root.path)
            covered |= in_site
            total += self.purge(in_site, now - datetime.timedelta(days=days), site.hostname)
        # Form pages outside every site keep submissions for the default period.
        cutoff = now - datetime.timedelta(days=DEFAULT_RETENTION_DAYS)
        total += self.purge(~covered if covered else Q(), cutoff, "other pages")
        self.stdout.write(f"Deleted {total} form submissions.")

    def purge(self, pages, cutoff, label):
        deleted, _ = FormSubmission.objects.filter(pages, submit_time__lt=cutoff).delete()
        if deleted:
            self.stdout.write(
                f"{label}: deleted {deleted} submissions older than {cutoff:%Y-%m-%d}."
            )
        return deleted

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from organisations.roles import SOURCE_LANGUAGE, set_up_every_organisation, set_up_organisation
from pages.models import HomePage, SiteSettings


class Command(BaseCommand):
    help = (
        "Add an organisation: its site with a Vietnamese home page and an English draft of it, "
        "its Editors, Moderators, Translators and Safeguarding groups, its collections (shared "
        "and private) and its review workflow. With --existing, give every site that has none "
        "its groups, collections and workflow."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="Short name shown to staff, e.g. LIGHT.")
        parser.add_argument("hostname", nargs="?", help="e.g. light.example.org")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument(
            "--existing",
            action="store_true",
            help="Set up the sites that exist and have no organisation yet; add none.",
        )

    def handle(self, *args, name, hostname, port, existing, **options):
        if existing:
            organisations = set_up_every_organisation()
            self.stdout.write(f"{len(organisations)} organisations set up.")
            return
        if not (name and hostname):
            raise CommandError("Give the organisation's short name and hostname, or --existing.")
        if Site.objects.filter(hostname=hostname, port=port).exists():
            raise CommandError(f"A site already answers at {hostname}:{port}.")
        if Site.objects.filter(site_name=name).exists():
            raise CommandError(f"A site is already named {name}.")
        organisation = self.add(name, hostname, port)
        groups = ", ".join(group.name for group in organisation.groups)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {name} at http://{hostname}:{port}/ with the groups {groups} and the "
                f"collections “{organisation.media}” and “{organisation.private_documents}”."
            )
        )

    @transaction.atomic
    def add(self, name, hostname, port):
        source = Locale.objects.get_or_create(language_code=SOURCE_LANGUAGE)[0]
        home = HomePage(
            locale=source,
            title=name,
            slug=slugify(name) or "home",
            organisation_name=name,
            hero_heading=name,
        )
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        # The other languages start as drafts, for the organisation's translators.
        for locale in Locale.objects.exclude(pk=source.pk):
            home.copy_for_translation(locale)
        site = Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=name)
        SiteSettings.objects.create(site=site, short_name=name)
        return set_up_organisation(site)

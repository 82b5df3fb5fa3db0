"""Run daily: take down stories whose people's consent has expired (or was never recorded)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from organisations.models import Organisation
from pages.models.stories import stories_without_valid_consent

ACTIONS = ("unpublish", "flag")


class Command(BaseCommand):
    help = (
        "Unpublish live stories showing identifiable people whose consent has expired or is "
        "missing, or flag them to moderators by email (settings.STORY_CONSENT_EXPIRY_ACTION)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--action",
            choices=ACTIONS,
            help="Override settings.STORY_CONSENT_EXPIRY_ACTION for this run.",
        )

    def handle(self, *args, action=None, **options):
        action = action or getattr(settings, "STORY_CONSENT_EXPIRY_ACTION", "unpublish")
        if action not in ACTIONS:
            raise CommandError(f"STORY_CONSENT_EXPIRY_ACTION must be one of {ACTIONS}.")
        stories = list(stories_without_valid_consent().select_related("locale").order_by("path"))
        for story in stories:
            if action == "unpublish":
                story.unpublish()
            self.stdout.write(f"{action}: {story.title} ({story.locale.language_code}, {story.pk})")
        if stories and action == "flag":
            self.flag(stories)
        self.stdout.write(f"{len(stories)} stories without valid consent ({action}).")

    @staticmethod
    def flag(stories):
        """Email each organisation's moderators and Safeguarding staff about its own stories.

        Superusers hear about every site; the admin's Story consent report lists them too.
        """
        by_site = {}
        for story in stories:
            by_site.setdefault(story.get_site().pk, []).append(story)
        base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        for organisation in Organisation.objects.filter(site__in=by_site).select_related("site"):
            recipients = list(
                get_user_model()
                .objects.filter(
                    Q(is_superuser=True)
                    | Q(groups__in=[organisation.moderators_id, organisation.safeguarding_id]),
                    is_active=True,
                )
                .exclude(email="")
                .values_list("email", flat=True)
                .distinct()
            )
            if not recipients:
                continue
            lines = [
                f"- {story.title}: {base_url}/admin/pages/{story.pk}/edit/"
                for story in by_site[organisation.site_id]
            ]
            send_mail(
                subject=f"{organisation}: stories published without valid consent",
                message=(
                    "These live stories show identifiable people whose consent has expired or "
                    "is missing. Renew the consent or unpublish them:\n\n" + "\n".join(lines)
                ),
                from_email=None,
                recipient_list=recipients,
            )

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
EMAIL = "admin@example.org"


class Command(BaseCommand):
    help = "Development only: create a local administrator on first run and print its login once."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin only runs with development settings (DEBUG on).")
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(USERNAME, EMAIL, password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nCreated a local administrator (shown only this once):\n"
                f"  email:    {EMAIL}\n  username: {USERNAME}\n  password: {password}\n"
                f"  admin:    {settings.WAGTAILADMIN_BASE_URL}/admin/\n"
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    """English pages as wagtail-localize translations: drafts, review, and what is missing."""

    name = "translations"
    verbose_name = _("Translations")

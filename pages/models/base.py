from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from pages.forms import PageForm
from pages.slugs import ascii_slug


class BasePage(Page):
    """What every public page shares: a sharing image and locale-scoped search."""

    is_home = False  # each language's home page is a site root, not only the source one

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("sharing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared; the site's default image is used otherwise."),
    )

    search_fields = [
        *Page.search_fields,
        index.FilterField("locale_id"),
        index.SearchField("transliterated_title", boost=2),
        index.SearchField("transliterated_text"),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel([FieldPanel("social_image")], heading=_("Sharing")),
    ]

    base_form_class = PageForm

    class Meta:
        abstract = True

    def _set_core_field_defaults(self):
        # Wagtail makes a missing slug from the title with Django's slugify, which drops "đ";
        # hand it the transliterated title for that step (it still de-duplicates the slug).
        title = self.title
        if self.slug or not title:
            return super()._set_core_field_defaults()
        self.draft_title = self.draft_title or title
        self.title = ascii_slug(title).replace("-", " ")
        try:
            super()._set_core_field_defaults()
        finally:
            self.title = title

    def transliterated_title(self):
        from pages.search import transliterate

        return transliterate(self.title)

    def transliterated_text(self):
        """Everything searchable about the page without diacritics, so "bao luc" finds "bạo lực"."""
        from pages.search import searchable_text, transliterate

        return transliterate(searchable_text(self))

    @property
    def listing_summary(self):
        """A short text for cards and meta descriptions."""
        return self.search_description

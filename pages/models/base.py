from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from pages.forms import PageForm
from pages.site_labels import admin_title
from pages.slugs import ascii_slug
from pages.text import searchable_text, transliterate
from safeguarding.sensitivity import Sensitivity, is_sensitive

from .links import image_link


class BasePage(Page):
    """What every public page shares: a sharing image and locale-scoped search."""

    is_home = False  # each language's home page is a site root, not only the source one
    # Set by pages.routing.find_page when the site's list of private sections shows that no
    # view restriction applies, so that Wagtail's check before serving asks the database nothing.
    known_unrestricted = False

    social_image = image_link(
        _("sharing image"),
        help_text=_("Shown when the page is shared; the site's default image is used otherwise."),
    )
    sensitivity = models.CharField(
        _("sensitive content"),
        max_length=20,
        choices=Sensitivity.choices,
        default=Sensitivity.INHERIT,
        help_text=_(
            "Sensitive pages show a quick exit button that leaves the site at once, for "
            "visitors who may be in danger if someone sees what they are reading."
        ),
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
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel([FieldPanel("sensitivity")], heading=_("Safeguarding")),
    ]

    base_form_class = PageForm

    class Meta:
        abstract = True

    def get_admin_display_title(self):
        return admin_title(self, super().get_admin_display_title())

    def get_view_restrictions(self):
        if self.known_unrestricted:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def full_clean(self, *args, **kwargs):
        self.fill_slug()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self.fill_slug()
        super().minimal_clean()

    def clean(self):
        super().clean()
        if self.live and self.locale_id and self.translation_of_unpublished_source():
            raise ValidationError(
                _(
                    "The Vietnamese page this page translates is not published: publish it "
                    "first, then this translation."
                )
            )

    def translation_of_unpublished_source(self):
        """Whether this page translates a Vietnamese page that is not live.

        Both sites are Vietnamese first: a translation never goes live before its source.
        """
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return False
        source = (
            Page.objects.filter(
                translation_key=self.translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            )
            .only("live")
            .first()
        )
        return source is not None and not source.live

    def fill_slug(self):
        """A missing slug made from the title, transliterated: Wagtail would use Django's
        slugify, which drops "đ" ("cộng đồng" → "cong-ong"). Unique among the page's siblings,
        as Wagtail makes it, once the page has its place in the tree."""
        if self.slug or not self.path:
            return
        base = ascii_slug(self.title)
        parent = self.get_parent() if base else None
        if parent is None:
            return
        siblings = parent.get_children().exclude(pk=self.pk) if self.pk else parent.get_children()
        taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, suffix = base, 1
        while slug in taken:
            suffix += 1
            slug = f"{base}-{suffix}"
        self.slug = slug

    @cached_property
    def is_sensitive(self):
        """Whether the page shows the quick exit button, inherited from its ancestors."""
        return is_sensitive(self)

    def transliterated_title(self):
        return transliterate(self.title)

    def transliterated_text(self):
        """Everything searchable about the page without diacritics, so "bao luc" finds "bạo lực"."""
        return transliterate(searchable_text(self))

    @property
    def listing_summary(self):
        """A short text for cards and meta descriptions."""
        return self.search_description

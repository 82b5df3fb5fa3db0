from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pages.blocks import RICH_TEXT_FEATURES, BodyBlock
from pages.forms import PageForm

from .base import BasePage


class StoryIndexPage(BasePage):
    """News and memorable moments, newest first, paginated and filterable by tag."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.StoryPage"]
    max_count_per_parent = 1
    stories_per_page = 12

    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("story index page")

    def get_context(self, request, *args, **kwargs):
        from pages.queries import story_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(story_index_context(self, request))
        return context


class StoryTag(TaggedItemBase):
    content_object = ParentalKey(
        "pages.StoryPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class StoryPageForm(PageForm):
    """Consent is checked when a story is published or submitted, not when a draft is saved."""

    def clean(self):
        self.instance._enforce_consent = not self.is_deferred_validation
        return super().clean()


class StoryPage(BasePage):
    """A news item or memorable moment."""

    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.CharField(_("author"), max_length=200, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("image alt text"),
        max_length=300,
        blank=True,
        help_text=_("Describe the image for people who cannot see it; empty if decorative."),
    )
    image_credit = models.CharField(
        _("image credit"),
        max_length=200,
        blank=True,
        help_text=_("Who took or made the image, e.g. “Photo: LIGHT”."),
    )
    summary = models.TextField(_("summary"), max_length=400, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=StoryTag, blank=True, verbose_name=_("tags"))

    # Consent of the people shown: checked on publishing, and daily by expire_story_consent.
    shows_identifiable_people = models.BooleanField(
        _("shows identifiable people"),
        default=False,
        help_text=_(
            "Tick if anyone could be recognised from the story's images or text: a face, a "
            "name, a voice or personal details. It then needs their valid, signed consent."
        ),
    )
    consent_given = models.DateField(_("consent given on"), null=True, blank=True)
    consent_expires = models.DateField(
        _("consent expires on"),
        null=True,
        blank=True,
        help_text=_("The story is unpublished when the consent expires."),
    )
    consent_form = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("signed consent form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Upload the signed form to the “Consent forms (private)” collection, which only "
            "administrators can open."
        ),
    )

    base_form_class = StoryPageForm
    parent_page_types = ["pages.StoryIndexPage"]
    subpage_types = []

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("author"),
        FieldPanel("image"),
        FieldPanel("image_alt"),
        FieldPanel("image_credit"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("programme_links", label=_("Related programmes")),
        MultiFieldPanel(
            [
                FieldPanel("shows_identifiable_people"),
                FieldRowPanel([FieldPanel("consent_given"), FieldPanel("consent_expires")]),
                FieldPanel("consent_form"),
            ],
            heading=_("Consent of the people shown"),
        ),
    ]

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            # Every story listing (the story index, the home page) shows the newest first,
            # "-date, -pk": read in this order, a page of it costs a few rows, not a sort of
            # all the stories. Read backwards, it serves the last pages as cheaply.
            models.Index(fields=["-date", "-page_ptr"], name="pages_story_newest_first"),
        ]

    def clean(self):
        super().clean()
        # Enforced when the story is (or is about to be) live; a draft may be saved before the
        # consent form has been signed. StoryPageForm says which it is for the admin.
        if getattr(self, "_enforce_consent", self.live):
            from pages.safeguarding import consent_errors

            errors = consent_errors(self)
            if errors:
                raise ValidationError(errors)

    @property
    def listing_summary(self):
        return self.summary or self.search_description

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_programmes"] = [
            link.programme
            for link in self.programme_links.select_related("programme")
            if link.programme.live
        ]
        return context


class StoryProgramme(Orderable):
    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="programme_links")
    programme = models.ForeignKey(
        "programmes.ProgrammePage",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="story_links",
    )

    panels = [FieldPanel("programme")]

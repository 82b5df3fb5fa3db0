import datetime
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pagecache.store import kept
from pages.blocks import RICH_TEXT_FEATURES, BodyBlock
from pages.chrome import visible
from pages.forms import PageForm
from pages.listings import ListingPaginator, paginate
from pages.renditions import RESPONSIVE_SPECS as CARD_RENDITIONS
from pages.renditions import prefetch_renditions
from safeguarding.consent import CONSENT_REPORT_DAYS, consent_errors

from .base import BasePage
from .links import WithImage


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
        # Only Safeguarding staff see the consent form field (its title names people).
        self.instance._consent_form_shown = "consent_form" in self.fields
        return super().clean()


class StoryPage(WithImage, BasePage):
    """A news item or memorable moment."""

    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.CharField(_("author"), max_length=200, blank=True)
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
            "Upload the signed form to your organisation's private collection "
            "(“… · Riêng tư / Private”), which only its Safeguarding staff can open."
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
                FieldPanel("consent_form", permission="organisations.handle_consent_forms"),
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
            errors = consent_errors(self)
            if "consent_form" in errors and not getattr(self, "_consent_form_shown", True):
                errors.setdefault("shows_identifiable_people", []).append(
                    _(
                        "Only your organisation's Safeguarding staff can link the signed "
                        "consent form: ask them to add it, then submit again."
                    )
                )
                del errors["consent_form"]
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


# The listing of stories


def story_index_context(index, request):
    stories = (
        visible(StoryPage.objects.child_of(index), request)
        .select_related("image")
        .order_by("-date", "-pk")
    )
    # The same stories, counted in the page table alone: the stories' own rows are wide, and
    # joining them only to count them is wasted work.
    counted = visible(Page.objects.child_of(index).type(StoryPage), request)
    tag = request.GET.get("tag", "").strip()[:100]
    if tag:
        # No slug holds a NUL, and PostgreSQL refuses one in a query: a 500, not "no stories".
        if "\x00" in tag:
            stories, counted = stories.none(), counted.none()
        else:
            stories = stories.filter(tags__slug=tag)
            tagged = StoryTag.objects.filter(tag__slug=tag).values("content_object_id")
            counted = counted.filter(pk__in=tagged)
    else:
        # Counting reads every story of the index: kept until a page below it changes.
        counted = kept(request, f"story-count:{index.pk}", counted.count, keys={f"view:{index.pk}"})
    shown = paginate(request, stories, index.stories_per_page, ListingPaginator, counted=counted)
    shown.object_list = list(shown.object_list)
    prefetch_renditions([story.image for story in shown.object_list], CARD_RENDITIONS)
    return {
        "stories": shown,
        "current_tag": tag,
        "page_query": urlencode({"tag": tag}) if tag else "",
        "tags": story_tags(index, request),
    }


def story_tags(index, request):
    """The tags of the index's live stories, for its filter.

    Listing them reads every story of the index, the page's slowest query on a large site, so
    they are kept until a page below the index changes.
    """

    def listed():
        live_stories = Page.objects.filter(path__startswith=index.path, live=True)
        tagged = StoryTag.objects.filter(content_object_id__in=live_stories.values("pk"))
        return list(Tag.objects.filter(pk__in=tagged.values("tag_id")).order_by("name"))

    return kept(request, f"story-tags:{index.pk}", listed, keys={f"view:{index.pk}"})


# Consent


def stories_without_valid_consent(today=None):
    """Live stories showing identifiable people whose consent is missing or has expired."""
    today = today or timezone.localdate()
    return StoryPage.objects.live().filter(
        models.Q(consent_expires__lte=today)
        | models.Q(consent_expires__isnull=True)
        | models.Q(consent_given__isnull=True)
        | models.Q(consent_form__isnull=True),
        shows_identifiable_people=True,
    )


def stories_with_consent_expiring(days=CONSENT_REPORT_DAYS, today=None):
    """Stories showing identifiable people whose consent expires within `days` (or has)."""
    today = today or timezone.localdate()
    return (
        StoryPage.objects.filter(
            shows_identifiable_people=True,
            consent_expires__lte=today + datetime.timedelta(days=days),
        )
        .select_related("locale")
        .order_by("consent_expires", "path")
    )

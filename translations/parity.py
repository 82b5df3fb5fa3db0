"""Which pages and partners of a site lack English, or have English that is out of date.

`parity(site)` answers in a fixed number of queries, whatever the number of pages: each query
reads one kind of row for the whole site (pages, their translations, translation sources,
untranslated segments, images without alt text, partners), and the rows are joined here.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, WorkflowState
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from pages.models.links import WithImage
from programmes.models import Partner

HOME_DEPTH = 2
SECTION_DEPTH = 3


class Status:
    MISSING = "missing"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    LIVE = "live"
    OUT_OF_DATE = "out_of_date"
    SOURCE_UNPUBLISHED = "source_unpublished"

    LABELS = {
        MISSING: _("Missing"),
        DRAFT: _("Draft"),
        IN_REVIEW: _("In review"),
        LIVE: _("Live"),
        OUT_OF_DATE: _("Out of date"),
        SOURCE_UNPUBLISHED: _("Source unpublished"),
    }
    # What needs doing first comes first.
    ORDER = [SOURCE_UNPUBLISHED, MISSING, OUT_OF_DATE, IN_REVIEW, DRAFT, LIVE]


@dataclass
class Row:
    kind: str  # "page" or "partner"
    title: str
    section: str
    source_status: str
    status: str
    segments_left: int = 0
    images_without_alt: list = field(default_factory=list)  # language codes
    edit_url: str = ""
    translation_edit_url: str = ""
    translate_url: str = ""
    sync_url: str = ""

    @property
    def status_label(self):
        return Status.LABELS[self.status]

    @property
    def source_status_label(self):
        return Status.LABELS[self.source_status]


def in_review():
    return Exists(
        WorkflowState.objects.filter(
            base_content_type_id=OuterRef("content_type_id"),
            object_id=OuterRef("pk_text"),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
    )


def page_status(page):
    if page.in_review:
        return Status.IN_REVIEW
    return Status.LIVE if page.live else Status.DRAFT


def pages_of(home_paths, locale):
    trees = Q(pk__in=[])
    for path in home_paths:
        trees |= Q(path__startswith=path)
    return (
        Page.objects.filter(trees, locale=locale)
        .annotate(pk_text=Cast("pk", output_field=CharField()))
        .annotate(in_review=in_review())
        .only(
            "pk",
            "title",
            "path",
            "depth",
            "live",
            "translation_key",
            "content_type_id",
            "latest_revision_created_at",
        )
        .order_by("path")
    )


def pages_without_alt(page_ids):
    """{page id} of the pages that show an image without alternative text."""
    missing = set()
    for model in apps.get_models():
        if issubclass(model, WithImage) and issubclass(model, Page):
            missing.update(
                model.objects.filter(
                    pk__in=page_ids, image__isnull=False, image_alt=""
                ).values_list("pk", flat=True)
            )
    return missing


def untranslated_counts(sources, locale):
    return dict(
        StringSegment.objects.filter(source__in=sources)
        .annotate_translation(locale)
        .filter(translation__isnull=True)
        .values_list("source_id")
        .annotate(left=Count("id"))
    )


def synced_since_translated(source, translated_at):
    """Whether a sync brought the source's newer text after the translation was started."""
    return (
        source is not None
        and translated_at is not None
        # The source is extracted before its translation is made, so only a sync is later.
        and source.last_updated_at > translated_at
    )


def translation_status(source_page, translation, source, segments_left, translated_at):
    """Out of date: the source changed after the last sync, or a sync left new text untranslated.

    A translation just started has its segments left too, but is a draft, not out of date.
    """
    if translation is None:
        return Status.MISSING
    if translation.live and not source_page.live:
        return Status.SOURCE_UNPUBLISHED
    changed = source is None or (
        source_page.latest_revision_created_at is not None
        and source_page.latest_revision_created_at > source.last_updated_at
    )
    if changed or (segments_left and synced_since_translated(source, translated_at)):
        return Status.OUT_OF_DATE
    return page_status(translation)


def started_at(sources, locale):
    """{translation source id: when its translation into `locale` was started}."""
    return dict(
        Translation.objects.filter(source__in=sources, target_locale=locale).values_list(
            "source_id", "created_at"
        )
    )


def sync_states(translation_keys, source_locale, target_locale):
    """{translation key: (its TranslationSource, segments left, when its translation started)}

    for the objects with these keys that have a source; three queries, whatever their number.
    """
    sources = list(
        TranslationSource.objects.filter(object_id__in=translation_keys, locale=source_locale).only(
            "pk", "object_id", "last_updated_at"
        )
    )
    left = untranslated_counts(sources, target_locale)
    started = started_at(sources, target_locale)
    return {
        source.object_id: (source, left.get(source.pk, 0), started.get(source.pk))
        for source in sources
    }


NO_SOURCE = (None, 0, None)


def parity(site, target_language="en"):
    """[Row] for every page and partner of `site`, in tree order, partners last."""
    source_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    target_locale = Locale.objects.get(language_code=target_language)
    homes = dict(
        Page.objects.filter(
            depth=HOME_DEPTH, translation_key=site.root_page.translation_key
        ).values_list("locale_id", "path")
    )
    sources = list(pages_of([homes.get(source_locale.pk, "-")], source_locale))
    translations = {
        page.translation_key: page
        for page in pages_of([homes.get(target_locale.pk, "-")], target_locale)
    }
    states = sync_states([page.translation_key for page in sources], source_locale, target_locale)
    without_alt = pages_without_alt(
        [page.pk for page in sources] + [page.pk for page in translations.values()]
    )
    sections = {page.path: page.title for page in sources if page.depth <= SECTION_DEPTH}

    rows = []
    for page in sources:
        translation = translations.get(page.translation_key)
        source, segments_left, translated_at = states.get(page.translation_key, NO_SOURCE)
        rows.append(
            Row(
                kind="page",
                title=page.title,
                section=sections.get(page.path[: SECTION_DEPTH * Page.steplen], page.title),
                source_status=page_status(page),
                status=translation_status(page, translation, source, segments_left, translated_at),
                segments_left=segments_left if translation else 0,
                images_without_alt=[
                    language
                    for language, instance in [("vi", page), (target_language, translation)]
                    if instance is not None and instance.pk in without_alt
                ],
                edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                translation_edit_url=reverse("wagtailadmin_pages:edit", args=[translation.pk])
                if translation
                else "",
                translate_url=reverse("wagtail_localize:submit_page_translation", args=[page.pk])
                if translation is None
                else "",
                sync_url=reverse("wagtail_localize:update_translations", args=[source.pk])
                if source and translation
                else "",
            )
        )
    rows.extend(partner_rows(site, source_locale, target_locale))
    return rows


def partner_rows(site, source_locale, target_locale):
    partners = list(Partner.objects.filter(site=site, locale=source_locale).order_by("name"))
    translations = {
        partner.translation_key: partner
        for partner in Partner.objects.filter(site=site, locale=target_locale).only(
            "pk", "translation_key", "live"
        )
    }
    states = sync_states(
        [partner.translation_key for partner in partners], source_locale, target_locale
    )
    section = str(_("Partners"))
    rows = []
    for partner in partners:
        translation = translations.get(partner.translation_key)
        source, segments_left, translated_at = states.get(partner.translation_key, NO_SOURCE)
        if translation is None:
            status = Status.MISSING
        elif translation.live and not partner.live:
            status = Status.SOURCE_UNPUBLISHED
        elif source is None or (segments_left and synced_since_translated(source, translated_at)):
            status = Status.OUT_OF_DATE
        else:
            status = Status.LIVE if translation.live else Status.DRAFT
        edit = "wagtailsnippets_programmes_partner:edit"
        rows.append(
            Row(
                kind="partner",
                title=partner.name,
                section=section,
                source_status=Status.LIVE if partner.live else Status.DRAFT,
                status=status,
                segments_left=segments_left if translation else 0,
                edit_url=reverse(edit, args=[partner.pk]),
                translation_edit_url=reverse(edit, args=[translation.pk]) if translation else "",
                translate_url=reverse(
                    "wagtail_localize:submit_snippet_translation",
                    args=["programmes", "partner", partner.pk],
                )
                if translation is None
                else "",
                sync_url=reverse("wagtail_localize:update_translations", args=[source.pk])
                if source and translation
                else "",
            )
        )
    return rows


def counts(rows):
    """{status: number of rows}, in the order of what needs doing first."""
    found = dict.fromkeys(Status.ORDER, 0)
    for row in rows:
        found[row.status] += 1
    return found

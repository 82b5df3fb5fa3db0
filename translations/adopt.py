"""Record, in wagtail-localize, a translation that was made beside its source.

The demo content writes each English page next to its Vietnamese source (both from one YAML
file). Adopting it gives the pair what the translation editor would have made: a translation
source extracted from the Vietnamese page, a translation into English, and each segment's
English text, so that sync, "out of date" and the translations report work from the start.
"""

import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from modelcluster.models import (
    ClusterableModel,
    get_serializable_data_for_fields,
    model_from_serializable_data,
)
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

# StreamField paths name blocks by their ids, which differ between two separately made pages.
BLOCK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class StructureMismatch(ValueError):
    """The two objects do not hold the same fields and blocks, in the same order."""


def strings_of(instance):
    return [
        segment for segment in extract_segments(instance) if isinstance(segment, StringSegmentValue)
    ]


def shape(path):
    return BLOCK_ID.sub("*", path)


def as_stored(instance):
    """The instance as read back from its JSON, as wagtail-localize reads a source's segments
    (TranslationSource.as_instance), so that both sides are extracted from the same form."""
    if isinstance(instance, Page):
        return instance.with_content_json(json.loads(instance.to_json()))
    if isinstance(instance, ClusterableModel):
        return instance.__class__.from_json(instance.to_json())
    data = json.loads(json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder))
    return model_from_serializable_data(instance.__class__, data)


def adopt(source_instance, translated_instance, user=None):
    """The Translation of `source_instance` whose segments say what `translated_instance` says."""
    source, _created = TranslationSource.get_or_create_from_instance(source_instance)
    originals = strings_of(source.as_instance())
    translated = strings_of(as_stored(translated_instance))
    if [shape(s.path) for s in originals] != [shape(s.path) for s in translated]:
        raise StructureMismatch(f"{source_instance!r} and {translated_instance!r} differ in shape")
    translation, _created = Translation.objects.get_or_create(
        source=source,
        target_locale_id=translated_instance.locale_id,
        defaults={"enabled": True},
    )
    stored = {
        (segment.context.path, segment.string.data): segment
        for segment in source.stringsegment_set.select_related("string", "context")
    }
    StringTranslation.objects.bulk_create(
        [
            StringTranslation(
                translation_of_id=segment.string_id,
                locale_id=translated_instance.locale_id,
                context_id=segment.context_id,
                data=english.string.data,
                translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                last_translated_by=user,
            )
            for original, english in zip(originals, translated, strict=True)
            if (segment := stored[(original.path, original.string.data)])
        ],
        ignore_conflicts=True,
    )
    return translation

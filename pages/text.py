"""The text a page is searched by: its search fields, and a copy without diacritics."""

from anyascii import anyascii
from django.utils.html import strip_tags
from wagtail.search import index


def transliterate(text):
    return anyascii(text or "").lower()


def searchable_text(page):
    parts = []
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField) or field.field_name.startswith(
            "transliterated_"
        ):
            continue
        value = field.get_value(page)
        parts.extend(value if isinstance(value, list) else [value])
    return strip_tags(" ".join(str(part) for part in parts if part))

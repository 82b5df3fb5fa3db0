"""Readable ASCII slugs from Vietnamese titles: "Vì sức khỏe cộng đồng" → "vi-suc-khoe-cong-dong".

Django's slugify strips accents by Unicode decomposition, but "đ" does not decompose, so it
is dropped ("cộng đồng" → "cong-ong"). The admin's JavaScript transliteration has no table
for Vietnamese at all ("bạo lực" → "bo-lc"), so its slug field is given one, built here from
the same transliteration the server uses.
"""

from collections import defaultdict

from anyascii import anyascii
from django.utils.text import slugify

VIETNAMESE_LETTERS = "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
COMBINING_MARKS = "[\u0300-\u036f]"  # tone marks typed as separate characters


def _admin_slug_formatters():
    """(regular expression, replacement) pairs the admin applies before making a slug."""
    letters_by_base = defaultdict(str)
    for letter in VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper():
        letters_by_base[anyascii(letter).lower()] += letter
    return [(COMBINING_MARKS, "")] + [
        (f"[{letters}]", base) for base, letters in sorted(letters_by_base.items())
    ]


ADMIN_SLUG_FORMATTERS = _admin_slug_formatters()


def ascii_slug(text):
    return slugify(anyascii(text or ""))
